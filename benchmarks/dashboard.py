"""
The director's dashboard: how long the year's overview takes on the server,
at the document's size and at 500 indicators, next to a trivial view that
goes through the same middleware (login, session, history) in the same run.

    .venv/bin/python benchmarks/dashboard.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test .venv/bin/python benchmarks/dashboard.py

Target: the overview under 150 ms median at 500 indicators on SQLite.
"""

import sys

from harness import count_queries, engine, median_ms, test_database

TARGET_MS = 150
urlpatterns = []  # the app's URLs plus a trivial view, once Django is set up


def add_trivial_view():
    from django.http import HttpResponse
    from django.urls import include, path

    urlpatterns[:] = [
        path("benchmark/trivial/", lambda request: HttpResponse("ok")),
        path("", include("kpi_site.urls")),
    ]


def main():
    with test_database():
        from django.contrib.auth import get_user_model
        from django.test import Client
        from django.test.utils import override_settings

        from goals import roles
        from goals.document import load_document, read_document
        from goals.management.commands.load_document import DEFAULT_DOCUMENT
        from goals.models import Program
        from goals.synthetic import build_synthetic_plan

        add_trivial_view()
        document = load_document(read_document(DEFAULT_DOCUMENT))
        synthetic = build_synthetic_plan(indicators=500)
        director = get_user_model().objects.create_user("benchmark-director")
        director.groups.add(roles.ensure_groups()[roles.DIRECTOR])
        for institution in (document, synthetic):
            institution.members.add(director)
        client = Client()
        client.force_login(director)
        program = Program.objects.filter(category__plan__institution=synthetic,
                                          category__plan__year=2024).first()
        indicator = program.indicators.first()

        pages = [
            ("trivial view", "/benchmark/trivial/"),
            ("overview, document (21 indicators)", f"/{document.code}/2024/"),
            ("overview, 500 indicators", f"/{synthetic.code}/2024/"),
            ("overview, 500 indicators, sorted by achievement",
             f"/{synthetic.code}/2024/?sort=-achievement"),
            ("program page, 500-indicator plan", f"/{synthetic.code}/2024/programs/{program.pk}/"),
            ("indicator page, 500-indicator plan",
             f"/{synthetic.code}/2024/indicators/{indicator.pk}/"),
        ]
        print(f"database: {engine()}")
        results = {}
        with override_settings(ROOT_URLCONF=__name__):
            for label, url in pages:
                def get(url=url):
                    response = client.get(url)
                    assert response.status_code == 200, (url, response.status_code)

                queries = count_queries(get)
                results[label] = median_ms(get, repeat=15)
                print(f"{label}: median {results[label]:.1f} ms, {queries} queries")
        overview = results["overview, 500 indicators"]
        print(f"overview at 500 indicators: {overview:.1f} ms median "
              f"(target < {TARGET_MS} ms; trivial view {results['trivial view']:.1f} ms)")
        return 0 if overview < TARGET_MS else 1


if __name__ == "__main__":
    sys.exit(main())
