"""The director opens the dashboard in a browser (Debian's chromium through
Playwright), reads the document's figures, and follows a program and an
indicator; in the example year, the basis quarter goes along. Screenshots are
kept in test-artifacts/."""

import re
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from playwright.sync_api import expect

from goals.examples import add_examples
from goals.management.commands.setup_demo import DEMO_PASSWORD
from tests.support.accessibility import assert_accessible
from tests.support.browser import log_in, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def director_page(live_server, institution, browser_page):
    call_command("setup_demo", stdout=StringIO())
    log_in(browser_page, live_server.url, "director", DEMO_PASSWORD)
    return browser_page


def cells(row):
    return [" ".join(text.split()) for text in row.locator("td, th").all_inner_texts()]


def test_the_director_reads_the_year_and_follows_a_program_and_an_indicator(
        director_page, live_server):
    page = director_page
    page.goto(f"{live_server.url}/jbsss/2024/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "전북특별자치도사회서비스원 2024년 경영성과 목표 현황")
    table = page.locator("table", has=page.locator("caption", has_text="성과지표별 현황"))
    outsourcing = table.locator("tbody tr", has=page.get_by_role(
        "link", name="① 수탁기관 운영 활성화 지원"))
    assert cells(outsourcing) == [
        "사회서비스 공공성 강화", "① 수탁기관 운영 활성화 지원", "지원사업횟수", "담당자 1",
        "0.29", "-", "60회", "-", "작성중", "-", "미입력", "82회(56회)", "7.1%증", "-", "-"]
    expect(table.locator("tbody tr")).to_have_count(21)
    expect(page.get_by_role("img", name="분야별 평균 달성률")).to_be_visible()
    screenshot(page, "dashboard-overview-2024.png")

    # Sorting by the change against last year puts the largest increases first.
    table.get_by_role("link", name="전년목표 대비").click()
    table.get_by_role("link", name="전년목표 대비").click()
    expect(page).to_have_url(f"{live_server.url}/jbsss/2024/?sort=-change")
    assert [cells(row)[-3] for row in table.locator("tbody tr").all()[:3]] == [
        "100%증", "100%증", "50%증"]

    outsourcing.get_by_role("link", name="① 수탁기관 운영 활성화 지원").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("① 수탁기관 운영 활성화 지원")
    expect(page.locator("dl.facts").first).to_contain_text("28,517천원 (도비 28,517천원)")
    last_year = page.locator("table", has=page.locator("caption", has_text="2023년 단위사업 실적"))
    assert cells(last_year.locator("tbody tr").first) == ["계", "82회", ""]
    plan = page.locator("table", has=page.locator("caption", has_text="추진계획"))
    assert cells(plan.locator("tbody tr").first) == ["계", "60회", "60회", "60회", ""]
    screenshot(page, "dashboard-program.png")

    page.get_by_role("link", name="지원사업횟수").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("지원사업횟수")
    years = page.locator("table", has=page.locator("caption", has_text="최근 3년"))
    assert [cells(row) for row in years.locator("tbody tr").all()] == [
        ["2023년", "지원사업 횟수", "56회", "82회", "146%"],
        ["2024년", "지원사업횟수", "60회", "-", "-"]]
    expect(page.locator(".cards")).to_contain_text("82회(56회)")
    expect(page.locator(".cards")).to_contain_text("7.1%증")
    expect(page.get_by_role("img", name="분기 말 진도율과 기대 진도")).to_be_visible()
    screenshot(page, "dashboard-indicator.png")


def test_the_director_walks_the_example_year_and_the_basis_stays(live_server, institution,
                                                                  browser_page):
    call_command("setup_demo", stdout=StringIO())
    add_examples(institution.plans.get(year=2024), get_user_model().objects.get(
        username="approver"))
    page = browser_page
    log_in(page, live_server.url, "director", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/jbsss/2024/")
    expect(page.locator(".example-banner")).to_contain_text("예시 데이터")
    table = page.locator("table", has=page.locator("caption", has_text="성과지표별 현황"))
    # The default basis: Q2, the latest quarter with approved values; approved values only.
    expect(table.locator("caption")).to_contain_text("2분기 말 기준")
    expect(page.locator(".values-shown")).to_have_text("승인된 값만 보여 줍니다.")
    expect(table.locator(".mark--unapproved")).to_have_count(0)
    # The table's many columns scroll inside it; the page stays as wide as the screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 1400
    screenshot(page, "overview-approved-only.png")

    page.get_by_label("표시할 값").select_option("all")
    page.get_by_role("button", name="적용").click()
    expect(page).to_have_url(re.compile(r"values=all"))
    expect(table.locator(".mark--unapproved").first).to_be_visible()
    expect(page.locator(".values-shown")).to_contain_text("제출 전 값 포함")
    screenshot(page, "overview-with-unapproved.png")
    assert_accessible(page, "overview-with-unapproved")  # the marks, the banner, the choice

    # The director looks at Q1, then picks Q2 and follows a program and an indicator.
    page.get_by_label("표시할 값").select_option("approved")
    page.get_by_label("기준 분기").select_option("1")
    page.get_by_role("button", name="적용").click()
    expect(table.locator("caption")).to_contain_text("1분기 말 기준")
    page.get_by_label("기준 분기").select_option("2")
    page.get_by_role("button", name="적용").click()
    expect(table.locator("caption")).to_contain_text("2분기 말 기준")
    table.get_by_role("link", name="① 수탁기관 운영 활성화 지원").click()
    expect(page).to_have_url(re.compile(r"/programs/\d+/\?q=2"))
    expect(page.get_by_role("columnheader", name="실적(2분기 말)")).to_be_visible()
    expect(page.get_by_role("columnheader", name="진도(2분기 말)")).to_be_visible()
    page.get_by_role("link", name="지원사업횟수").click()
    expect(page).to_have_url(re.compile(r"/indicators/\d+/\?q=2"))
    expect(page.locator(".cards")).to_contain_text("실적(2분기 말)")
    expect(page.locator(".cards")).to_contain_text("진도(2분기 말)")
    expect(page.get_by_label("기준 분기")).to_have_value("2")
    screenshot(page, "indicator-example-year-q2.png")
    page.get_by_role("navigation", name="위치").get_by_role("link", name="2024년 현황").click()
    expect(table.locator("caption")).to_contain_text("2분기 말 기준")
