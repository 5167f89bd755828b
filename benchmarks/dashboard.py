"""
The director's dashboard: how long the year's overview takes on the server,
at the document's size and at 500 indicators, next to its floor measured in
the same run: Django rendering a plain table of 500 rows and 12 columns
(the overview's size) through the same middleware (login, session, history)
and the same page around it (base.html, its context processors).

    .venv/bin/python benchmarks/dashboard.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test .venv/bin/python benchmarks/dashboard.py

Each page is requested in turns with the floor, so that both meet the same
load on a shared machine; the ratios printed are the medians of those pairs,
in wall time and in the CPU time of the process (steadier when other work
competes for the cores).

A page is timed as most requests meet it, with the year's figures kept from
an earlier request (goals.figures_cache), and the overview also as the first
request after a colleague's save meets it (that program built afresh) and
after a change to the outline (the year built afresh).

Target: the overview at 500 indicators within 2× of the floor; its query
count the same at 21 and at 500 indicators, and with the values not approved
yet shown or not.
"""

import statistics
import sys
import time

from harness import (count_queries, director_client, engine, render_as_in_production,
                     test_database)

TARGET_RATIO = 2.0
ROWS, COLUMNS = 500, 12
urlpatterns = []  # the app's URLs plus the floor's views, once Django is set up

PLAIN_TABLE = """{% extends "base.html" %}
{% block content %}<h1>표</h1>
<table><caption>성과지표</caption>
<thead><tr>{% for header in headers %}<th scope="col">{{ header }}</th>{% endfor %}</tr></thead>
<tbody>{% for row in rows %}<tr>{% for cell in row %}<td>{{ cell }}</td>{% endfor %}</tr>{% endfor %}
</tbody></table>{% endblock %}"""


def add_floor_views():
    from django.http import HttpResponse
    from django.template import engines
    from django.urls import include, path

    template = engines["django"].from_string(PLAIN_TABLE)
    headers = [f"열 {column}" for column in range(COLUMNS)]

    def plain_table(request):
        # Text like the overview's cells: names, figures with units, rates.
        rows = [[f"사업 {row} 성과지표 {column}" if column < 4 else f"{row * column:,}회"
                 for column in range(COLUMNS)] for row in range(ROWS)]
        return HttpResponse(template.render({"headers": headers, "rows": rows}, request))

    urlpatterns[:] = [
        path("benchmark/trivial/", lambda request: HttpResponse("ok")),
        path("benchmark/plain-table/", plain_table),
        path("", include("kpi_site.urls")),
    ]


def main():
    with test_database():
        render_as_in_production()
        from django.test.utils import override_settings

        from goals.loading import load_document, read_document
        from goals.management.commands.load_document import DEFAULT_DOCUMENT
        from goals.models import Program
        from goals.synthetic import build_synthetic_plan

        add_floor_views()
        document = load_document(read_document(DEFAULT_DOCUMENT))
        synthetic = build_synthetic_plan(indicators=ROWS)
        client = director_client(document, synthetic)
        program = Program.objects.filter(category__plan__institution=synthetic,
                                          category__plan__year=2024).first()
        indicator = program.indicators.first()

        pages = [
            ("trivial view", "/benchmark/trivial/"),
            (f"floor: plain {ROWS}-row, {COLUMNS}-column table", "/benchmark/plain-table/"),
            ("overview, document (21 indicators)", f"/{document.code}/2024/"),
            ("overview, 500 indicators", f"/{synthetic.code}/2024/"),
            ("overview, 500 indicators, figures built afresh (as after the outline changed)",
             f"/{synthetic.code}/2024/", "cold"),
            ("overview, 500 indicators, after one program's value saved",
             f"/{synthetic.code}/2024/", "saved"),
            ("overview, 500 indicators, values not approved yet included",
             f"/{synthetic.code}/2024/?values=all"),
            ("overview, 500 indicators, sorted by achievement",
             f"/{synthetic.code}/2024/?sort=-achievement"),
            ("program page, 500-indicator plan", f"/{synthetic.code}/2024/programs/{program.pk}/"),
            ("indicator page, 500-indicator plan",
             f"/{synthetic.code}/2024/indicators/{indicator.pk}/"),
        ]
        print(f"database: {engine()}")
        floor_url = "/benchmark/plain-table/"
        results = {}
        with override_settings(ROOT_URLCONF=__name__):
            for label, url, *cold in pages:
                before = {"cold": forget_figures, "saved": save_a_value(program)}.get(
                    cold[0]) if cold else None
                forget_figures()
                built = count_queries(lambda url=url: get(client, url))
                kept = count_queries(lambda url=url: get(client, url))
                queries = f"{built} queries" if cold == ["cold"] or built == kept else (
                    f"{built} queries ({kept} with the figures kept)")
                results[label] = side_by_side(client, url, floor_url, before=before)
                wall, cpu, wall_ratio, cpu_ratio = results[label]
                print(f"{label}: median {wall:.1f} ms ({cpu:.1f} ms CPU), {queries}; "
                      f"{wall_ratio:.2f}x the floor ({cpu_ratio:.2f}x in CPU)")
        _wall, _cpu, ratio, cpu_ratio = results["overview, 500 indicators"]
        print(f"overview at 500 indicators: {ratio:.2f}x the floor, {cpu_ratio:.2f}x in CPU time "
              f"(target < {TARGET_RATIO}x)")
        return 0 if ratio < TARGET_RATIO else 1


def get(client, url):
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)


def save_a_value(program):
    """A colleague's save: one value of `program` changes (its program's
    version, not the outline): the next page builds that program afresh."""
    from goals.models import Result

    result = Result.objects.filter(unit_project__program=program, period=1).first()

    def save():
        result.value += 1
        result.save()
    return save


def forget_figures():
    """Drop the year's figures kept in this process and in the shared cache, as
    a change to the institution's outline does: the next page builds them
    afresh."""
    from django.core.cache import caches

    from goals import figures_cache

    figures_cache.local.clear()
    caches[figures_cache.CACHE].clear()


def side_by_side(client, url, floor_url, repeat=15, warmup=2, before=None):
    """The page and the floor in turns, so that both meet the same load on a
    shared machine: median wall and CPU time of the page, and the medians of
    the page-to-floor ratios. `before` runs, untimed, before each request of
    the page."""
    for _ in range(warmup):
        if before:
            before()
        get(client, url)
        get(client, floor_url)
    walls, cpus, wall_ratios, cpu_ratios = [], [], [], []
    for _ in range(repeat):
        if before:
            before()
        page_wall, page_cpu = timed(lambda: get(client, url))
        floor_wall, floor_cpu = timed(lambda: get(client, floor_url))
        walls.append(page_wall)
        cpus.append(page_cpu)
        wall_ratios.append(page_wall / floor_wall)
        cpu_ratios.append(page_cpu / floor_cpu)
    return tuple(statistics.median(values) for values in (walls, cpus, wall_ratios, cpu_ratios))


def timed(function):
    wall, cpu = time.perf_counter(), time.process_time()
    function()
    return (time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000


if __name__ == "__main__":
    sys.exit(main())
