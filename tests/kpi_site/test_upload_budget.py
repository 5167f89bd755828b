"""
Every upload has a budget before it is parsed (goals.uploads): the hostile
files of the hardening round (issue 14, findings 1 and 5) are refused with a
400 and a Korean reason by the entry sheet and the plan workbook alike, and
openpyxl never reads them. How long each refusal takes is printed by
benchmarks/hostile_uploads.py.
"""

import re
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl.reader.excel import ExcelReader

from goals import entry_sheet, roles, uploads
from goals.models import Plan
from reports.document import gather
from reports.xlsx import render_xlsx
from tests.support.entry_fixtures import make_user, outsourcing, staff  # noqa: F401
from tests.support.hostile_files import HOSTILE, SHEET_PART, rewrite

pytestmark = pytest.mark.django_db

ENTRY_UPLOAD = "/jbsss/2024/entry/1/sheet/"
PLAN_UPLOAD = "/reports/jbsss/upload/"
@pytest.fixture(autouse=True)
def openpyxl_never_reads(monkeypatch):
    """A file outside its budget is refused before openpyxl reads it."""
    read = ExcelReader.read

    def guarded(self, *args, **kwargs):
        if guarded.hostile:
            raise AssertionError("openpyxl was given a file outside its budget")
        return read(self, *args, **kwargs)

    guarded.hostile = False
    monkeypatch.setattr(ExcelReader, "read", guarded)
    return guarded


@pytest.fixture
def staff_client(client, staff, outsourcing):
    client.force_login(staff)
    return client


@pytest.fixture
def entry_sheet_bytes(staff_client):
    response = staff_client.get("/jbsss/2024/entry/1/sheet.xlsx")
    assert response.status_code == 200
    return response.content


@pytest.fixture
def planner_client(client, institution):
    client.force_login(make_user(institution, roles.APPROVER, "planner"))
    return client


def hangul(text):
    return re.search("[가-힣]", text) is not None


def sheet_refusal(response):
    assert response.status_code == 400
    problems = response.context["sheet_problems"]
    assert len(problems) == 1 and problems[0].row == 0
    return problems[0].message


@pytest.mark.parametrize("example", HOSTILE)
def test_a_hostile_entry_sheet_is_a_400_with_a_korean_reason(staff_client, entry_sheet_bytes,
                                                             openpyxl_never_reads, example):
    hostile = HOSTILE[example](entry_sheet_bytes)
    assert len(hostile) < 20_000  # a small file, as in the report
    openpyxl_never_reads.hostile = True
    response = staff_client.post(ENTRY_UPLOAD, {
        "file": SimpleUploadedFile("실적.xlsx", hostile)})
    message = sheet_refusal(response)
    assert hangul(message)
    assert message in response.content.decode()


@pytest.mark.parametrize("example", HOSTILE)
def test_a_hostile_plan_workbook_is_a_400_with_a_korean_reason(planner_client, plan_2024,
                                                               openpyxl_never_reads, example):
    hostile = HOSTILE[example](render_xlsx(gather(plan_2024.institution, 2024)))
    titles_before = list(Plan.objects.values_list("pk", "title", "status"))
    openpyxl_never_reads.hostile = True
    response = planner_client.post(PLAN_UPLOAD, {
        "workbook": SimpleUploadedFile("계획.xlsx", hostile)})
    assert response.status_code == 400
    problems = response.context["problems"]
    assert len(problems) == 1 and hangul(problems[0].message)
    assert list(Plan.objects.values_list("pk", "title", "status")) == titles_before


def test_the_reasons_say_what_is_wrong(entry_sheet_bytes, openpyxl_never_reads):
    openpyxl_never_reads.hostile = True
    reasons = {}
    for example, make in HOSTILE.items():
        with pytest.raises(uploads.UploadRefused) as refusal:
            uploads.open_workbook(BytesIO(make(entry_sheet_bytes)), uploads.entry_sheet_budget())
        reasons[example] = refusal.value.message
    assert "1048576행" in reasons["a row numbered 1048576"]
    assert "5,000행" in reasons["a row numbered 1048576"]
    assert "A200:J100200" in reasons["a merged range to row 100200"]
    assert "DOCTYPE" in reasons["a DOCTYPE"] and "DOCTYPE" in reasons["billion laughs"]
    assert "손상" in reasons["truncated XML"]
    assert "읽을 수 없습니다" in reasons["a corrupt deflate stream"]


def budget(**limits):
    return uploads.Budget(**{"max_bytes": 1024 * 1024, **limits})


@pytest.mark.parametrize("change, limits, words", [
    (lambda text: text.replace("</sheetData>", '<row r="7"><c r="XFD7"/></row></sheetData>'),
     {}, "너무 넓습니다"),
    (lambda text: text.replace("</sheetData>", '</sheetData><hyperlinks><hyperlink '
                               'ref="A1:CV4000" display="x"/></hyperlinks>'), {}, "칸이 너무 많습니다"),
    (lambda text: text, {"max_cells": 20}, "칸이 너무 많습니다"),
    (lambda text: text, {"max_xml_bytes": 1000}, "압축을 푼 내용이 너무 큽니다"),
    (lambda text: text, {"max_parts": 3}, "구성 요소가 너무 많습니다"),
    (lambda text: text, {"max_bytes": 100}, "파일이 너무 큽니다"),
    (lambda text: text, {"seconds": 0}, "너무 오래 걸립니다"),
])
def test_each_limit_of_the_budget(entry_sheet_bytes, change, limits, words):
    xlsx = rewrite(entry_sheet_bytes, SHEET_PART, change)
    with pytest.raises(uploads.UploadRefused) as refusal:
        uploads.open_workbook(BytesIO(xlsx), budget(**limits))
    assert words in refusal.value.message


def test_a_workbook_within_its_budget_is_read(entry_sheet_bytes):
    workbook = uploads.open_workbook(BytesIO(entry_sheet_bytes), uploads.entry_sheet_budget(),
                                     read_only=True)
    assert entry_sheet.SHEET_TITLE in workbook.sheetnames
    workbook.close()


def test_the_500_indicator_workbook_is_within_the_plan_budget(settings):
    from goals.synthetic import build_synthetic_plan

    # The sizes are what is tested here; the reading's clock is not a test's
    # to hold on a shared machine (it counts others' load too).
    settings.UPLOAD_SECONDS = 300

    institution = build_synthetic_plan(indicators=500, code="big")
    xlsx = render_xlsx(gather(institution, 2024))
    workbook = uploads.open_workbook(BytesIO(xlsx), uploads.plan_workbook_budget())
    assert max(sheet.max_row for sheet in workbook.worksheets) > 500
