import os
import threading
import time

import pytest
from django.core.signals import request_finished, request_started
from django.db import connections
from hypothesis import settings as hypothesis_settings

from goals.loading import load_document, read_document
from goals.management.commands.load_document import DEFAULT_DOCUMENT
from goals.models import Institution
from tests.support.document_rows import DocumentRows

CODE = "jbsss"
DOCUMENT_ROWS = DocumentRows()

# Hypothesis draws the same examples on every run, so that a red CI is about
# the change and not the draw; HYPOTHESIS_PROFILE=explore draws new ones, and
# twice as many of the slow ones (tests/kpi_site/test_bad_input.py posts every
# example through a page: CI takes half its count, the same half every run).
hypothesis_settings.register_profile("repeatable", derandomize=True)
hypothesis_settings.register_profile("explore", derandomize=False)
PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "repeatable")
hypothesis_settings.load_profile(PROFILE)
SLOW_EXAMPLES_SHARE = 1.0 if PROFILE == "explore" else 0.5


@pytest.fixture(scope="session", autouse=True)
def fast_password_hashing():
    """Production hashes passwords slowly on purpose; tests log in often."""
    from django.test.utils import override_settings

    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture(scope="session", autouse=True)
def files_and_tasks(tmp_path_factory):
    """Files (evidence, exports) go to a folder of the test run. A task runs
    at once, inside the request that enqueues it, so a test sees an export
    finished when its request returns; tests/reports/test_export_worker.py runs the
    database backend and its worker as production does."""
    from django.test.utils import override_settings

    with override_settings(
            MEDIA_ROOT=tmp_path_factory.mktemp("media"),
            TASKS={"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}):
        yield


@pytest.fixture(scope="session")
def document_data():
    return read_document(DEFAULT_DOCUMENT)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker, document_data):
    """The 2024 document is loaded once; each test runs in a transaction that
    is rolled back, so every test starts from the document as it is."""
    with django_db_blocker.unblock():
        DOCUMENT_ROWS.load(load_document, document_data)


def loaded_institution(document_data):
    """The institution with the whole 2024 document loaded. Transactional
    tests empty the database when they end, so whoever comes after one (on
    the same xdist worker, in any order) gets it again: its rows written back
    where nothing else was written since, else loaded afresh."""
    found = Institution.objects.filter(code=CODE).first()
    if found:
        return found
    if DOCUMENT_ROWS.restore():
        return Institution.objects.get(code=CODE)
    return load_document(document_data)


@pytest.fixture
def institution(db, document_data):
    return loaded_institution(document_data)


@pytest.fixture
def plan_2024(institution):
    return institution.plans.get(year=2024)


# Browser tests ---------------------------------------------------------------

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


class WatchedBrowser:
    """The browser, each of whose contexts reports what the
    Content-Security-Policy refused (an inline script or style, a source
    elsewhere) to `violations`: a browser test fails on any of them
    (pytest_runtest_call below)."""

    def __init__(self, browser):
        self.browser = browser
        self.violations = []

    def new_context(self, **options):
        context = self.browser.new_context(**options)
        context.on("console", self._console)
        context.csp_violations = self.violations
        return context

    def _console(self, message):
        if "Content Security Policy" in message.text:
            self.violations.append(f"{message.location.get('url', '')}: {message.text}")

    def __getattr__(self, name):
        return getattr(self.browser, name)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in the test's thread; the tests
    # still read the database there, which Django allows only when told to.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield WatchedBrowser(browser)
        browser.close()
    # Playwright runs the tests in its own greenlet, whose database connection
    # the test database's teardown would not see (PostgreSQL could not drop it).
    connections.close_all()


class LiveRequests:
    """The requests the live server is answering now. A browser test may end
    while a request it set off (a save clicked last, a page's poll) is still
    being answered in the server's thread; on SQLite that thread shares the
    test's connection, so its writes and queries would land in the next test
    (a new data version, queries counted that the next test did not make).
    Each browser test therefore ends only once the server is idle. (The test
    client's requests, answered in the test's own thread, are not counted.)"""

    def __init__(self):
        self.count = 0
        self.lock = threading.Lock()
        request_started.connect(self.started, dispatch_uid="tests-live-requests-started")
        request_finished.connect(self.finished, dispatch_uid="tests-live-requests-finished")

    def started(self, **kwargs):
        if threading.current_thread() is not threading.main_thread():
            with self.lock:
                self.count += 1

    def finished(self, **kwargs):
        if threading.current_thread() is not threading.main_thread():
            with self.lock:
                self.count -= 1

    def wait_until_idle(self, quiet=0.1, timeout=30):
        """Until no request has been under way for `quiet` seconds."""
        deadline = time.monotonic() + timeout
        idle_since = None
        while time.monotonic() < deadline:
            if self.count > 0:
                idle_since = None
            elif idle_since is None:
                idle_since = time.monotonic()
            elif time.monotonic() - idle_since >= quiet:
                return
            time.sleep(0.01)
        raise AssertionError(f"The live server was still answering {self.count} request(s) "
                             f"after {timeout} s")


LIVE_REQUESTS = LiveRequests()


@pytest.fixture
def browser_page(browser):
    context = browser.new_context(locale="ko-KR", viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()
    LIVE_REQUESTS.wait_until_idle()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    """A browser test fails when the Content-Security-Policy refused anything;
    it ends when the live server has answered what it set off."""
    browser = item.funcargs.get("browser")
    seen = len(browser.violations) if browser else 0
    result = yield
    if "live_server" in item.fixturenames:
        LIVE_REQUESTS.wait_until_idle()
    if browser and len(browser.violations) > seen:
        refused = "\n".join(browser.violations[seen:])
        raise AssertionError(f"The Content-Security-Policy refused:\n{refused}")
    return result
