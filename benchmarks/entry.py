"""
Quarterly entry: the median server time of saving a 20-indicator quarter
through the entry page, and the entry page's query count at the document's
size and at 500 indicators (it must not grow).

    .venv/bin/python benchmarks/entry.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test .venv/bin/python benchmarks/entry.py
"""

import statistics
import time

from harness import count_queries, engine, median_ms, test_database


def main():
    with test_database():
        from django.contrib.auth import get_user_model
        from django.test import Client

        from goals import roles
        from goals.loading import load_document, read_document
        from goals.management.commands.load_document import DEFAULT_DOCUMENT
        from goals.models import Indicator, Program
        from goals.synthetic import build_synthetic_plan

        staff = get_user_model().objects.create_user("bench", password="bench-pw")
        staff.groups.add(roles.ensure_groups()[roles.STAFF])

        def owned_by_staff(institution):
            institution.members.add(staff)
            Program.objects.filter(category__plan__institution=institution,
                                   category__plan__year=2024).update(owner=staff)
            return institution

        document = owned_by_staff(load_document(read_document(DEFAULT_DOCUMENT)))
        big = owned_by_staff(build_synthetic_plan(indicators=500))
        small = owned_by_staff(build_synthetic_plan(indicators=20, per_program=20, code="twenty"))
        client = Client()
        client.force_login(staff)
        print(f"database: {engine()}")

        def page(code):
            return lambda: client.get(f"/{code}/2024/entry/1/")  # noqa: E731

        indicators = Indicator.objects.filter(program__category__plan__institution=document,
                                              program__category__plan__year=2024).count()
        print(f"entry page, document ({indicators} indicators): "
              f"{count_queries(page(document.code))} queries, "
              f"median {median_ms(page(document.code), 7):.1f} ms")
        print(f"entry page, synthetic (500 indicators): {count_queries(page(big.code))} queries, "
              f"median {median_ms(page(big.code), 7):.1f} ms")

        # Saving Q3 (the synthetic plan has submitted Q1 and Q2) of one program
        # with 20 indicators, each made of a unit project: 20 values change
        # every time.
        program = Program.objects.get(category__plan__institution=small, category__plan__year=2024)
        url = f"/{small.code}/2024/entry/3/"
        timings = []
        for round_number in range(17):
            response = client.get(url)
            section = response.context["sections"][0]
            form = section["form"]
            data = {form.add_prefix(name): ("" if form[name].value() is None
                                            else form[name].value())
                    for name in form.fields}
            for line in section["quarter"].lines:
                data[form.add_prefix(f"value_{line.key}")] = str(round_number + 1)
            start = time.perf_counter()
            response = client.post(f"{url}{program.pk}/", data)
            timings.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 302, response.status_code
        saved = len(section["quarter"].lines)
        print(f"save a quarter of {saved} indicators through the entry page: "
              f"median {statistics.median(timings[2:]):.1f} ms")


if __name__ == "__main__":
    main()
