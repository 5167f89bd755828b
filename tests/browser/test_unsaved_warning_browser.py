"""Issue 13: leaving the entry page with input not saved asks first
(static/goals/unsaved.js); saving does not."""

import pytest
from playwright.sync_api import expect

from goals import roles
from tests.support.browser import log_in
from tests.support.entry_fixtures import OUTSOURCING, PASSWORD, make_user, program_named

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_leaving_unsaved_input_asks_first(live_server, browser_page, institution):
    staff = make_user(institution, roles.STAFF, "staff-unsaved", "담당자")
    program = program_named(institution.plans.get(year=2024), OUTSOURCING)
    program.owner = staff
    program.save()
    page = browser_page
    log_in(page, live_server.url, "staff-unsaved", PASSWORD)
    page.goto(f"{live_server.url}/jbsss/2024/entry/1/")
    asked = []

    def answer(dialog):
        asked.append(dialog.type)
        dialog.dismiss()  # stay

    page.on("dialog", answer)
    field = page.locator(f"#program-{program.pk}").get_by_label(
        "소속시설 조직진단 및 모니터링", exact=True)
    field.click()
    field.fill("7")
    page.get_by_role("link", name="2분기").click()
    expect(field).to_have_value("7")  # still here
    assert asked == ["beforeunload"]
    page.remove_listener("dialog", answer)
    page.get_by_role("button", name="저장", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("값 1개를 저장했습니다")
