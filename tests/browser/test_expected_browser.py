"""The director reads the expected evaluation and the budget execution where
they already look, in a browser (Debian's chromium through Playwright): the
overview's grade card, the categories' expected 득점 and 집행률, an
indicator's expected 평점 and the year's grade. Screenshots in test-artifacts/."""

from io import StringIO

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from goals.management.commands.setup_demo import DEMO_PASSWORD
from goals.models import Execution, Indicator
from tests.support.browser import log_in, screenshot
from tests.support.entry_fixtures import approved_results

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def cells(row):
    return [" ".join(text.split()) for text in row.locator("td, th").all_inner_texts()]


def test_the_director_sees_the_expected_grade_and_execution(live_server, institution,
                                                           browser_page):
    call_command("setup_demo", stdout=StringIO())  # loads the example schemes too
    page, base = browser_page, live_server.url
    log_in(page, base, "director", DEMO_PASSWORD)

    # 2023 under the default scheme (도 출연기관): every target met, 100.00, 가.
    page.goto(f"{base}/jbsss/2023/")
    expect(page.locator("#overview-grade")).to_have_text("가")
    expect(page.locator("#overview-total")).to_contain_text("예상 총점 100.00")
    categories = page.locator("table", has=page.locator("caption", has_text="분야별 합계"))
    total = categories.locator("tbody tr", has=page.get_by_role("rowheader", name="합계"))
    expect(total).to_contain_text("100.00 (가)")
    indicators = page.locator("table", has=page.locator("caption", has_text="성과지표별 현황"))
    row = indicators.locator("tbody tr", has=page.get_by_role("link", name="지원사업 횟수"))
    expect(row).to_contain_text("82회")
    expect(row).to_contain_text("8.00/8.00")
    screenshot(page, "overview-2023-expected.png")

    row.get_by_role("link", name="지원사업 횟수").click()
    expect(page.get_by_role("heading", name="경영평가 예상")).to_be_visible()
    expect(page.locator("#indicator-score")).to_have_text("100.00")
    expect(page.locator("#indicator-grade")).to_have_text("가")

    # 2024 after two approved quarters of 지원사업횟수, 95% of its program's budget spent.
    support = Indicator.objects.get(program__category__plan__year=2024,
                                    measurement="지원사업횟수")
    program = support.program
    Execution.objects.create(program=program, quarter=1,
                             amount_won=program.budget_won * 95 // 100)
    approved_results(support, {1: 3, 2: 2})
    page.goto(f"{base}/jbsss/2024/?q=2")
    row = indicators.locator("tbody tr", has=page.get_by_role("link", name="지원사업횟수"))
    expect(row).to_contain_text("95%")
    expect(row).to_contain_text("집행에 비해 성과 부진")
    screenshot(page, "overview-2024-execution.png")
    row.get_by_role("link", name=program.name).click()
    execution = page.locator("table", has=page.locator("caption", has_text="예산 집행"))
    expect(execution).to_contain_text("집행에 비해 성과 부진")
    expect(execution.locator("tbody tr").first).to_contain_text("95%")
