"""In the browser: a report is asked for, made in the background by a worker
of the database backend, followed page by page, and downloaded; without
JavaScript the export's own page says where it stands until the file is there.

SQLite's in-memory test database locks whole tables between its connections
(no waiting), so a worker thread beside the live server would make requests
fail: on SQLite the task runs inside the request instead, and the page goes
from asking straight to the file."""

import threading

import pytest
from django.contrib.auth import get_user_model
from django.db import connection, connections
from django_tasks_db.management.commands.db_worker import Worker
from playwright.sync_api import expect

from goals import roles

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


WORKER = connection.vendor != "sqlite"


@pytest.fixture
def worker(transactional_db, live_server, settings, tmp_path):
    """The database backend with its worker running beside the live server."""
    settings.MEDIA_ROOT = tmp_path / "media"
    if not WORKER:
        yield None
        return
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    worker = Worker(queue_names=["default"], interval=0.1, batch=False, backend_name="default",
                    startup_delay=False, max_tasks=None, worker_id="browser-test",
                    excluded_queue_names=[])

    def run():
        try:
            worker.run()
        finally:
            connections.close_all()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    yield worker
    worker.running = False
    thread.join(timeout=60)


@pytest.fixture
def reviewer_session(institution, client, live_server):
    user = get_user_model().objects.create_user("province", password="pw")
    user.groups.add(roles.ensure_groups()[roles.REVIEWER])
    institution.members.add(user)
    client.force_login(user)
    return {"name": "sessionid", "value": client.cookies["sessionid"].value,
            "url": live_server.url}


def test_the_page_follows_the_report_page_by_page_to_the_file(browser, live_server,
                                                             reviewer_session, worker):
    context = browser.new_context(accept_downloads=True)
    context.add_cookies([reviewer_session])
    page = context.new_page()
    page.goto(f"{live_server.url}/jbsss/2024/")
    button = page.get_by_role("button", name="PDF 내려받기", exact=True)
    status = page.locator("[data-report-status]")
    with page.expect_download(timeout=120_000) as download:
        button.click()
        if WORKER:
            # A locator assertion, not wait_for_function: the page's CSP forbids
            # evaluating strings, which is what wait_for_function does.
            expect(status).to_contain_text("쪽째", timeout=60_000)
            assert button.get_attribute("aria-disabled") == "true"
    assert download.value.suggested_filename == "jbsss_2024_경영성과목표.pdf"
    with open(download.value.path(), "rb") as handle:
        assert handle.read(5) == b"%PDF-"
    assert status.text_content().startswith("보고서가 준비되었습니다.")
    assert status.get_by_role("link", name="파일 받기").get_attribute("href").endswith("/file/")
    assert button.get_attribute("aria-disabled") is None
    context.close()


def test_without_javascript_the_exports_page_offers_the_file_when_it_is_there(
        browser, live_server, reviewer_session, worker):
    context = browser.new_context(accept_downloads=True, java_script_enabled=False)
    context.add_cookies([reviewer_session])
    page = context.new_page()
    page.goto(f"{live_server.url}/jbsss/2024/")
    page.get_by_role("button", name="HWPX 내려받기").click()
    link = page.get_by_role("link", name="jbsss_2024_경영성과목표.hwpx 받기")
    for _attempt in range(120):
        if link.count():
            break
        page.wait_for_timeout(500)
        page.get_by_role("link", name="상태 새로 고침").click()
    with page.expect_download(timeout=60_000) as download:
        link.click()
    with open(download.value.path(), "rb") as handle:  # waits until it has all arrived
        assert handle.read(2) == b"PK"
    context.close()
