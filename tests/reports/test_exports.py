"""Reports made in the background: an export's life (queued → running →
ready or failed), one render per key at a time, the per-institution key, the
per-user limit, dead workers, old files, and what the page says.

Tasks run at once here (tests/conftest.py); the database backend and its
worker run in tests/reports/test_export_worker.py."""

import json
from datetime import timedelta
from io import BytesIO

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction
from django.utils import timezone
from openpyxl import load_workbook

from goals import roles, versions
from goals.models import Target
from goals.synthetic import build_synthetic_plan
from reports import exports
from reports.exports import ExportOptions, request_export
from reports.models import Export
from tests.support.entry_fixtures import make_user

pytestmark = pytest.mark.django_db
START = "/reports/jbsss/2024/exports/"
JSON = {"HTTP_ACCEPT": "application/json"}


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """A media store of the test's own, to see every file it leaves."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def files(media):
    return sorted(path.name for path in media.rglob("*") if path.is_file())


@pytest.fixture
def reviewer(institution):
    return make_user(institution, roles.REVIEWER, "province")


@pytest.fixture
def renders(monkeypatch):
    """The renderers, counting what they make."""
    made = []
    for name, kind in list(exports.FORMATS.items()):
        def counting(report, name=name, render=kind.render):
            made.append((name, report.quarterly))
            return render(report)
        monkeypatch.setitem(exports.FORMATS, name, exports.Format(
            counting, kind.content_type, kind.label))
    return made


def start(client, **data):
    return client.post(START, data, **JSON)


def stored(export):
    export.refresh_from_db()
    return default_storage.open(export.file.name).read()


def test_a_request_is_followed_to_the_file(client, reviewer, renders):
    client.force_login(reviewer)
    response = start(client, format="xlsx")
    assert response.status_code == 202
    state = response.json()
    assert state["status"] == "ready" and state["message"] == "보고서가 준비되었습니다."
    assert client.get(state["status_url"]).json()["file_url"] == state["file_url"]
    download = client.get(state["file_url"])
    assert download["Content-Disposition"] == (
        "attachment; filename*=utf-8''jbsss_2024_%EA%B2%BD%EC%98%81%EC%84%B1%EA%B3%BC%EB%AA%A9"
        "%ED%91%9C.xlsx")
    workbook = load_workbook(BytesIO(b"".join(download.streaming_content)))
    assert workbook.sheetnames[0] == "총괄표"
    assert renders == [("xlsx", False)]


def test_the_same_request_joins_the_export_and_renders_nothing(client, reviewer, institution,
                                                               renders):
    director = make_user(institution, roles.DIRECTOR, "director")
    client.force_login(reviewer)
    first = start(client, format="pdf").json()
    client.force_login(director)
    second = start(client, format="pdf").json()
    assert second["id"] == first["id"] and second["joined"]
    assert renders == [("pdf", False)]
    # Other options or formats are other exports; the workbook has no quarterly option.
    start(client, format="pdf", quarterly="1")
    start(client, format="xlsx", quarterly="1")
    start(client, format="xlsx")
    assert renders == [("pdf", False), ("pdf", True), ("xlsx", False)]


def test_while_one_is_made_a_second_request_joins_it(institution, reviewer, monkeypatch):
    """The second request arrives while the first is queued or running."""
    monkeypatch.setattr(exports, "_enqueue", lambda export: None)  # no worker yet
    export, joined = request_export(reviewer, institution, 2024, format="pdf")
    assert (export.status, joined) == ("queued", False)
    again, joined = request_export(reviewer, institution, 2024, format="pdf")
    assert (again.pk, joined) == (export.pk, True)
    Export.objects.filter(pk=export.pk).update(status="running", heartbeat_at=timezone.now())
    assert request_export(reviewer, institution, 2024, format="pdf")[0].pk == export.pk
    assert Export.objects.count() == 1


def test_the_database_holds_one_live_export_per_key(institution, reviewer, monkeypatch):
    monkeypatch.setattr(exports, "_enqueue", lambda export: None)
    export, _joined = request_export(reviewer, institution, 2024, format="pdf")
    fields = {name: getattr(export, name) for name in (
        "institution", "year", "report", "format", "options", "language", "data_version")}
    with pytest.raises(IntegrityError), transaction.atomic():
        Export.objects.create(**fields)
    Export.objects.filter(pk=export.pk).update(status="failed", failure="-")
    Export.objects.create(**fields)  # a failed export does not hold its key


def test_a_write_in_another_institution_keeps_this_ones_file(
        client, reviewer, institution, renders, django_capture_on_commit_callbacks):
    client.force_login(reviewer)
    first = start(client, format="xlsx").json()
    elsewhere = build_synthetic_plan(indicators=5, code="elsewhere")
    theirs = versions.current(elsewhere)
    target = Target.objects.filter(indicator__program__category__plan__institution=elsewhere,
                                   year=2024).first()
    target.value = 9
    with django_capture_on_commit_callbacks(execute=True):
        target.save()
    assert versions.current(elsewhere) != theirs
    again = start(client, format="xlsx").json()
    assert again["id"] == first["id"] and renders == [("xlsx", False)]


def test_a_write_in_this_institution_makes_a_new_file_and_drops_the_old(
        client, reviewer, renders, settings, django_capture_on_commit_callbacks):
    client.force_login(reviewer)
    first = Export.objects.get(pk=start(client, format="xlsx").json()["id"])
    old_file = first.file.name
    target = Target.objects.get(indicator__program__category__plan__year=2024,
                                indicator__measurement="지원사업횟수")
    target.value = 61
    with django_capture_on_commit_callbacks(execute=True):
        target.save()
    with django_capture_on_commit_callbacks(execute=True):  # the old file goes as it commits
        second = start(client, format="xlsx").json()
    assert second["id"] != first.pk and renders == [("xlsx", False), ("xlsx", False)]
    workbook = load_workbook(Export.objects.get(pk=second["id"]).file.open("rb"))
    assert 61 in [cell.value for cell in workbook["총괄표"]["F"]]
    # Of data that changed: kept while its asker may still be fetching it, then gone.
    assert client.get(f"{START}{first.pk}/file/").status_code == 200
    Export.objects.filter(pk=first.pk).update(
        finished_at=timezone.now() - timedelta(minutes=settings.EXPORT_OBSOLETE_MINUTES + 1))
    with django_capture_on_commit_callbacks(execute=True):
        call_command("cleanup_exports")
    assert not Export.objects.filter(pk=first.pk).exists()
    assert not default_storage.exists(old_file)
    assert client.get(f"{START}{first.pk}/file/").status_code == 404


def test_a_failed_render_says_why_and_leaves_no_file(client, reviewer, monkeypatch, media):
    def broken(report):
        raise RuntimeError("disk full")
    monkeypatch.setitem(exports.FORMATS, "pdf", exports.Format(broken, "application/pdf", "PDF"))
    client.force_login(reviewer)
    state = start(client, format="pdf").json()
    assert state["status"] == "failed" and state["finished"] and state["file_url"] is None
    assert state["message"].startswith("보고서를 만들지 못했습니다.")
    export = Export.objects.get(pk=state["id"])
    assert export.file.name == "" and export.size is None and files(media) == []
    assert client.get(f"{START}{export.pk}/file/").status_code == 404
    # Asking again tries again: a failure holds no key.
    monkeypatch.undo()
    assert start(client, format="pdf").json()["status"] == "ready"


def test_pages_are_reported_while_the_pdf_is_laid_out(institution, reviewer, monkeypatch):
    pages = []
    alive = exports._alive

    def spy(export_id, attempt, page=None):
        pages.append(page)
        alive(export_id, attempt, page)
    monkeypatch.setattr(exports, "_alive", spy)
    export, _joined = request_export(reviewer, institution, 2024, format="pdf")
    export.refresh_from_db()
    assert export.status == "ready" and export.page is None
    assert pages[:3] == [1, 2, 3] and max(pages) >= 20
    assert stored(export).startswith(b"%PDF-")


def test_one_user_runs_at_most_two_exports(client, reviewer, institution, monkeypatch):
    monkeypatch.setattr(exports, "_enqueue", lambda export: None)
    client.force_login(reviewer)
    assert start(client, format="pdf").status_code == 202
    assert start(client, format="xlsx").status_code == 202
    response = start(client, format="hwpx")
    assert response.status_code == 429
    assert response.json()["error"] == ("보고서는 한 사람이 한 번에 2개까지 만들 수 있습니다. 먼저 요청한 "
                                         "보고서가 끝나면 다시 요청하세요.")
    assert start(client, format="pdf").json()["joined"]  # joining costs nothing
    other = make_user(institution, roles.DIRECTOR, "director")
    client.force_login(other)
    assert start(client, format="hwpx").status_code == 202


@pytest.mark.parametrize("data, status, message", [
    ({"format": "docx"}, 400, "알 수 없는 형식입니다: docx. PDF, XLSX, HWPX 가운데 고르세요."),
    ({}, 400, "형식을 고르세요."),
    ({"format": "pdf", "report": "budget"}, 400, "알 수 없는 보고서입니다: budget"),
])
def test_bad_requests_say_why_and_start_nothing(client, reviewer, data, status, message):
    client.force_login(reviewer)
    response = start(client, **data)
    assert (response.status_code, response.json()) == (status, {"error": message})
    response = client.post(START, data)  # without JavaScript: the page says it
    assert response.status_code == status and message in response.content.decode()
    assert not Export.objects.exists()


def test_a_year_without_a_plan(client, reviewer):
    client.force_login(reviewer)
    response = client.post("/reports/jbsss/2030/exports/", {"format": "pdf"}, **JSON)
    assert response.status_code == 404
    assert response.json() == {"error": "2030년 계획이 없어 보고서를 만들 수 없습니다."}
    assert not Export.objects.exists()
    assert client.get(START).status_code == 405


def test_without_javascript_the_export_has_a_page(client, reviewer, monkeypatch):
    client.force_login(reviewer)
    real_enqueue = exports._enqueue
    monkeypatch.setattr(exports, "_enqueue", lambda export: None)
    response = client.post(START, {"format": "hwpx"})
    export = Export.objects.get()
    assert response.status_code == 302 and response["Location"] == f"{START}{export.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert "차례를 기다리는 중입니다." in page and "/file/" not in page
    assert f'<a class="button" href="{START}{export.pk}/">상태 새로 고침</a>' in page
    real_enqueue(export)
    page = client.get(response["Location"]).content.decode()
    assert "보고서가 준비되었습니다." in page and "상태 새로 고침" not in page
    assert f'href="{START}{export.pk}/file/"' in page and "jbsss_2024_경영성과목표.hwpx 받기" in page


def test_a_worker_that_died_is_replaced_then_given_up_on(client, reviewer, institution,
                                                        monkeypatch, settings):
    enqueued = []
    monkeypatch.setattr(exports, "_enqueue", enqueued.append)
    client.force_login(reviewer)
    state = start(client, format="pdf").json()
    export = Export.objects.get(pk=state["id"])
    long_ago = timezone.now() - timedelta(seconds=settings.EXPORT_STALE_SECONDS + 1)
    # A worker took it, laid out page 4 and was killed.
    Export.objects.filter(pk=export.pk).update(status="running", attempts=1, page=4,
                                               heartbeat_at=long_ago)
    state = client.get(state["status_url"]).json()
    assert state["status"] == "queued" and len(enqueued) == 2  # queued again
    export.refresh_from_db()
    assert export.attempts == 1
    Export.objects.filter(pk=export.pk).update(status="running", attempts=2, page=7,
                                               heartbeat_at=long_ago)
    state = client.get(state["status_url"]).json()
    assert state["status"] == "failed" and len(enqueued) == 2
    assert state["message"] == "보고서를 만들던 작업자가 멈췄습니다. 잠시 뒤 다시 요청하세요."
    assert Export.objects.get(pk=export.pk).file.name == ""


def test_a_worker_that_was_given_up_on_offers_nothing(institution, reviewer, monkeypatch,
                                                     media):
    """A slow worker, taken for dead while it rendered, finishes late: its
    file is thrown away, since the export is no longer its own."""
    monkeypatch.setattr(exports, "_enqueue", lambda export: None)
    export, _joined = request_export(reviewer, institution, 2024, format="xlsx")
    exports.run(export.pk, 2)  # not the attempt it waits for
    export.refresh_from_db()
    assert export.status == "queued"

    def overtaken(report):
        Export.objects.filter(pk=export.pk).update(status="queued", attempts=1)
        return b"PK..."
    monkeypatch.setitem(exports.FORMATS, "xlsx", exports.Format(overtaken, "x", "XLSX"))
    exports.run(export.pk, 1)
    export.refresh_from_db()
    assert (export.status, export.file.name) == ("queued", "") and files(media) == []


def test_an_export_no_worker_takes_up_fails_in_the_end(institution, reviewer, monkeypatch,
                                                      settings):
    monkeypatch.setattr(exports, "_enqueue", lambda export: None)
    export, _joined = request_export(reviewer, institution, 2024, format="xlsx")
    Export.objects.filter(pk=export.pk).update(
        heartbeat_at=timezone.now() - timedelta(seconds=settings.EXPORT_QUEUE_SECONDS + 1))
    export = exports.refreshed(export)
    assert export.status == "failed"
    assert exports.message(export) == "보고서를 만들 작업자가 응답하지 않습니다. 관리자에게 알려 주세요."


def test_the_queue_says_how_many_are_ahead(institution, reviewer, monkeypatch):
    monkeypatch.setattr(exports, "_enqueue", lambda export: None)
    first, _ = request_export(reviewer, institution, 2024, format="xlsx")
    second, _ = request_export(reviewer, institution, 2024, format="pdf")
    assert exports.message(first) == "차례를 기다리는 중입니다."
    assert exports.message(second) == "차례를 기다리는 중입니다(앞에 1건)."
    Export.objects.filter(pk=first.pk).update(status="running", page=3)
    first.refresh_from_db()
    assert exports.message(first) == "보고서를 만드는 중입니다: 3쪽째"


def test_a_ready_export_whose_file_went_is_made_again(client, reviewer, renders):
    client.force_login(reviewer)
    first = Export.objects.get(pk=start(client, format="xlsx").json()["id"])
    default_storage.delete(first.file.name)
    assert client.get(f"{START}{first.pk}/file/").status_code == 404
    second = start(client, format="xlsx").json()
    assert second["id"] != first.pk and second["status"] == "ready"
    assert len(renders) == 2


def test_a_report_finished_after_a_colleagues_save_is_still_offered(client, reviewer,
                                                                    monkeypatch):
    """At the end of a quarter staff save every few seconds: the export asked
    before a save is the asker's, and its file stays until it is cleaned up."""
    from goals.models import DataVersion

    render = exports.FORMATS["xlsx"].render

    def render_while_a_colleague_saves(report):
        DataVersion.objects.filter(institution=report.institution).update(token="saved-meanwhile")
        return render(report)

    monkeypatch.setitem(exports.FORMATS, "xlsx", exports.Format(
        render_while_a_colleague_saves, exports.FORMATS["xlsx"].content_type,
        exports.FORMATS["xlsx"].label))
    client.force_login(reviewer)
    state = start(client, format="xlsx").json()
    assert state["status"] == "ready"
    status = client.get(state["status_url"], **JSON)
    assert status.status_code == 200 and status.json()["file_url"]
    assert client.get(state["file_url"]).status_code == 200


def test_a_report_of_older_data_stays_while_its_asker_fetches_it(client, reviewer, settings):
    """Found by the load test: two reports finished seconds apart while staff
    saved, and the second one's storing deleted the first before its page
    fetched the file."""
    client.force_login(reviewer)
    first = start(client, format="xlsx").json()
    Export.objects.filter(pk=first["id"]).update(data_version="before-a-colleagues-save")
    assert start(client, format="hwpx").json()["status"] == "ready"
    assert client.get(first["file_url"]).status_code == 200
    # Once its asker has had the time, the next report made takes it away.
    Export.objects.filter(pk=first["id"]).update(
        finished_at=timezone.now() - timedelta(minutes=settings.EXPORT_OBSOLETE_MINUTES + 1))
    assert start(client, format="pdf").json()["status"] == "ready"
    assert client.get(first["file_url"]).status_code == 404


def test_cleaning_up_keeps_current_files_only(client, reviewer, settings, media,
                                              django_capture_on_commit_callbacks):
    client.force_login(reviewer)
    current = Export.objects.get(pk=start(client, format="xlsx").json()["id"])
    old = Export.objects.get(pk=start(client, format="hwpx").json()["id"])
    Export.objects.filter(pk=old.pk).update(
        finished_at=timezone.now() - timedelta(days=settings.EXPORT_KEEP_DAYS + 1))
    just_made = Export.objects.get(pk=start(client, format="pdf").json()["id"])
    Export.objects.filter(pk=just_made.pk).update(data_version="of-data-changed-since")
    obsolete = Export.objects.get(pk=start(client, format="hwpx", quarterly="1").json()["id"])
    Export.objects.filter(pk=obsolete.pk).update(
        data_version="of-data-changed-since",
        finished_at=timezone.now() - timedelta(minutes=settings.EXPORT_OBSOLETE_MINUTES + 1))
    default_storage.save("exports/jbsss/left-behind.pdf", ContentFile(b"%PDF-1.7"))
    with django_capture_on_commit_callbacks(execute=True):
        call_command("cleanup_exports")
    # A report of older data finished a moment ago waits for its asker.
    assert sorted(Export.objects.values_list("pk", flat=True)) == [current.pk, just_made.pk]
    # A young file no export names yet may be a worker's, about to be named.
    assert files(media) == sorted([current.file.name.rsplit("/")[-1],
                                   Export.objects.get(pk=just_made.pk).file.name.rsplit("/")[-1],
                                   "left-behind.pdf"])
    # An hour on: the report of older data has gone (its file with the one left behind).
    assert exports.clean_up(now=timezone.now() + timedelta(hours=1)) == (1, 2)
    assert files(media) == [current.file.name.rsplit("/")[-1]]


def test_status_and_file_belong_to_the_institution(client, reviewer, institution):
    client.force_login(reviewer)
    state = start(client, format="xlsx").json()
    elsewhere = build_synthetic_plan(indicators=5, code="elsewhere")
    outsider = make_user(elsewhere, roles.DIRECTOR, "outsider")
    client.force_login(outsider)
    for url in (state["status_url"], state["file_url"], state["page_url"],
                state["file_url"].replace("jbsss", "elsewhere")):
        assert client.get(url).status_code == 404
    assert client.post(START, {"format": "pdf"}, **JSON).status_code == 404


def test_the_options_are_one_key():
    assert ExportOptions().key() == '{"quarter":null,"quarterly":false,"unapproved":false}'
    assert ExportOptions.from_key(ExportOptions(quarterly=True).key()) == ExportOptions(True)
    assert ExportOptions(quarterly=True).for_format("xlsx") == ExportOptions()
    assert json.loads(ExportOptions(quarterly=True, quarter=2, unapproved=True)
                      .for_format("hwpx").key()) == {
        "quarterly": True, "quarter": 2, "unapproved": True}


def test_values_not_approved_go_into_an_export_only_for_who_may_ask(client, reviewer, renders):
    # The reviewer asks for them and gets the approved values; the director
    # asks and gets them, marked, in an export of its own key.
    client.force_login(reviewer)
    asked = {"format": "xlsx", "q": "2", "values": "all"}
    by_reviewer = Export.objects.get(pk=start(client, **asked).json()["id"])
    assert ExportOptions.from_key(by_reviewer.options) == ExportOptions(quarter=2)
    director = make_user(reviewer.institutions.get(), roles.DIRECTOR, "director")
    client.force_login(director)
    by_director = Export.objects.get(pk=start(client, **asked).json()["id"])
    assert ExportOptions.from_key(by_director.options) == ExportOptions(quarter=2,
                                                                      unapproved=True)
    assert exports.filename(by_director).endswith("_2분기기준_미승인포함.xlsx")


def test_the_command_writes_each_format_whole(institution, tmp_path):
    for format, magic in (("pdf", b"%PDF-"), ("xlsx", b"PK"), ("hwpx", b"PK")):
        path = tmp_path / f"2024.{format}"
        call_command("export_report", "--year", "2024", "--format", format, "--output",
                     str(path))
        assert path.read_bytes().startswith(magic)
    with pytest.raises(CommandError, match="2030년 계획이 없습니다"):
        call_command("export_report", "--year", "2030", "--format", "hwpx", "--output",
                     str(tmp_path / "2030.hwpx"))
    assert sorted(path.name for path in tmp_path.iterdir()) == [
        "2024.hwpx", "2024.pdf", "2024.xlsx"]


def test_an_export_is_queued_then_running_then_ready_or_failed(institution, reviewer,
                                                               monkeypatch, media):
    """Its life as the page sees it, step by step: waiting for a worker,
    rendering (while the renderer runs, with a sign of life), then the file;
    or, when the render fails, the reason and no file."""
    monkeypatch.setattr(exports, "_enqueue", lambda export: None)  # the worker comes later
    seen = []

    def watched(report):
        export = Export.objects.get(format="xlsx")
        seen.append((export.status, exports.message(export), export.started_at is not None))
        if len(seen) == 2:
            raise RuntimeError("the second render fails")
        return b"PK..."

    monkeypatch.setitem(exports.FORMATS, "xlsx", exports.Format(watched, "x", "XLSX"))
    export, _joined = request_export(reviewer, institution, 2024, format="xlsx")
    assert (export.status, exports.message(export)) == ("queued", "차례를 기다리는 중입니다.")
    exports.run(export.pk, 1)
    assert seen == [("running", "보고서를 만드는 중입니다.", True)]
    export.refresh_from_db()
    assert (export.status, exports.message(export)) == ("ready", "보고서가 준비되었습니다.")
    assert export.finished_at >= export.started_at and stored(export) == b"PK..."

    export.delete()  # asked again: made again
    export, _joined = request_export(reviewer, institution, 2024, format="xlsx")
    exports.run(export.pk, 1)
    assert seen[1][0] == "running"
    export.refresh_from_db()
    assert export.status == "failed" and export.file.name == ""
    assert exports.message(export).startswith("보고서를 만들지 못했습니다.")
    exports.run(export.pk, 1)  # a failed export is not made again by a late task
    assert len(seen) == 2
