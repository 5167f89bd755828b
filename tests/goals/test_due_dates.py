"""Issue 13: a due date per plan and quarter (20 days after the quarter ends
unless the approver sets another), shown with its D-day, and a submission
after it flagged as late."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from goals import entry, review
from goals.models import QuarterDue, Submission, default_due_date
from tests.support.entry_fixtures import approver, outsourcing, staff  # noqa: F401
from tests.support.entry_fixtures import fill_quarter

pytestmark = pytest.mark.django_db


def test_the_default_is_twenty_days_after_the_quarter():
    assert default_due_date(2024, 1) == date(2024, 4, 20)
    assert default_due_date(2024, 3) == date(2024, 10, 20)
    assert default_due_date(2024, 4) == date(2025, 1, 20)


def test_d_day():
    today = date(2024, 4, 17)
    assert review.d_day(date(2024, 4, 20), today) == "D-3"
    assert review.d_day(today, today) == "D-day"
    assert review.d_day(date(2024, 4, 15), today) == "D+2"


def test_the_approver_sets_a_due_date_shown_on_the_entry_page(
        client, approver, staff, outsourcing):
    client.force_login(approver)
    response = client.post("/jbsss/2024/approval/1/due/", {"due_date": "2024-04-25"})
    assert response.status_code == 302
    assert QuarterDue.objects.get(quarter=1).due_date == date(2024, 4, 25)
    client.force_login(staff)
    page = client.get("/jbsss/2024/entry/1/").content.decode()
    assert "1분기 제출 기한: 2024. 4. 25. (D+" in page


@pytest.mark.parametrize("sent, message", [
    ("2023-12-31", "제출 기한은 분기가 시작하기 전(2024. 1. 1.)일 수 없습니다."),
    ("2024-03-31", None),  # before Q2 starts: refused for Q2 only
    ("내일", "날짜"), ("", "필수")])
def test_a_bad_due_date_is_refused_in_korean_and_nothing_changes(client, approver, sent,
                                                                 message):
    client.force_login(approver)
    if message is None:
        response = client.post("/jbsss/2024/approval/2/due/", {"due_date": sent})
        message = "제출 기한은 분기가 시작하기 전(2024. 4. 1.)일 수 없습니다."
    else:
        response = client.post("/jbsss/2024/approval/1/due/", {"due_date": sent})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not QuarterDue.objects.exists()


def test_a_submission_after_the_due_date_is_flagged_late(client, approver, staff, outsourcing):
    QuarterDue.objects.create(plan=outsourcing.category.plan, quarter=1,
                              due_date=timezone.localdate() - timedelta(days=1))
    fill_quarter(outsourcing, 1, staff)
    entry.submit(staff, outsourcing, 1)
    client.force_login(approver)
    page = client.get("/jbsss/2024/approval/1/").content.decode()
    assert "기한 후 제출" in page
    assert Submission.objects.get(program=outsourcing, quarter=1).status == "submitted"


def test_the_approver_sees_the_evidence_with_who_and_when(client, approver, staff, outsourcing):
    from django.core.files.uploadedfile import SimpleUploadedFile

    fill_quarter(outsourcing, 1, staff)
    entry.add_evidence(staff, outsourcing, 1, SimpleUploadedFile(
        "회의록.pdf", b"%PDF-1.7\n%%EOF\n"))
    entry.submit(staff, outsourcing, 1)
    client.force_login(approver)
    page = client.get("/jbsss/2024/approval/1/").content.decode()
    section = page[page.index(f'id="program-{outsourcing.pk}"'):]
    assert "회의록.pdf" in section and "김담당" in section and "바이트" in section
    today = timezone.localdate()
    assert f"{today.year}. {today.month}. {today.day}. " in section  # when, as the pages write it
    evidence = outsourcing.evidence.get()
    assert client.get(f"/evidence/{evidence.pk}/").status_code == 200
