"""The year-end results report shows the expected evaluation (issue 15): the
2023 document's score and grade under each example scheme, the same in the
PDF, the XLSX and the HWPX as on the evaluation page; nothing when the year
has no scheme. And the budget spent beside achievement, once any amount is
approved."""

import subprocess
from io import BytesIO

import pytest
from openpyxl import load_workbook

from goals.models import Execution, Indicator
from goals.schemes import load_schemes, read_schemes
from reports import evaluation_chapter
from reports.hwpx import render_results_hwpx
from reports.pdf import render_results_pdf, results_html
from reports.results import gather_results
from reports.xlsx import render_results_xlsx
from tests.reports.test_report_hwpx import parts
from tests.support.entry_fixtures import approved_results

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


# 예산 집행 beside achievement (issue 15: in the XLSX and the results report) -------------


@pytest.fixture
def spent(institution):
    """95% of 수탁기관 운영 활성화 지원's budget spent in Q1, approved with its
    results (3회 of 60)."""
    support = Indicator.objects.get(program__category__plan__year=2024,
                                    measurement="지원사업횟수")
    program = support.program
    Execution.objects.create(program=program, quarter=1, amount_won=program.budget_won * 95 // 100)
    approved_results(support, {1: 3})
    return program


def test_the_results_report_shows_the_budget_spent_beside_achievement(spent, institution):
    report = gather_results(institution, 2024)
    assert report.shows_execution
    # 사업비 28,517천원, 집행액 27,091천원: 95% spent, 5% achieved.
    assert "28,517 27,091 95% 5%" in " ".join(text_of(render_results_pdf(report)).split())
    html = results_html(report)
    assert "집행에 비해 성과 부진" in html[html.index('id="execution"'):]
    workbook = load_workbook(BytesIO(render_results_xlsx(report)))
    rows = list(workbook["예산 집행"].iter_rows(min_row=5, values_only=True))
    row = next(row for row in rows if row[1] == spent.name)
    assert row[2] == spent.budget_won and row[3] == spent.budget_won * 95 // 100
    assert "집행에 비해 성과 부진" in row[-1]
    _header, section = parts(render_results_hwpx(report))
    text = "\n".join(section.itertext())
    assert "2024년 예산 집행" in text and "집행에 비해 성과 부진" in text


def test_amounts_not_approved_stay_out_of_the_results_report(institution):
    program = Indicator.objects.get(program__category__plan__year=2024,
                                    measurement="지원사업횟수").program
    Execution.objects.create(program=program, quarter=1, amount_won=1_000_000)  # a draft
    report = gather_results(institution, 2024)
    assert not report.shows_execution
    assert 'id="execution"' not in results_html(report)
    assert "예산 집행" not in load_workbook(BytesIO(render_results_xlsx(report))).sheetnames


def test_the_plan_reports_hwpx_with_the_quarters_has_it_as_its_pdf_does(spent, institution):
    from reports.document import gather
    from reports.hwpx import render_hwpx

    _header, section = parts(render_hwpx(gather(institution, 2024, quarterly=True)))
    text = "\n".join(section.itertext())
    assert "2024년 예산 집행" in text and "집행에 비해 성과 부진" in text
    _header, section = parts(render_hwpx(gather(institution, 2024)))
    assert "2024년 예산 집행" not in "\n".join(section.itertext())
