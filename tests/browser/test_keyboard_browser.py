"""The core flow from the keyboard alone (Tab, Shift+Tab, Enter, Space): log
in, skip to the content, open the entry page, enter a value that is refused,
follow the error to its field, correct it and save. Every element the focus
lands on shows the focus ring and is on the screen."""

from io import StringIO

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from goals.management.commands.setup_demo import DEMO_PASSWORD
from goals.models import Result
from tests.support.browser import screenshot
from tests.support.entry_fixtures import OUTSOURCING, program_named

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FOCUSED = """() => {
  const element = document.activeElement;
  const style = getComputedStyle(element);
  const box = element.getBoundingClientRect();
  return {
    element: element.outerHTML.slice(0, 160),
    ring: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2,
    on_screen: box.width > 0 && box.height > 0 && box.bottom > 0 && box.right > 0
               && box.top < innerHeight && box.left < innerWidth,
  };
}"""


def assert_focus_shows(page):
    focused = page.evaluate(FOCUSED)
    assert focused["element"].startswith("<") and not focused["element"].startswith("<body"), \
        "the focus was lost"
    assert focused["ring"], f"no focus ring on {focused['element']}"
    assert focused["on_screen"], f"the focus is off the screen, on {focused['element']}"


def press(page, key):
    page.keyboard.press(key)
    assert_focus_shows(page)


def tab_to(page, target, key="Tab", limit=60):
    """Press Tab (or Shift+Tab) until `target` has the focus."""
    for _ in range(limit):
        press(page, key)
        if target.evaluate("element => element === document.activeElement"):
            return
    raise AssertionError(f"{key} never reached {target}")


def test_log_in_and_enter_a_value_from_the_keyboard(live_server, institution, browser_page):
    call_command("setup_demo", stdout=StringIO())
    outsourcing = program_named(institution.plans.get(year=2024), OUTSOURCING)
    page, base = browser_page, live_server.url

    page.goto(f"{base}/accounts/login/")
    username, password = page.get_by_label("사용자 이름"), page.get_by_label("비밀번호")
    expect(username).to_be_focused()
    page.keyboard.type("staff1")
    press(page, "Tab")
    expect(password).to_be_focused()
    press(page, "Shift+Tab")
    expect(username).to_be_focused()
    press(page, "Tab")
    page.keyboard.type(DEMO_PASSWORD)
    tab_to(page, page.get_by_role("button", name="로그인"))
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{base}/jbsss/2024/todo/")  # staff land on their to-do list

    # The skip link is the first stop and takes the focus past the menu.
    press(page, "Tab")
    expect(page.get_by_role("link", name="본문으로 건너뛰기")).to_be_focused()
    screenshot(page, "keyboard-skip-link.png", full_page=False)
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()
    assert_focus_shows(page)
    press(page, "Tab")
    assert page.evaluate("document.querySelector('main').contains(document.activeElement)")

    tab_to(page, page.get_by_role("link", name="실적 입력", exact=True), key="Shift+Tab")
    page.keyboard.press("Enter")
    page.wait_for_url("**/jbsss/2024/entry/*/")
    tab_to(page, page.get_by_role("link", name="1분기"))
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{base}/jbsss/2024/entry/1/")

    section = page.locator(f"#program-{outsourcing.pk}")
    field = section.get_by_label("소속시설 조직진단 및 모니터링", exact=True)
    tab_to(page, field)
    page.keyboard.type("7건")  # a unit, but not this unit project's
    # Enter in a field sends the page's one 저장 form (issue 13), as the button would.
    with page.expect_navigation():
        page.keyboard.press("Enter")

    summary = section.get_by_role("alert")
    expect(summary).to_be_focused()
    assert_focus_shows(page)
    screenshot(page, "keyboard-error-summary.png", full_page=False)
    press(page, "Tab")
    expect(summary.get_by_role("link")).to_be_focused()
    page.keyboard.press("Enter")
    expect(field).to_be_focused()
    assert_focus_shows(page)
    expect(field).to_have_value("7건")
    expect(section.locator(".field-error").first).to_contain_text("이 단위사업의 단위는 '회'입니다.")
    screenshot(page, "keyboard-error-field.png", full_page=False)
    page.keyboard.press("Control+A")
    page.keyboard.type("7")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_role("status").first).to_contain_text("값 1개를 저장했습니다")
    unit = outsourcing.unit_projects.get(name="소속시설 조직진단 및 모니터링")
    assert Result.objects.get(unit_project=unit, period=1).value == 7
