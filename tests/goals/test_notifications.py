"""Issue 13: returns, approvals and reminders reach the person in the app
(the bell) and by e-mail only when a mail server is configured; the daily
command sends due-date reminders once a day; nobody reads another's."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from goals import entry, notify
from goals.models import Notification, QuarterDue
from tests.support.entry_fixtures import (approver, make_user, other_staff, outsider,  # noqa: F401
                                  outsourcing, staff)
from tests.support.entry_fixtures import fill_quarter

pytestmark = pytest.mark.django_db


def test_a_return_reaches_the_owner_in_the_app_and_not_by_mail_without_a_server(
        client, staff, approver, outsourcing, settings, django_capture_on_commit_callbacks):
    settings.NOTIFY_BY_EMAIL = False
    staff.email = "kim@example.kr"
    staff.save()
    fill_quarter(outsourcing, 1, staff)
    entry.submit(staff, outsourcing, 1)
    with django_capture_on_commit_callbacks(execute=True):
        entry.return_quarter(approver, outsourcing, 1, "증빙 보완")
    assert not mail.outbox
    client.force_login(staff)
    page = client.get("/jbsss/2024/todo/1/").content.decode()
    assert "새 알림 1" in page
    page = client.get("/notifications/").content.decode()
    assert "반려되었습니다: 증빙 보완" in page
    client.post("/notifications/read/")
    assert not Notification.objects.filter(read_at__isnull=True).exists()


def test_with_a_mail_server_the_approval_is_mailed_too(
        staff, approver, outsourcing, settings, django_capture_on_commit_callbacks):
    settings.NOTIFY_BY_EMAIL = True
    staff.email = "kim@example.kr"
    staff.save()
    fill_quarter(outsourcing, 1, staff)
    entry.submit(staff, outsourcing, 1)
    with django_capture_on_commit_callbacks(execute=True):
        entry.approve(approver, outsourcing, 1)
    assert len(mail.outbox) == 1 and "승인되었습니다" in mail.outbox[0].subject


def test_a_mail_server_that_fails_changes_nothing(staff, approver, outsourcing, settings,
                                                 django_capture_on_commit_callbacks):
    settings.NOTIFY_BY_EMAIL = True
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9  # nothing listens
    staff.email = "kim@example.kr"
    staff.save()
    fill_quarter(outsourcing, 1, staff)
    entry.submit(staff, outsourcing, 1)
    with django_capture_on_commit_callbacks(execute=True):
        entry.approve(approver, outsourcing, 1)
    assert outsourcing.submissions.get(quarter=1).status == "approved"


def test_the_approver_reminds_the_owners_of_missing_programs(client, staff, approver,
                                                             outsourcing):
    client.force_login(approver)
    response = client.post("/jbsss/2024/approval/1/remind/", follow=True)
    assert "담당자 1명에게 알림을 보냈습니다" in response.content.decode()
    reminder = Notification.objects.get(user=staff)
    assert outsourcing.name in reminder.text and "2024. 4. 20.까지 제출해 주세요" in reminder.text


def test_a_reminder_to_nobody_is_refused(client, approver, plan_2024):
    plan_2024.categories.first().programs.update(owner=None)
    from goals.models import Program
    Program.objects.filter(category__plan=plan_2024).update(owner=None)
    client.force_login(approver)
    response = client.post("/jbsss/2024/approval/1/remind/", follow=True)
    assert "알림을 받을 담당자가 없습니다" in response.content.decode()
    assert not Notification.objects.exists()


def test_nobody_reads_anothers_notifications(client, staff, other_staff, outsider, outsourcing):
    notify.notify(staff, outsourcing.category.plan.institution, "김담당에게만")
    for user in (other_staff, outsider):
        client.force_login(user)
        assert "김담당에게만" not in client.get("/notifications/").content.decode()
    # Someone outside the institution gets nothing about it.
    assert notify.notify(outsider, outsourcing.category.plan.institution, "x") is None


def test_send_reminders_once_a_day(staff, outsourcing):
    QuarterDue.objects.create(plan=outsourcing.category.plan, quarter=1,
                              due_date=timezone.localdate() + timedelta(days=1))
    out = StringIO()
    call_command("send_reminders", stdout=out)
    assert Notification.objects.filter(user=staff, text__contains="제출 기한은").count() == 1
    call_command("send_reminders", stdout=StringIO())
    assert Notification.objects.filter(user=staff, text__contains="제출 기한은").count() == 1


def test_the_session_end_is_announced_and_can_be_put_off(client, staff, settings):
    client.post("/accounts/login/", {"username": "kim", "password": "pw-entry-1"})
    page = client.get("/notifications/").content.decode()
    assert 'data-session-seconds="' in page and "계속 사용" in page
    session = client.session
    session["renewed_at"] -= settings.SESSION_COOKIE_AGE - 60
    session.save()
    assert 0 < seconds_left(client) <= 60
    assert client.post("/session/keepalive/").status_code == 204
    assert seconds_left(client) > settings.SESSION_COOKIE_AGE - 60


def seconds_left(client):
    import re

    page = client.get("/notifications/").content.decode()
    return int(re.search(r'data-session-seconds="(\d+)"', page).group(1))
