"""Playwright fixtures for browser tests: Debian's chromium, never a downloaded browser.

Import them into a test module (from tests.browser_fixtures import browser, browser_page).
"""

import os

import pytest
from django.db import connections
from playwright.sync_api import sync_playwright

# Playwright's sync API runs an event loop in the test's thread; the test still
# reads the database there, which Django allows only when told to.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
ARTIFACTS = os.path.join(os.path.dirname(os.path.dirname(__file__)), "test-artifacts")


@pytest.fixture
def browser():
    """A browser for one test. Not for the session: each module that imports
    this fixture gets its own copy of it, and Playwright's sync API cannot be
    started a second time while another copy still runs."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
        # Playwright runs the tests in its own greenlet, whose database
        # connection the test database's teardown would not see.
        connections.close_all()


@pytest.fixture
def browser_page(browser):
    context = browser.new_context(locale="ko-KR", viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def log_in(page, base_url, username, password):
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("사용자 이름").fill(username)
    page.get_by_label("비밀번호").fill(password)
    page.get_by_role("button", name="로그인").click()
    page.wait_for_load_state()


def log_out(page):
    page.get_by_role("button", name="로그아웃").click()
    page.wait_for_load_state()


def screenshot(page, name, full_page=True):
    os.makedirs(ARTIFACTS, exist_ok=True)
    page.screenshot(path=os.path.join(ARTIFACTS, name), full_page=full_page)
