"""
Bad input: hypothesis posts random values to every form and upload a user
can send. No response is a 500 (the client raises whatever a view raises),
nothing stored breaks its model's rules, nothing in an approved quarter or a
closed year changes, and a refused post changes nothing at all.

Each example runs in a savepoint that is rolled back, so every example starts
from the document as loaded (and django-axes counts no earlier failures).
"""

import uuid
from contextlib import contextmanager
from decimal import Decimal
from io import BytesIO

import hypothesis
import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from hypothesis import HealthCheck, given
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import MergedCell

from goals import entry, entry_sheet, evidence_files
from goals.models import (DEFAULT_STEPS, Adjustment, Category, EvaluationScheme, Evidence,
                          GeneralStatus, GradeBand, HeadlineTarget, Indicator, Institution, Kind,
                          Narrative, PastResult, Plan, Program, Result, SchemeIndicator,
                          Submission, Target, TargetRevision, UnitProject)
from goals.schemes import load_schemes, read_schemes
from reports import layout
from reports.document import gather
from reports.xlsx import render_xlsx
from tests.conftest import SLOW_EXAMPLES_SHARE, loaded_institution
from tests.support.admin_pages import change_form_data, make_administrator
from tests.support.entry_fixtures import OUTSOURCING, approver, form_data, program_named, staff  # noqa: F401

pytestmark = pytest.mark.django_db

ENTRY = "/jbsss/2024/entry/1/"
SHEET = "/jbsss/2024/entry/1/sheet.xlsx"
SHEET_UPLOAD = "/jbsss/2024/entry/1/sheet/"
PLAN_UPLOAD = "/reports/jbsss/upload/"


def fuzz(examples):
    """`examples` when exploring, a share of them in CI (tests/conftest.py)."""
    return hypothesis.settings(max_examples=max(10, round(examples * SLOW_EXAMPLES_SHARE)),
                               deadline=None,
                               suppress_health_check=[HealthCheck.function_scoped_fixture])


@contextmanager
def clean_slate():
    """An example's changes, rolled back when it ends."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def logged_in(user):
    client = Client(raise_request_exception=True)
    client.force_login(user)
    return client


# What may be stored -------------------------------------------------------------

WATCHED = (Institution, GeneralStatus, Plan, Category, Program, Narrative, Indicator,
           UnitProject, Target, Submission, Result, Evidence, HeadlineTarget, PastResult,
           TargetRevision, EvaluationScheme, SchemeIndicator, GradeBand, Adjustment)


def snapshot():
    """Every row of the goal book, and how many history rows each table has."""
    rows = {model: {row["id"]: row for row in model.objects.values()} for model in WATCHED}
    histories = {model: model.history.count() for model in WATCHED}
    return rows, histories


def assert_unchanged(before):
    rows, histories = snapshot()
    assert histories == before[1]
    for model in WATCHED:
        assert rows[model] == before[0][model], model.__name__


def _program_of(model, row, rows):
    if model is Program:
        return row["id"]
    if row.get("program_id"):
        return row["program_id"]
    if row.get("indicator_id"):
        return rows[Indicator][row["indicator_id"]]["program_id"]
    if row.get("unit_project_id"):
        return rows[UnitProject][row["unit_project_id"]]["program_id"]
    if row.get("target_id") in rows[Target]:  # a target's revision
        return _program_of(Target, rows[Target][row["target_id"]], rows)
    return None


def _is_locked(model, row, rows):
    """Whether `row` lies in a closed year, or is a result or evidence of an
    approved quarter, as `rows` (the state before the post) say."""
    if model is Category:
        plan = rows[Plan].get(row["plan_id"])
        return plan is not None and plan["status"] == Plan.Status.CLOSED
    program = _program_of(model, row, rows)
    if program is None or program not in rows[Program]:
        return False
    category = rows[Category][rows[Program][program]["category_id"]]
    if rows[Plan][category["plan_id"]]["status"] == Plan.Status.CLOSED:
        return True
    quarter = row.get("period") if model is Result else row.get("quarter")
    return model in (Result, Evidence) and any(
        each["program_id"] == program and each["quarter"] == quarter
        and each["status"] == Submission.Status.APPROVED for each in rows[Submission].values())


LOCKABLE = (Category, Program, Narrative, Indicator, UnitProject, Target, Result, Evidence,
            HeadlineTarget, PastResult, TargetRevision)


def assert_fits(result):
    """A result's value as its indicator or unit project allows it."""
    owner = result.owner
    kind, value = owner.kind, result.value
    if kind == Kind.MILESTONE:
        assert value is None and result.state in entry.steps_of(owner), result
        return
    assert value is not None and not result.state, result
    assert value >= 0, result
    if kind == Kind.COUNT:
        assert value == value.to_integral_value(), result
    if kind == Kind.RATE:
        assert value <= 100, result
    if kind == Kind.SCORE:
        assert value <= (owner.upper_bound if isinstance(owner, Indicator) else 100), result


def assert_sound(before):
    """What a post stored keeps every rule: each changed row passes
    full_clean(), every 2024 result fits its owner, and nothing locked changed."""
    before_rows = before[0]
    after_rows, _histories = snapshot()
    for model in WATCHED:
        changed = [pk for pk, row in after_rows[model].items()
                   if before_rows[model].get(pk) != row]
        for obj in model.objects.filter(pk__in=changed):
            obj.full_clean()
    results = Result.objects.filter(period__lte=4).select_related(
        "indicator", "unit_project__indicator")
    for result in results:
        assert_fits(result)
    for scheme in EvaluationScheme.objects.all():  # 배점 add up, bands cover every total
        assert scheme.problems() == [], scheme
    for model in LOCKABLE:
        for pk, row in before_rows[model].items():
            if _is_locked(model, row, before_rows):
                assert after_rows[model].get(pk) == row, (model.__name__, row)
        for pk, row in after_rows[model].items():
            if pk not in before_rows[model]:
                merged = {**before_rows, Indicator: after_rows[Indicator],
                          UnitProject: after_rows[UnitProject]}
                assert not _is_locked(model, row, merged), (model.__name__, row)


def assert_outcome(response, before, *, refused_statuses=(400, 403, 404)):
    """A refused post changed nothing; an accepted one stored only what is sound."""
    assert response.status_code != 500
    hypothesis.event(f"HTTP {response.status_code}")
    if response.status_code in refused_statuses:
        assert_unchanged(before)
    else:
        assert_sound(before)


# Random input --------------------------------------------------------------------

TEXT = st.text(max_size=60)  # any character, NUL included
LONG_TEXT = st.text(max_size=1200)
NUMBER_TEXT = st.one_of(
    st.integers(min_value=-10**20, max_value=10**20).map(str),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    st.floats().map(repr),
    st.sampled_from(["0", "1,234", "1e5", "1E-7", "NaN", "-inf", "sNaN", "-0", " 12 ", "0.05",
                     "100", "100.0", "100.1", "99.95", "1_000", "１２", "12개", "9" * 13,
                     "0x10", "1e999999999", "-1e-999999999", "5.", ".5"]),
)
STEPS = st.sampled_from(DEFAULT_STEPS + ["구축완료 ", "상시", "완료"])
TYPED = st.one_of(NUMBER_TEXT, STEPS, TEXT)
VERSIONS = st.one_of(st.integers(min_value=-5, max_value=10**20).map(str), TEXT)
# What a workbook's cell can hold (XLSX has no control characters).
CELL_TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=80)
CELL_VALUES = st.one_of(
    st.none(),
    st.integers(min_value=-10**30, max_value=10**30),
    st.floats(),
    st.decimals(allow_nan=False, allow_infinity=False, places=4),
    st.booleans(),
    st.dates(),
    CELL_TEXT,
    st.sampled_from(["NaN", "nan", "inf", "-Infinity", "1e400", "-5", "12,345", "=1+1",
                     "=SUM(H3:H5)", "=1/0", '=HYPERLINK("http://example.com","x")', "@x",
                     "i999999", "u0", "x1", " ", "9" * 40, "0.0001", "구축완료", "예", "회", "%"]),
)


def multipart(fields, files):
    """A multipart/form-data body written by hand, so that a file's name goes
    to the server as sent (the test client would strip its folders)."""
    boundary = uuid.uuid4().hex

    def encoded(text):
        return text.encode("utf-8", "surrogatepass")

    parts = []
    for name, value in fields.items():
        parts.append(encoded(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"'
                             f"\r\n\r\n{value}\r\n"))
    for name, (file_name, content) in files.items():
        parts.append(encoded(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                             f'filename="{file_name}"\r\n'
                             "Content-Type: application/octet-stream\r\n\r\n")
                     + content + b"\r\n")
    body = b"".join(parts) + encoded(f"--{boundary}--\r\n")
    return body, f"multipart/form-data; boundary={boundary}"


# The quarter's entry form ---------------------------------------------------------


@pytest.fixture
def every_program(plan_2024, staff):
    """Staff own every program of 2024: counts, rates, scores, milestones and
    unit projects."""
    programs = Program.objects.filter(category__plan=plan_2024)
    programs.update(owner=staff)
    return list(programs.order_by("pk"))


@pytest.fixture
def staff_client(staff):
    return logged_in(staff)


@pytest.fixture
def entry_forms(staff_client, every_program):
    """Each program's quarter form as the entry page gives it."""
    page = staff_client.get(ENTRY)
    return {program.pk: form_data(page, program) for program in every_program}


def value_for(name):
    """p15-value_u10: what to type into it."""
    field = name.split("-", 1)[1]
    kind = field.rsplit("_", 1)[0] if "_" in field else field
    return {"value": TYPED, "note": LONG_TEXT, "version": VERSIONS, "read_value": TYPED,
            "read_note": LONG_TEXT}.get(kind, st.text(max_size=120))


@fuzz(50)
@given(data=st.data())
def test_the_quarter_form_takes_any_values(staff_client, every_program, entry_forms, data):
    sent = entry_forms
    program = data.draw(st.sampled_from(every_program))
    status = data.draw(st.sampled_from([None, *Submission.Status.values]))
    post = dict(sent[program.pk])
    for name in data.draw(st.lists(st.sampled_from(sorted(post)), unique=True, max_size=8)):
        post[name] = data.draw(value_for(name), label=name)
    with clean_slate():
        if status:
            Submission.objects.create(program=program, quarter=1, status=status)
        before = snapshot()
        response = staff_client.post(f"{ENTRY}{program.pk}/", post)
        assert response.status_code in (302, 400)
        assert_outcome(response, before)


# Evidence ----------------------------------------------------------------------


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def xlsx_bytes():
    output = BytesIO()
    Workbook().save(output)
    return output.getvalue()


HEADS = [evidence_files.PDF, evidence_files.PNG, evidence_files.JPEG, evidence_files.OLE2,
         evidence_files.ZIP, b"<html><script>alert(1)</script>", b"<!DOCTYPE html>",
         b"%PDF-<html><script>alert(1)</script>"]
EVIDENCE_NAMES = st.one_of(
    st.text(max_size=300),
    st.builds(lambda stem, extension: stem + extension, st.text(max_size=260),
              st.sampled_from([".pdf", ".PDF", ".png", ".jpg", ".hwp", ".hwpx", ".xlsx",
                               ".docx", ".pdf.", ".pdf ", ".pdf\x00.html", ".html", ""])),
    st.sampled_from(["../../etc/passwd.pdf", "..\\..\\boot.ini.pdf", "/abs/path.pdf",
                     "a\x00b.pdf", " .pdf", "...pdf", ".pdf", "CON.pdf", "x" * 300 + ".pdf",
                     "보고서.pdf. . .", "보고서.pdf   ", "<script>.pdf", "a\r\nb.pdf",
                     '"quoted".pdf', "a;b=c.pdf", "페이지.html.pdf", "\u202egnp.pdf"]),
)
# Files that pass as what their name claims, whatever else the name and content hold.
MATCHING = {"pdf": evidence_files.PDF, "png": evidence_files.PNG, "jpg": evidence_files.JPEG,
            "hwp": evidence_files.OLE2}
EVIDENCE_FILES = st.one_of(
    st.tuples(EVIDENCE_NAMES, st.one_of(
        st.binary(max_size=200),
        st.builds(lambda head, tail: head + tail, st.sampled_from(HEADS),
                  st.binary(max_size=100)),
        st.just(b"<html><body><script>alert(document.cookie)</script></body></html>"),
        st.just(xlsx_bytes()))),
    st.builds(lambda stem, extension, ending, tail: (
        f"{stem}.{extension}{ending}", MATCHING[extension] + tail),
        st.text(max_size=80), st.sampled_from(sorted(MATCHING)),
        st.sampled_from(["", ".", " ", ". .", "\x00"]),
        st.sampled_from([b"", b"<html><script>alert(1)</script>", b"\x00" * 10])),
    st.builds(lambda stem: (f"{stem}.xlsx", xlsx_bytes()), st.text(max_size=80)),
)


@fuzz(60)
@given(data=st.data())
def test_evidence_takes_any_file_and_is_only_ever_a_download(staff_client, every_program,
                                                             media, data):
    program = data.draw(st.sampled_from(every_program))
    keys = [entry.key_of(owner) for owner in [*program.indicators.all(),
                                               *program.unit_projects.all()]]
    name, content = data.draw(EVIDENCE_FILES, label="file")
    key = data.draw(st.one_of(st.just(""), st.sampled_from(keys), TEXT), label="key")
    status = data.draw(st.sampled_from([None, None, *Submission.Status.values]))
    body, content_type = multipart({f"e{program.pk}-key": key},
                                   {f"e{program.pk}-file": (name, content)})
    with clean_slate():
        if status:
            Submission.objects.create(program=program, quarter=1, status=status)
        before = snapshot()
        response = staff_client.post(f"{ENTRY}{program.pk}/evidence/", body,
                                     content_type=content_type)
        assert response.status_code in (302, 400, 403)
        assert_outcome(response, before)
        for evidence in Evidence.objects.exclude(pk__in=before[0][Evidence]):
            assert evidence.name == evidence_files.clean_name(evidence.name)
            assert not set(evidence.name) & set("/\\\x00")
            assert evidence_files.extension_of(evidence.name) in evidence_files.CONTENT_TYPES
            download = staff_client.get(f"/evidence/{evidence.pk}/")
            assert download.status_code == 200
            assert download["Content-Disposition"].startswith("attachment")
            assert download["Content-Type"] == "application/octet-stream"
            assert download["X-Content-Type-Options"] == "nosniff"
            assert b"".join(download.streaming_content) == content


# The entry sheet ---------------------------------------------------------------------


@fuzz(30)
@given(content=st.one_of(st.binary(max_size=300),
                         st.binary(max_size=300).map(lambda tail: evidence_files.ZIP + tail)),
       name=st.sampled_from(["실적.xlsx", "sheet.xls", "x", ".xlsx"]))
def test_the_entry_sheet_upload_takes_any_bytes(staff_client, every_program, content, name):
    with clean_slate():
        before = snapshot()
        response = staff_client.post(SHEET_UPLOAD, {"file": SimpleUploadedFile(name, content)})
        assert response.status_code == 400
        assert_unchanged(before)


SHEET_COLUMNS = [entry_sheet.VALUE, entry_sheet.NOTE, entry_sheet.KEY, entry_sheet.VERSION,
                 entry_sheet.READ_VALUE, entry_sheet.READ_NOTE, entry_sheet.PROGRAM]


@pytest.fixture
def downloaded_sheet(staff_client, every_program):
    return staff_client.get(SHEET).content


@fuzz(30)
@given(data=st.data())
def test_the_entry_sheet_upload_takes_any_cells(staff_client, every_program, downloaded_sheet,
                                                data):
    downloaded = downloaded_sheet
    rows = load_workbook(BytesIO(downloaded))[entry_sheet.SHEET_TITLE].max_row
    keys = [entry.key_of(owner) for program in every_program
            for owner in [*program.indicators.all(), *program.unit_projects.all()]]
    cells = st.tuples(st.integers(min_value=entry_sheet.FIRST_ROW, max_value=rows + 2),
                      st.sampled_from(SHEET_COLUMNS),
                      st.one_of(CELL_VALUES, STEPS, st.sampled_from(keys)))
    changes = data.draw(st.lists(cells, min_size=1, max_size=6), label="cells")
    status = data.draw(st.sampled_from([None, *Submission.Status.values]))
    workbook = load_workbook(BytesIO(downloaded))
    sheet = workbook[entry_sheet.SHEET_TITLE]
    for row, column, value in changes:
        sheet.cell(row, column).value = value
    output = BytesIO()
    workbook.save(output)
    with clean_slate():
        if status:
            Submission.objects.create(program=every_program[0], quarter=1, status=status)
        before = snapshot()
        response = staff_client.post(SHEET_UPLOAD, {
            "file": SimpleUploadedFile("실적.xlsx", output.getvalue()),
            "reason": data.draw(TEXT, label="reason")})
        assert response.status_code in (302, 400)
        assert_outcome(response, before)


# Approval comments ----------------------------------------------------------------------


@fuzz(40)
@given(data=st.data())
def test_returning_and_reopening_take_any_comment(approver, every_program, data):
    client = logged_in(approver)
    program = data.draw(st.sampled_from(every_program))
    action = data.draw(st.sampled_from(["return", "reopen", "approve"]))
    status = data.draw(st.sampled_from([None, *Submission.Status.values]))
    comment = data.draw(st.one_of(LONG_TEXT, st.sampled_from(["", " ", "\x00", "사유"])))
    with clean_slate():
        if status:
            Submission.objects.create(program=program, quarter=1, status=status)
        before = snapshot()
        response = client.post(f"/jbsss/2024/approval/1/{program.pk}/{action}/",
                               {f"{action}{program.pk}-comment": comment})
        assert response.status_code in (302, 400)
        assert_outcome(response, before)
        stored = Submission.objects.filter(program=program, quarter=1).first()
        if stored and stored.comment:
            assert stored.comment == stored.comment.strip() and "\x00" not in stored.comment


# The plan workbook of reports ----------------------------------------------------------


@pytest.fixture
def planner_client(approver):
    return logged_in(approver)


@fuzz(25)
@given(content=st.one_of(st.binary(max_size=300),
                         st.binary(max_size=300).map(lambda tail: evidence_files.ZIP + tail),
                         st.just(xlsx_bytes())),
       name=st.sampled_from(["plan.xlsx", "plan.XLSX", "plan.pdf", "", "x\x00.xlsx"]))
def test_the_plan_upload_takes_any_bytes(planner_client, institution, content, name):
    body, content_type = multipart({}, {"workbook": (name, content)})
    with clean_slate():
        before = snapshot()
        response = planner_client.post(PLAN_UPLOAD, body, content_type=content_type)
        assert response.status_code in (200, 400)
        assert_unchanged(before)


@pytest.fixture(scope="module")
def exported_workbook(django_db_setup, django_db_blocker, document_data):
    """The 2024 report's workbook, as planning staff download it."""
    with django_db_blocker.unblock():
        return render_xlsx(gather(loaded_institution(document_data), 2024))


@fuzz(25)
@given(data=st.data())
def test_the_plan_upload_takes_any_cells(planner_client, institution, exported_workbook, data):
    workbook = load_workbook(BytesIO(exported_workbook))
    for _change in range(data.draw(st.integers(min_value=1, max_value=4), label="changes")):
        sheet = workbook[data.draw(st.sampled_from(layout.IMPORTED), label="sheet")]
        row = data.draw(st.one_of(
            st.integers(min_value=layout.FIRST_ROW, max_value=sheet.max_row),
            st.sampled_from([layout.INFO_ROW, layout.HEADER_ROW, sheet.max_row + 1])), label="row")
        column = data.draw(st.integers(min_value=1, max_value=sheet.max_column), label="column")
        cell = sheet.cell(row, column)
        if not isinstance(cell, MergedCell):
            cell.value = data.draw(CELL_VALUES, label="value")
    output = BytesIO()
    workbook.save(output)
    with clean_slate():
        before = snapshot()
        response = planner_client.post(PLAN_UPLOAD, {
            "workbook": SimpleUploadedFile("plan.xlsx", output.getvalue())})
        assert response.status_code in (302, 400)
        assert_outcome(response, before)


# The dashboard's filters -------------------------------------------------------------------


@fuzz(30)
@given(data=st.data())
def test_the_dashboards_filters_take_any_query(approver, every_program, data):
    client = logged_in(approver)
    program, indicator = every_program[0], every_program[0].indicators.first()
    url = data.draw(st.sampled_from([
        "/jbsss/2024/", "/jbsss/compare/", f"/jbsss/2024/programs/{program.pk}/",
        f"/jbsss/2024/indicators/{indicator.pk}/", "/jbsss/2023/evaluation/",
        "/jbsss/2024/evaluation/review/", "/jbsss/2024/evaluation/simulator/"]), label="url")
    names = st.sampled_from(["q", "category", "status", "owner", "sort", "a", "b", "scheme",
                             f"t{indicator.pk}", "t"])
    values = st.one_of(TEXT, NUMBER_TEXT, st.sampled_from(["2023", "2024", "-measurement",
                                                           "achievement", "1", "5"]))
    query = data.draw(st.dictionaries(st.one_of(names, TEXT), values, max_size=4),
                      label="query")
    response = client.get(url, query)
    assert response.status_code in (200, 400)


# Logging in ------------------------------------------------------------------------------


@fuzz(40)
@given(username=st.one_of(TEXT, st.sampled_from(["kim", "kim\x00", " kim", "KIM"])),
       password=st.one_of(TEXT, st.just("pw-entry-1")),
       url=st.sampled_from(["/accounts/login/", "/admin/login/"]))
def test_logging_in_takes_any_name_and_password(staff, username, password, url):
    client = Client(raise_request_exception=True)
    with clean_slate():
        response = client.post(url, {"username": username, "password": password})
        assert response.status_code in (200, 302, 429)
        if response.status_code == 302:
            assert (username.strip(), password) == ("kim", "pw-entry-1")


@fuzz(30)
@given(old=st.one_of(TEXT, st.just("pw-entry-1")),
       new=st.one_of(TEXT, st.sampled_from(["kim", "12345678", "bright-autumn-2024"])),
       confirmation=st.one_of(st.none(), TEXT))
def test_changing_ones_password_takes_any_text(staff, old, new, confirmation):
    staff.refresh_from_db()  # the password an earlier example changed is rolled back
    client = logged_in(staff)
    with clean_slate():
        response = client.post("/accounts/password/", {
            "old_password": old, "new_password1": new,
            "new_password2": new if confirmation is None else confirmation})
        assert response.status_code in (200, 302)
        staff.refresh_from_db()
        if response.status_code == 302:
            assert response["Location"] == "/accounts/password/done/"
            assert staff.check_password(new)
            validate_password(new, staff)  # a refused one would have been shown the form
        else:
            assert staff.check_password("pw-entry-1")


# The admin ----------------------------------------------------------------------------


@pytest.fixture
def administrator(institution):
    """Not logged in: each Hypothesis example logs in a client of its own."""
    return make_administrator(institution)


ADMIN_VALUES = st.one_of(
    TEXT, NUMBER_TEXT, st.integers(min_value=-1, max_value=10**6).map(str),
    st.sampled_from(["", "2024-02-30", "2024-01-01", "0", "-1", "99999999999999999999",
                     "1e400", "on", "상시", "구축완료", "%", "count", "milestone", "closed",
                     "approved", "\x00"]))


@pytest.fixture
def admin_forms(administrator, plan_2024):
    """The change pages staff administrators edit, with their forms as sent back untouched."""
    program = program_named(plan_2024, OUTSOURCING)
    rate = Indicator.objects.filter(program__category__plan=plan_2024, kind=Kind.RATE).first()
    result = Result.objects.create(indicator=rate, period=1, value=Decimal("50.5"))
    urls = [
        f"/admin/goals/result/{result.pk}/change/",
        "/admin/goals/result/add/",
        f"/admin/goals/program/{program.pk}/change/",
        f"/admin/goals/indicator/{rate.pk}/change/",
        f"/admin/goals/unitproject/{program.unit_projects.first().pk}/change/",
        f"/admin/goals/plan/{plan_2024.pk}/change/",
        f"/admin/goals/generalstatus/{GeneralStatus.objects.first().pk}/change/",
        f"/admin/goals/evaluationscheme/{load_schemes(read_schemes())[3].pk}/change/",
        f"/admin/goals/target/{Target.objects.get(indicator=rate, year=2024).pk}/change/",
    ]
    client = logged_in(administrator)
    return {url: change_form_data(client.get(url)) for url in urls}


def interesting(name):
    """The fields where numbers, states and JSON meet the database's limits."""
    return any(part in name for part in ("target_", "value", "share", "budget", "steps",
                                         "scale_max", "baseline", "state", "year", "order",
                                         "indicator", "unit_project", "previous", "owner",
                                         "weight", "bound", "total", "ratio", "k_", "cap",
                                         "TOTAL_FORMS", "approved", "reason", "points"))


@fuzz(60)
@given(data=st.data())
def test_the_admins_change_forms_take_any_values(administrator, admin_forms, data):
    client = logged_in(administrator)
    url = data.draw(st.sampled_from(sorted(admin_forms)), label="url")
    sent = dict(admin_forms[url])
    names = sorted(sent)
    chosen = [name for name in names if interesting(name)] or names
    fields = st.one_of(st.sampled_from(chosen), st.sampled_from(names))
    with clean_slate():
        for name in data.draw(st.lists(fields, unique=True, min_size=1, max_size=6)):
            sent[name] = data.draw(ADMIN_VALUES, label=name)
        before = snapshot()
        response = client.post(url, sent)
        assert response.status_code in (200, 302, 403)
        assert_outcome(response, before, refused_statuses=(200, 403))


def changelists():
    urls = {}
    for model, model_admin in admin.site._registry.items():
        names = ["q", "o", "p", "e", "all"]
        for name in model_admin.list_filter:
            name = name[0] if isinstance(name, tuple) else name  # (field, filter class)
            names += [name, f"{name}__exact", f"{name}__id__exact", f"{name}__isnull"]
        urls[f"/admin/{model._meta.app_label}/{model._meta.model_name}/"] = names
    return urls


@pytest.fixture
def superuser(institution):
    return get_user_model().objects.create_superuser("root", password="pw")


@fuzz(60)
@given(data=st.data())
def test_the_admins_lists_take_any_search_and_filter(superuser, data):
    client = logged_in(superuser)
    urls = changelists()
    url = data.draw(st.sampled_from(sorted(urls)), label="url")
    values = st.one_of(TEXT, NUMBER_TEXT, st.sampled_from(["\x00", "a\x00", "2024", "count"]))
    query = data.draw(st.dictionaries(st.one_of(st.sampled_from(urls[url]), TEXT), values,
                                      min_size=1, max_size=3), label="query")
    response = client.get(url, query)
    assert response.status_code in (200, 302, 400)
    response = client.get("/admin/autocomplete/", {
        "term": data.draw(values, label="term"), "app_label": "goals", "model_name": "program",
        "field_name": data.draw(st.sampled_from(["previous", "owner", "category"]))})
    assert response.status_code in (200, 400, 403)
