"""In the browser: staff enter Q1 for a program with unit projects and submit
it; the approver approves; the values are then locked for the staff member."""

import pytest

from goals import roles
from goals.models import Result, Submission
from tests.support.browser import log_in, log_out, screenshot
from tests.support.entry_fixtures import OUTSOURCING, PASSWORD, make_user, program_named

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

Q1 = {"소속시설 조직진단 및 모니터링": "7", "소속시설 협력체계 강화": "5",
      "이용자 및 종사자 만족도조사": "0", "ESG 경영 실천": "1", "소속시설 미션·비전 정립": "0",
      "소속시설 운영규칙 점검 및 정비": "3", "소속시설 직원연수": "0", "분야별 매뉴얼 발간": "0"}


def test_enter_submit_approve_and_the_quarter_is_locked(live_server, browser_page, institution):
    plan = institution.plans.get(year=2024)
    staff = make_user(institution, roles.STAFF, "staff1", "담당자 1")
    make_user(institution, roles.APPROVER, "approver", "경영기획팀장")
    program = program_named(plan, OUTSOURCING)
    program.owner = staff
    program.save()
    page = browser_page
    section = page.locator(f"#program-{program.pk}")

    log_in(page, live_server.url, "staff1", PASSWORD)
    page.get_by_role("link", name="실적 입력", exact=True).click()
    page.get_by_role("link", name="1분기").click()
    assert page.get_by_role("heading", level=1).inner_text() == "2024년 1분기 실적 입력"
    for name, value in Q1.items():
        section.get_by_label(name, exact=True).fill(value)
    section.get_by_label("ESG 경영 실천 비고").fill("ESG 실천 교육 1회")
    page.get_by_role("button", name="저장", exact=True).click()
    page.wait_for_load_state()
    assert "값 8개를 저장했습니다" in page.locator(".messages").inner_text()
    total = section.locator("tr.indicator-row").first
    assert "16회" in total.inner_text()  # 7 + 5 + 1 + 3, computed by the selector
    screenshot(page, "entry-q1-saved.png")

    section.get_by_role("button", name="1분기 제출").click()
    page.wait_for_load_state()
    assert "1분기를 제출했습니다" in page.locator(".messages").inner_text()
    log_out(page)

    log_in(page, live_server.url, "approver", PASSWORD)
    page.get_by_role("link", name="승인", exact=True).click()
    page.get_by_role("link", name="1분기").click()
    approval = page.locator(f"#program-{program.pk}")
    assert "제출" in approval.locator(".status").first.inner_text()
    assert "모든 값 입력됨" in approval.inner_text()
    screenshot(page, "approval-q1-submitted.png", full_page=False)
    approval.get_by_role("button", name="승인", exact=True).click()
    page.wait_for_load_state()
    assert "값이 잠겼습니다" in page.locator(".messages").inner_text()
    log_out(page)

    log_in(page, live_server.url, "staff1", PASSWORD)
    page.goto(f"{live_server.url}/jbsss/2024/entry/1/")
    assert "승인 · 잠김" in section.locator("h2").inner_text()
    assert "승인된 분기입니다" in section.inner_text()
    assert section.get_by_label("소속시설 조직진단 및 모니터링", exact=True).count() == 0
    assert section.get_by_role("textbox").count() == 0
    assert "7회" in section.inner_text()
    screenshot(page, "entry-q1-locked.png")

    # Even a hand-made request to save is refused.
    token = page.context.cookies()
    csrf = next(cookie["value"] for cookie in token if cookie["name"] == "csrftoken")
    unit = program.unit_projects.get(name="소속시설 조직진단 및 모니터링")
    response = page.request.post(f"{live_server.url}/jbsss/2024/entry/1/{program.pk}/", form={
        "csrfmiddlewaretoken": csrf, f"p{program.pk}-value_u{unit.pk}": "9",
        f"p{program.pk}-version_u{unit.pk}": "1"}, headers={"Referer": live_server.url})
    assert response.status == 400
    assert Result.objects.get(unit_project=unit, period=1).value == 7
    assert Submission.objects.get(program=program, quarter=1).status == "approved"
