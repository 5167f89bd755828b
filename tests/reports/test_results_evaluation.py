"""The year-end results report shows the expected evaluation (issue 15): the
2023 document's score and grade under each example scheme, the same in the
PDF, the XLSX and the HWPX as on the evaluation page; nothing when the year
has no scheme."""

import subprocess
from io import BytesIO

import pytest
from openpyxl import load_workbook

from goals.schemes import load_schemes, read_schemes
from reports import evaluation_chapter
from reports.hwpx import render_results_hwpx
from reports.pdf import render_results_pdf, results_html
from reports.results import gather_results
from reports.xlsx import render_results_xlsx
from tests.reports.test_report_hwpx import parts

pytestmark = pytest.mark.django_db

PROVINCE = "2023 도 출연기관 (가–마) (예시)"
MINISTRY = "2023 보건복지부 사회서비스원 (S–D) (예시)"
SUMMARIES = {
    PROVINCE: "연말 예상 총점 100.00점, 등급 가 (배점 합계 100.00점, 가점 0.00점, 감점 0.00점).",
    MINISTRY: "연말 예상 총점 103.59점, 등급 S (배점 합계 100.00점, 가점 0.00점, 감점 0.00점).",
}


@pytest.fixture
def schemes(institution):
    return load_schemes(read_schemes())


@pytest.fixture
def report(schemes, institution):
    return gather_results(institution, 2023)


def test_the_report_gives_2023s_score_and_grade_under_each_scheme(report):
    assert {chapter.title: chapter.summary for chapter in report.evaluations} == SUMMARIES
    ministry = next(chapter for chapter in report.evaluations if chapter.title == MINISTRY)
    rows = {row.measurement: row for row in ministry.rows}
    support = rows["지원사업 횟수"]
    # 82회 against 56회 (146%) is capped at 110%: 평점 110, 배점 10 → 득점 11.
    assert (support.method, support.target, support.result, support.score, support.points) == (
        "목표부여(편차) → 목표대비실적", "56회", "82회", "110.00", "11.00")
    assert support.note == "과거 실적 없음(5년 필요): 목표대비실적으로 대체"
    assert (rows["합계"].points, rows["합계"].note) == ("103.59", "등급 S")
    assert all("예시 평가 체계입니다" in chapter.notes[0] for chapter in report.evaluations)


def text_of(pdf):
    return subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True,
                          check=True).stdout.decode()


def test_the_pdf_prints_the_chapter(report):
    text = " ".join(text_of(render_results_pdf(report)).split())
    assert "2023년 경영평가 예상" in text
    for title, summary in SUMMARIES.items():
        assert title in text and summary in text
    assert "그해 평가편람으로 확인해야 합니다" in text


def test_the_workbook_has_the_chapters_sheet(report):
    workbook = load_workbook(BytesIO(render_results_xlsx(report)))
    sheet = workbook[evaluation_chapter.SHEET]
    rows = list(sheet.iter_rows(min_row=5, values_only=True))
    # 배점, 평점 and 득점 are numbers; the total's note says the grade.
    totals = {row[0]: (row[4], row[10], row[11]) for row in rows if row[2] == "합계"}
    assert totals == {PROVINCE: (100, 100, "등급 가"), MINISTRY: (100, 103.59, "등급 S")}
    support = next(row for row in rows if row[0] == MINISTRY and row[2] == "지원사업 횟수")
    assert support[3:] == ("목표부여(편차) → 목표대비실적", 10, "56회", "-", "82회", "82회", 110, 11,
                           "과거 실적 없음(5년 필요): 목표대비실적으로 대체")


def test_the_hwpx_prints_the_same(report):
    from hwpx.tools.package_validator import validate_package

    data = render_results_hwpx(report)
    assert validate_package(data).ok
    _header, section = parts(data)
    text = "\n".join(section.itertext())
    assert "2023년 경영평가 예상" in text
    for title, summary in SUMMARIES.items():
        assert title in text and summary in text
    assert "103.59" in text and "등급 S" in text


def test_a_year_without_a_scheme_has_no_chapter(institution):
    report = gather_results(institution, 2023)
    assert report.evaluations == []
    assert 'id="evaluation"' not in results_html(report)
    workbook = load_workbook(BytesIO(render_results_xlsx(report)))
    assert evaluation_chapter.SHEET not in workbook.sheetnames
