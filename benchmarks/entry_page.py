"""
The entry page at 500 indicators next to its floor, measured in the same run
(benchmarks/dashboard.py's plain 500-row table through the same middleware
and base.html): issue 17 wants it within 3× of the floor.

    .venv/bin/python benchmarks/entry_page.py

Each page is requested in turns with the floor; the ratios are the medians of
those pairs, in wall time and in the process's CPU time.
"""

from dashboard import add_floor_views, side_by_side
from harness import count_queries, engine, test_database

TARGET_RATIO = 3.0
FLOOR = "/benchmark/plain-table/"


def main():
    with test_database():
        from django.contrib.auth import get_user_model
        from django.test import Client
        from django.test.utils import override_settings

        from goals import roles
        from goals.loading import load_document, read_document
        from goals.management.commands.load_document import DEFAULT_DOCUMENT
        from goals.models import Program
        from goals.synthetic import build_synthetic_plan

        add_floor_views()
        staff = get_user_model().objects.create_user("bench-entry")
        staff.groups.add(roles.ensure_groups()[roles.STAFF])
        for institution in (load_document(read_document(DEFAULT_DOCUMENT)),
                            build_synthetic_plan(indicators=500)):
            institution.members.add(staff)
            Program.objects.filter(category__plan__institution=institution).update(owner=staff)
        client = Client()
        client.force_login(staff)
        print(f"database: {engine()}")
        results = {}
        with override_settings(ROOT_URLCONF="dashboard"):
            for label, url in [("entry page, document", "/jbsss/2024/entry/3/"),
                               ("entry page, 500 indicators", "/synthetic/2024/entry/3/")]:
                queries = count_queries(lambda url=url: client.get(url))
                wall, cpu, ratio, cpu_ratio = results[label] = side_by_side(client, url, FLOOR)
                print(f"{label}: median {wall:.1f} ms ({cpu:.1f} ms CPU), {queries} queries; "
                      f"{ratio:.2f}x the floor ({cpu_ratio:.2f}x in CPU)")
        ratio = results["entry page, 500 indicators"][2]
        print(f"entry page at 500 indicators: {ratio:.2f}x the floor (target < {TARGET_RATIO}x)")
        return 0 if ratio < TARGET_RATIO else 1


if __name__ == "__main__":
    raise SystemExit(main())
