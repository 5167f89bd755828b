"""Exports as production makes them: queued in the database (django-tasks-db)
and made by its worker (`manage.py db_worker`), here run in batch mode."""

import signal
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from goals import roles
from reports.models import Export
from tests.reports.test_exports import JSON, START
from tests.support.entry_fixtures import make_user

# The worker commits as it goes and closes connections it finds inside a
# transaction, as it would in production: these tests commit too.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def database_backend(settings, tmp_path):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.MEDIA_ROOT = tmp_path / "media"
    # The worker takes over the process's signals to stop gracefully.
    handlers = {number: signal.getsignal(number)
                for number in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    yield
    for number, handler in handlers.items():
        signal.signal(number, handler)


def work():
    """The worker: every task waiting, then it stops."""
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", "--interval", "0",
                 verbosity=0)


def test_the_worker_makes_what_two_people_asked_for_once(client, institution):
    first, second = (make_user(institution, roles.REVIEWER, "province"),
                     make_user(institution, roles.DIRECTOR, "director"))
    client.force_login(first)
    state = client.post(START, {"format": "pdf"}, **JSON).json()
    assert (state["status"], state["message"]) == ("queued", "차례를 기다리는 중입니다.")
    client.force_login(second)
    joined = client.post(START, {"format": "pdf"}, **JSON).json()
    assert joined["id"] == state["id"] and joined["joined"]
    assert DBTaskResult.objects.count() == 1  # one render

    work()

    state = client.get(state["status_url"]).json()
    assert state["status"] == "ready"
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
    download = client.get(state["file_url"])
    assert b"".join(download.streaming_content).startswith(b"%PDF-")
    export = Export.objects.get()
    assert export.attempts == 1 and export.started_at <= export.finished_at
    assert export.requested_by == first


def test_a_task_whose_worker_died_is_made_by_another(client, institution, settings):
    client.force_login(make_user(institution, roles.REVIEWER, "province"))
    state = client.post(START, {"format": "hwpx"}, **JSON).json()
    # A worker takes the task, starts the render and is killed: its task
    # stays "running" in the queue, and the export stops giving signs of life.
    task = DBTaskResult.objects.get()
    task.claim("killed-worker")
    Export.objects.filter(pk=state["id"]).update(
        status="running", attempts=1, page=2,
        heartbeat_at=timezone.now() - timedelta(seconds=settings.EXPORT_STALE_SECONDS + 5))
    assert client.get(state["status_url"]).json()["status"] == "queued"

    work()

    state = client.get(state["status_url"]).json()
    assert state["status"] == "ready"
    assert Export.objects.get().attempts == 2
    assert b"".join(client.get(state["file_url"]).streaming_content).startswith(b"PK")
