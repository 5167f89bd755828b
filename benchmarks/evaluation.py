"""
The evaluation page: how long the expected score and grade take on the
server at the document's size and at 500 indicators (each with 배점, half of
them by 목표부여(편차) with five past years), next to its floor measured in
the same run: Django rendering a plain table of the same size (500 rows, 12
columns) through the same middleware. The overview, which reads the same
year_figures(), is timed beside them. Prints the ratios; times swing 2–3× on
a shared machine, so quote a figure only when a second run gives it again.

    .venv/bin/python benchmarks/evaluation.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/wt15 .venv/bin/python benchmarks/evaluation.py
"""

import sys
from decimal import Decimal

from harness import count_queries, director_client, engine, median_ms, test_database

ROWS, COLUMNS = 500, 12
urlpatterns = []  # the app's URLs plus the floor, once Django is set up


def add_floor_view():
    from django.http import HttpResponse
    from django.template import engines
    from django.urls import include, path

    template = engines["django"].from_string(
        "<table><tbody>{% for row in rows %}<tr>{% for cell in row %}<td>{{ cell }}</td>"
        "{% endfor %}</tr>{% endfor %}</tbody></table>")
    rows = [[f"{row}-{column}" for column in range(COLUMNS)] for row in range(ROWS)]

    def plain_table(request):
        return HttpResponse(template.render({"rows": rows}, request))

    urlpatterns[:] = [path("benchmark/plain-table/", plain_table),
                      path("", include("kpi_site.urls"))]


def synthetic_scheme(institution):
    """A scheme over all 500 indicators, with five past years for half."""
    from goals.models import (EvaluationScheme, GradeBand, Indicator, PastResult,
                              SchemeIndicator)

    indicators = list(Indicator.objects.filter(program__category__plan__institution=institution,
                                               program__category__plan__year=2024))
    scheme = EvaluationScheme.objects.create(institution=institution, year=2024, name="합성")
    SchemeIndicator.objects.bulk_create(
        SchemeIndicator(scheme=scheme, indicator=indicator, weight=Decimal("0.2"),
                        method="deviation" if n % 2 else "target", cap=Decimal(110))
        for n, indicator in enumerate(indicators))
    PastResult.objects.bulk_create(
        PastResult(indicator=indicator, year=year, value=Decimal(40 + n % 9 + year % 7))
        for n, indicator in enumerate(indicators) for year in range(2019, 2023))
    GradeBand.objects.bulk_create(
        GradeBand(scheme=scheme, order=order, label=label, lower_bound=bound)
        for order, (label, bound) in enumerate([("S", 95), ("A", 85), ("B", 75), ("C", 65),
                                                ("D", 0)], start=1))


def main():
    with test_database():
        from django.test.utils import override_settings

        from goals.loading import load_document, read_document
        from goals.management.commands.load_document import DEFAULT_DOCUMENT
        from goals.models import Indicator
        from goals.schemes import load_schemes, read_schemes
        from goals.synthetic import build_synthetic_plan

        add_floor_view()
        document = load_document(read_document(DEFAULT_DOCUMENT))
        load_schemes(read_schemes())
        synthetic = build_synthetic_plan(indicators=500)
        synthetic_scheme(synthetic)
        client = director_client(document, synthetic)
        indicator = Indicator.objects.filter(
            program__category__plan__institution=synthetic, program__category__plan__year=2024
        ).order_by("pk").first()
        pages = [
            (f"floor: plain table, {ROWS} rows × {COLUMNS} columns", "/benchmark/plain-table/"),
            ("evaluation, document 2023 (16 indicators)", f"/{document.code}/2023/evaluation/"),
            ("overview, 500 indicators (the same year_figures() read)",
             f"/{synthetic.code}/2024/?q=2"),
            ("evaluation, 500 indicators", f"/{synthetic.code}/2024/evaluation/?q=2"),
            ("target simulator, 500 indicators", f"/{synthetic.code}/2024/evaluation/simulator/"),
            # The indicator page reads the whole year for the grade (issue 15).
            ("indicator page, 500 indicators (the year's grade)",
             f"/{synthetic.code}/2024/indicators/{indicator.pk}/?q=2"),
        ]
        print(f"database: {engine()}")
        results = {}
        with override_settings(ROOT_URLCONF=__name__):
            for label, url in pages:
                def get(url=url):
                    response = client.get(url)
                    assert response.status_code == 200, (url, response.status_code)

                queries = count_queries(get)
                results[label] = median_ms(get, repeat=9)
                print(f"{label}: median {results[label]:.1f} ms, {queries} queries")
        floor = results[pages[0][0]]
        for label, _url in pages[2:]:
            print(f"{label}: {results[label] / floor:.1f}× the floor")
        overview = results[pages[2][0]]
        print(f"evaluation, 500 indicators: {results[pages[3][0]] / overview:.1f}× the overview")
        return 0


if __name__ == "__main__":
    sys.exit(main())
