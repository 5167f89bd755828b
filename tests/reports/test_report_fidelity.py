"""The plan report as the document prints it: its cover date, the head's
line, the headings and column names, the 억원 rule with a note wherever the
document printed another value, and the export page listing those before
the file is downloaded."""

import re
import subprocess
from datetime import date
from io import BytesIO
from zipfile import ZipFile

import pytest

from goals import roles
from goals.models import Institution
from reports.document import gather
from reports.hwpx import render_hwpx
from reports.pdf import render_pdf
from tests.conftest import CODE
from tests.reports.test_report_views import START
from tests.support.entry_fixtures import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def pdf_text(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        institution = Institution.objects.get(code=CODE)
        data = render_pdf(gather(institution, 2024, made_on=date(2026, 12, 2)))
    return subprocess.run(["pdftotext", "-layout", "-", "-"], input=data, capture_output=True,
                          check=True).stdout.decode()


def pages(text):
    return text.split("\f")


def squeezed(text):
    return re.sub(r"\s+", "", text)


def test_the_cover_is_dated_as_the_document_not_the_day_of_export(pdf_text):
    cover = pages(pdf_text)[0]
    assert "2024." in cover.split()
    assert "2026" not in cover


def test_the_day_of_export_dates_a_plan_without_a_reported_date(institution):
    plan = institution.plans.get(year=2024)
    plan.reported_on = ""
    plan.save()
    assert gather(institution, 2024, made_on=date(2026, 12, 2)).cover_date == "2026. 12. 2."


def test_the_heads_line_closes_the_years_goals(pdf_text):
    goals = next(page for page in pages(pdf_text) if "2024 경영목표" in page and "○" in page)
    lines = [line.strip() for line in goals.splitlines() if line.strip()]
    assert lines[-2] == "전북특별자치도사회서비스원장"  # then the page number


def test_the_headings_and_column_names_are_the_documents(pdf_text):
    text = squeezed(pdf_text)
    main = next(page for page in pages(pdf_text) if "사업비 합계" in page)
    assert "비고" in main and "(억 원)" in main and "(전년도목표)" in main
    assert "②소속시설사회서비스품질제고지원" in text
    assert "○사업대상:지역사회돌봄이필요한노인,장애인,아동등" in text
    assert "운영내용비고" in text and "대상내용비고" in text
    assert "’24～’26년추진계획" in text


def test_the_purpose_prints_each_of_its_lines_on_its_own(pdf_text):
    lines = [line.strip() for line in pdf_text.splitlines()]
    assert "도내 유관 기관 협력 네트워크 구축" in lines


def test_every_budget_follows_the_rule_and_notes_where_the_document_differs(pdf_text):
    main = next(page for page in pages(pdf_text) if "사업비 합계" in page)
    rows = squeezed(main)
    # The rule's value, marked; the document's value in the note.
    for computed, number in (("0.29", 1), ("0.11", 2), ("0.20", 3), ("1.02", 4)):
        assert f"{computed}주{number})" in rows
    notes = [line.strip() for line in main.splitlines() if re.match(r"\s*(\*|주\d\))", line)]
    assert notes[0].startswith("* 사업비(억 원)는 사업개요의 천원 금액을")
    assert notes[1:] == [
        "주1) 수탁기관 운영 활성화 지원: 원문에는 0.28억 원으로 적혀 있으나, 사업개요의 28,517천원은 "
        "0.29억 원입니다.",
        "주2) 종사자 근로조건 향상: 원문에는 0.1억 원으로 적혀 있으나, 사업개요의 10,660천원은 0.11억 원입니다.",
        "주3) 소규모 사회서비스기관·소속시설 인권보호체계 구축: 원문에는 0.198억 원으로 적혀 있으나, "
        "사업개요의 19,800천원은 0.20억 원입니다.",
        "주4) 전북형 돌봄 체계화 및 고도화: 원문에는 1억 원으로 적혀 있으나, 사업개요의 102,100천원은 "
        "1.02억 원입니다.",
    ]


def test_no_page_holds_only_a_few_lines(pdf_text):
    for number, page in enumerate(pages(pdf_text)[1:-1], start=2):
        lines = [line for line in page.splitlines() if line.strip()]
        assert len(lines) > 8, (number, lines)


def test_the_hwpx_has_the_same_cover_head_and_notes(institution):
    data = render_hwpx(gather(institution, 2024, made_on=date(2026, 12, 2)))
    with ZipFile(BytesIO(data)) as archive:
        text = "".join(archive.read(name).decode() for name in archive.namelist()
                       if name.endswith(".xml"))
    assert "전북특별자치도사회서비스원장" in text and "주4) 전북형 돌봄" in text
    assert "2026. 12. 2." not in text


def test_the_export_page_lists_the_differences_before_the_download(client, institution):
    client.force_login(make_user(institution, roles.REVIEWER, "province"))
    state = client.post(START, {"format": "pdf"}, HTTP_ACCEPT="application/json").json()
    html = client.get(state["page_url"]).content.decode()
    findings = html[html.index("계획 점검"):]
    assert "총괄표의 사업비는 0.28억원인데, 사업개요의 28,517천원은 0.29억원입니다." in findings
    assert "요약 목표는 2건인데" in findings
    assert html.index("계획 점검") < html.index("현황으로 돌아가기")
