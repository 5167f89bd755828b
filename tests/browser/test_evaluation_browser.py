"""The director reads the evaluation the year is heading for, in a browser
(Debian's chromium through Playwright): the 2023 document under both example
schemes, then 2024 after two quarters. Screenshots in test-artifacts/."""

from io import StringIO

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.support.entry_fixtures import approved_results
from goals.management.commands.setup_demo import DEMO_PASSWORD
from goals.models import Indicator
from tests.support.browser import log_in, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def cells(row):
    return [" ".join(text.split()) for text in row.locator("td, th").all_inner_texts()]


def test_the_director_reads_the_expected_evaluation(live_server, institution, browser_page):
    call_command("setup_demo", stdout=StringIO())  # loads the example schemes too
    support = Indicator.objects.get(program__category__plan__year=2024,
                                    measurement="지원사업횟수")
    approved_results(support, {1: 15, 2: 17})
    page, base = browser_page, live_server.url
    log_in(page, base, "director", DEMO_PASSWORD)

    page.goto(f"{base}/jbsss/2024/")
    page.get_by_role("link", name="경영평가").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "전북특별자치도사회서비스원 2024년 경영평가 예상")
    expect(page.get_by_role("note")).to_contain_text("예시 평가 체계입니다.")

    # 2023 under the province's example: every target met, 100.00, 가.
    page.goto(f"{base}/jbsss/2023/evaluation/")
    expect(page.locator("#expected-grade")).to_have_text("가")
    expect(page.locator("#expected-total")).to_have_text("100.00")
    # ... and under the ministry's: capped at 110%, 103.59, S.
    page.get_by_label("평가 체계", exact=True).select_option(label="2023 보건복지부 사회서비스원 (S–D) (예시)")
    page.get_by_role("button", name="보기").click()
    expect(page.locator("#expected-grade")).to_have_text("S")
    expect(page.locator("#expected-total")).to_have_text("103.59")
    table = page.locator("table", has=page.locator("caption", has_text="지표별"))
    row = table.locator("tbody tr", has=page.get_by_role("link", name="지원사업 횟수"))
    assert cells(row) == [
        "지원사업 횟수 수탁기관 운영 활성화 지원", "목표부여(편차) → 목표대비실적", "10.00", "56회", "-",
        "-", "82회", "82회", "110.00", "110.00", "11.00",
        "과거 실적 없음(5년 필요): 목표대비실적으로 대체"]
    screenshot(page, "evaluation-2023-ministry.png")

    # 2024 after two quarters, at the Q2 pace: 지원사업횟수 is heading for 64회.
    page.goto(f"{base}/jbsss/2024/evaluation/?q=2")
    table = page.locator("table", has=page.locator("caption", has_text="지표별"))
    row = table.locator("tbody tr", has=page.get_by_role("link", name="지원사업횟수"))
    assert cells(row)[6:11] == ["32회", "64회 (62–66)", "100.00", "100.00",
                                "8.00"]
    expect(page.locator("#expected-total")).to_have_text("8.00")
    expect(page.get_by_text("실적이 없는 지표 20개(배점 92.00점)는 0점으로 셌습니다.")).to_be_visible()
    movers = page.locator("table", has=page.locator("caption", has_text="잃는 점수"))
    expect(movers.locator("tbody tr")).to_have_count(5)
    screenshot(page, "evaluation-2024-q2.png")

    row.get_by_role("link", name="지원사업횟수").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("지원사업횟수")
    expect(page.get_by_role("img", name="분기 말 진도율과 기대 진도")).to_be_visible()
