"""
Hostile uploads (issue 14): the median time the entry sheet upload and the
plan workbook upload take to refuse each hostile file of the hardening round
(tests/support/hostile_files.py), against the floor of the same upload refusing a
file that is not a zip at all (nothing to read), and of taking the good
workbook the hostile ones were made from.

    .venv/bin/python benchmarks/hostile_uploads.py

Before goals.uploads, the first of these took 164 s and the second 55 s.
"""

import logging

from harness import engine, median_ms, test_database


def main():
    with test_database():
        # Each refusal is logged as a bad request; the figures are what is read here.
        logging.getLogger("django.request").setLevel(logging.ERROR)
        from django.core.files.uploadedfile import SimpleUploadedFile
        from django.test import Client

        from goals import roles
        from goals.loading import load_document, read_document
        from goals.management.commands.load_document import DEFAULT_DOCUMENT
        from goals.models import Program
        from reports.exports import render
        from tests.support.entry_fixtures import make_user
        from tests.support.hostile_files import HOSTILE

        institution = load_document(read_document(DEFAULT_DOCUMENT))
        staff = make_user(institution, roles.STAFF, "bench-staff")
        Program.objects.filter(category__plan__institution=institution,
                               category__plan__year=2024).update(owner=staff)
        planner = make_user(institution, roles.APPROVER, "bench-planner")
        staff_client, planner_client = Client(), Client()
        staff_client.force_login(staff)
        planner_client.force_login(planner)
        uploads = {
            "entry sheet": (staff_client, "/jbsss/2024/entry/1/sheet/", "file",
                            staff_client.get("/jbsss/2024/entry/1/sheet.xlsx").content),
            "plan workbook": (planner_client, "/reports/jbsss/upload/", "workbook",
                              render(institution, 2024, format="xlsx")),
        }
        print(f"database: {engine()}; median of 5, milliseconds")
        for upload, (client, url, field, good) in uploads.items():
            def send(content, expected, client=client, url=url, field=field, upload=upload):
                def post():
                    response = client.post(url, {field: SimpleUploadedFile("x.xlsx", content)})
                    assert response.status_code == expected, (upload, response.status_code)
                return post

            floor = median_ms(send(b"not a zip at all", 400), repeat=5, warmup=1)
            accepted = median_ms(send(good, 302), repeat=5, warmup=1)
            print(f"\n{upload}: refusing a non-zip {floor:.0f} ms (floor), "
                  f"taking the good workbook {accepted:.0f} ms")
            for example, make in HOSTILE.items():
                hostile = make(good)
                taken = median_ms(send(hostile, 400), repeat=5, warmup=1)
                print(f"  {example:<30}{len(hostile):>7} bytes{taken:>8.0f} ms"
                      f"{taken / floor:>7.1f}x floor")


if __name__ == "__main__":
    main()
