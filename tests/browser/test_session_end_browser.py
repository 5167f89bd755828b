"""Issue 13 (KWCAG 2.2 adjustable time limits): the session's end is
announced with a button that continues it, and what was typed on the entry
page comes back after logging in again when it ended anyway."""

import time

import pytest
from playwright.sync_api import expect

from goals import roles
from tests.support.browser import log_in
from tests.support.entry_fixtures import OUTSOURCING, PASSWORD, make_user, program_named

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
NAME = "소속시설 조직진단 및 모니터링"


def test_the_session_end_is_announced_and_nothing_typed_is_lost(
        live_server, browser_page, institution, settings):
    settings.SESSION_COOKIE_AGE = 10  # the warning comes at 5 s, the end at 10 s
    staff = make_user(institution, roles.STAFF, "staff-session", "담당자")
    program = program_named(institution.plans.get(year=2024), OUTSOURCING)
    program.owner = staff
    program.save()
    page, base = browser_page, live_server.url
    page.on("dialog", lambda dialog: dialog.accept())
    log_in(page, base, "staff-session", PASSWORD)
    page.goto(f"{base}/jbsss/2024/entry/1/")
    section = page.locator(f"#program-{program.pk}")
    section.get_by_label(NAME, exact=True).fill("7")
    warning = page.get_by_role("alertdialog")
    expect(warning).to_be_visible(timeout=9_000)
    expect(warning).to_contain_text("곧 자동으로 로그아웃됩니다")
    expect(warning.get_by_role("button", name="계속 사용")).to_be_focused()
    # Let it end: the session is gone, the value typed is not.
    time.sleep(6)
    page.goto(f"{base}/jbsss/2024/entry/1/")
    expect(page).to_have_url(f"{base}/accounts/login/?next=/jbsss/2024/entry/1/")
    settings.SESSION_COOKIE_AGE = 3600
    page.get_by_label("사용자 이름").fill("staff-session")
    page.get_by_label("비밀번호").fill(PASSWORD)
    page.get_by_role("button", name="로그인").click()
    expect(page).to_have_url(f"{base}/jbsss/2024/entry/1/")
    expect(section.get_by_label(NAME, exact=True)).to_have_value("7")
    expect(page.get_by_role("status").filter(has_text="입력한 값을 되살렸습니다")).to_be_visible()
