"""In the browser: a report download says it is being prepared, and works
without JavaScript too."""

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache

from goals import roles
from tests.browser_fixtures import browser  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def reviewer_session(institution, client, live_server):
    cache.clear()
    user = get_user_model().objects.create_user("province", password="pw")
    user.groups.add(roles.ensure_groups()[roles.REVIEWER])
    institution.members.add(user)
    client.force_login(user)
    return {"name": "sessionid", "value": client.cookies["sessionid"].value,
            "url": live_server.url}


def test_the_page_says_the_report_is_being_prepared_until_it_downloads(browser, live_server,
                                                                        reviewer_session):
    context = browser.new_context(accept_downloads=True)
    context.add_cookies([reviewer_session])
    page = context.new_page()
    page.goto(f"{live_server.url}/jbsss/2024/")
    button = page.get_by_role("link", name="PDF 내려받기")
    status = page.locator("[data-report-status]")
    with page.expect_download(timeout=60_000) as download:
        button.click()
        assert status.text_content() == "보고서를 만드는 중입니다…"
        assert button.get_attribute("aria-disabled") == "true"
    assert download.value.suggested_filename == "jbsss_2024_경영성과목표.pdf"
    with open(download.value.path(), "rb") as handle:
        assert handle.read(5) == b"%PDF-"
    page.wait_for_function("document.querySelector('[data-report-status]').textContent"
                           " === '보고서를 내려받았습니다.'")
    assert button.get_attribute("aria-disabled") is None
    context.close()


def test_without_javascript_the_buttons_are_plain_downloads(browser, live_server,
                                                            reviewer_session):
    context = browser.new_context(accept_downloads=True, java_script_enabled=False)
    context.add_cookies([reviewer_session])
    page = context.new_page()
    page.goto(f"{live_server.url}/jbsss/2024/")
    with page.expect_download(timeout=60_000) as download:
        page.get_by_role("link", name="XLSX 내려받기").click()
    assert download.value.suggested_filename == "jbsss_2024_경영성과목표.xlsx"
    with open(download.value.path(), "rb") as handle:  # waits until it has all arrived
        assert handle.read(2) == b"PK"
    context.close()
