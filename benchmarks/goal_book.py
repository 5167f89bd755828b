"""
The goal book's foundation: how long the 2024 document takes to load, and
what building a year's figures costs at the document's size and at 500
indicators: the build itself (goals.selectors.build_year_figures), as the
first read after a write meets it, and a read of the figures kept since
(goals.figures_cache), as the reads between two writes meet it.

    .venv/bin/python benchmarks/goal_book.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test .venv/bin/python benchmarks/goal_book.py
"""

import time

from harness import count_queries, engine, median_ms, test_database


def main():
    with test_database():
        from django.db import transaction

        from goals.loading import load_document, read_document
        from goals.management.commands.load_document import DEFAULT_DOCUMENT
        from goals.selectors import build_year_figures, year_figures
        from goals.synthetic import build_synthetic_plan

        data = read_document(DEFAULT_DOCUMENT)
        loads = []
        for _ in range(5):
            start = time.perf_counter()
            with transaction.atomic():
                load_document(data)
                loads.append(time.perf_counter() - start)
                transaction.set_rollback(True)
        institution = load_document(data)
        print(f"database: {engine()}")
        print(f"load the 2024 document: median {sorted(loads)[2] * 1000:.0f} ms "
              f"(target < 5000 ms)")

        big = build_synthetic_plan(indicators=500)
        for label, owner in (("document", institution), ("synthetic", big)):
            built = lambda owner=owner: build_year_figures(owner, 2024, with_text=True)  # noqa: E731
            kept = lambda owner=owner: year_figures(owner, 2024, with_text=True)  # noqa: E731
            indicators = len(built().indicators)
            kept()  # built and kept once
            print(f"year's figures, {label} ({indicators} indicators): built "
                  f"{count_queries(built)} queries, median {median_ms(built, 7):.1f} ms; "
                  f"kept {count_queries(kept)} queries, median {median_ms(kept):.1f} ms")

if __name__ == "__main__":
    main()
