"""The 2024 plan report against the document it re-issues, figure by figure.

Every figure with a unit that the document prints (60회, 82회(56회)'s 82회
and 56회, 28,517천원, 94.4점, 88.3%, 2,243명 …) is in the PDF's text and in
the workbook's values, and neither prints a figure with a unit that the
document does not, apart from the documented ones: the sum of the budgets
(454,577천원) and the notes under the main table on the 억원 rule. A 계 that
adds a 1회 meeting to 100회 of counselling (101회) fails here. Every total of
the workbook is a =SUM over exactly the rows it totals and gives the
document's 계. Last, how the pages read: a year kept only as last year's
results table prints no pages of empty headings, and a narrative's bullet is
not boxed like a value not approved yet."""

import re
import subprocess
from datetime import date
from io import BytesIO
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.conf import settings
from openpyxl import load_workbook

from goals.models import Institution, UnitProject
from goals.selectors import EVERYTHING
from reports import layout
from reports.document import gather
from reports.hwpx import render_hwpx
from reports.pdf import render_pdf, report_html
from reports.xlsx import render_xlsx
from tests.conftest import CODE
from tests.goals.test_dashboard import enter
from tests.goals.test_printed import PROGRAMS_2024
from tests.reports.test_report_exports import rows_of, shown, total_of

pytestmark = pytest.mark.django_db

# A figure with its unit, as the document writes it: no space between them
# ("0.6 개최 횟수" is a budget and a measurement, not 0.6개).
FIGURE = re.compile(r"(?<![\d.,])(\d[\d,]*(?:\.\d+)?)(천원|억\s?원|개소|회|건|명|%|점|곳|작|차|개|기|번)")

# What the report prints that the document does not, and why it may.
DOCUMENTED = {
    "454,577천원",  # 사업비 합계: the 14 programs added up (domain.md)
    # The notes under the main table: the 억원 rule's example and each value
    # the document printed otherwise, with the rule's value (주1–주4).
    "0.28억원", "0.29억원", "0.1억원", "0.11억원", "0.198억원", "0.20억원", "1억원", "1.02억원",
}


def figures_in(text):
    return {number + re.sub(r"\s", "", unit) for number, unit in FIGURE.findall(text)}


@pytest.fixture(scope="module")
def document_figures():
    source = Path(settings.BASE_DIR) / "fixtures" / "source" / "2024_goal_report.txt"
    return figures_in(source.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def report_2024(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        institution = Institution.objects.get(code=CODE)
        report = gather(institution, 2024, made_on=date(2026, 12, 2))
        return render_pdf(report), render_xlsx(report)


def pdf_text(data):
    return subprocess.run(["pdftotext", "-layout", "-", "-"], input=data, capture_output=True,
                          check=True).stdout.decode()


def test_the_document_has_the_figures_this_test_reads(document_figures):
    assert {"60회", "82회", "56회", "28,517천원", "94.4점", "88.3%", "2,243명", "135명", "16회",
            "1건", "2개소", "41곳", "111작", "4차", "5기", "38번", "105.7억원"} <= document_figures
    assert "0.6개" not in document_figures  # "0.6 개최 횟수"
    assert len(document_figures) == 142


def test_every_figure_of_the_document_is_in_the_pdf_and_no_other(report_2024,
                                                                document_figures):
    printed = figures_in(pdf_text(report_2024[0]))
    assert document_figures - printed == set()
    assert printed - document_figures == DOCUMENTED


def workbook_figures(data):
    """The figures the workbook's visible sheets show (a total as the value
    Excel gives it), and the same with the unit of a (천원) column written
    after its amounts, as the document writes them."""
    shown_figures, with_units = set(), set()
    for sheet in load_workbook(BytesIO(data)):
        if sheet.sheet_state != "visible":
            continue
        thousands = {cell.column for row in sheet.iter_rows(min_row=layout.GROUP_ROW,
                                                            max_row=layout.HEADER_ROW)
                     for cell in row if "(천원)" in str(cell.value or "")}
        for row in sheet.iter_rows(min_row=layout.FIRST_ROW):
            for cell in row:
                text = shown(cell) if not str(cell.value).startswith("=") else \
                    shown_total(sheet, cell)
                shown_figures |= figures_in(text)
                if cell.column in thousands and re.fullmatch(r"[\d,]+", text):
                    text += "천원"
                with_units |= figures_in(text)
    return shown_figures, with_units


def shown_total(sheet, cell):
    """A total as Excel shows it: the sum of its range, in its number format."""
    _range, total = total_of(sheet, cell)
    return shown(SimpleNamespace(value=float(total), number_format=cell.number_format))


def test_every_figure_of_the_document_is_in_the_workbook_and_no_other(report_2024,
                                                                     document_figures):
    shown_figures, with_units = workbook_figures(report_2024[1])
    assert document_figures - with_units == set()
    assert shown_figures - document_figures == {"454,577천원"}  # 사업비 합계


def test_every_total_is_a_sum_over_the_rows_it_totals_giving_the_documents(report_2024):
    workbook = load_workbook(BytesIO(report_2024[1]))
    formulas = {(sheet.title, cell.coordinate) for sheet in workbook for row in sheet.iter_rows()
                for cell in row if str(cell.value).startswith("=")}
    checked = set()

    def check(sheet, cell, rows, expected):
        letter = cell.column_letter
        assert total_of(sheet, cell)[0] == f"{letter}{rows[0]}:{letter}{rows[-1]}", cell
        assert shown_total(sheet, cell) == expected, cell
        checked.add((sheet.title, cell.coordinate))

    # Each 계 of a three-year plan: over its program's unit projects, the document's 계.
    plan = workbook[layout.PLAN]
    by_program = {}
    for row in rows_of(plan, layout.plan_columns([2024, 2025, 2026])):
        if row["program"].value:
            by_program.setdefault(layout.program_name(row["program"].value), []).append(row)
    for name, totals in PROGRAMS_2024.items():
        rows = by_program[name]
        if totals is None:
            assert all(row["name"].value != layout.TOTAL for row in rows), name
            continue
        assert rows[0]["name"].value == layout.TOTAL
        units = [row["name"].row for row in rows[1:]]
        assert units == list(range(units[0], units[-1] + 1))
        for offset, expected in enumerate(totals):
            cell = rows[0][f"target_{offset}"]
            if str(cell.value).startswith("="):
                check(plan, cell, units, expected)
            else:  # units apart (135명/16회) or a state (6회, 상시): printed as text
                assert cell.value == expected and ("/" in expected or "상시" in expected)

    # Last year's unit results: 계 82회 over its seven lines.
    units = workbook[layout.LAST_YEAR_UNITS]
    check(units, units.cell(layout.FIRST_ROW, 3),
          list(range(layout.FIRST_ROW + 1, layout.FIRST_ROW + 8)), "82회")

    # The budgets: every program's row, the 억원 by the rule and in 천원.
    budget = workbook[layout.BUDGET]
    total = next(row for row in rows_of(budget, layout.BUDGET_COLUMNS)
                 if row["program"].value == "합계")
    programs = list(range(layout.FIRST_ROW, total["program"].row))
    assert len(programs) == 14
    check(budget, total["budget_cheon"], programs, "454,577")
    check(budget, total["budget_eok"], programs, "4.55")
    summary = workbook[layout.SUMMARY]
    total = next(row for row in rows_of(summary, layout.SUMMARY_COLUMNS)
                 if row["program"].value == "합계")
    check(summary, total["budget_eok"], list(range(layout.FIRST_ROW, total["program"].row)),
          "4.55")

    assert checked == formulas  # no total left unchecked
    assert workbook.calculation.fullCalcOnLoad


# How the pages read ---------------------------------------------------------------


def test_a_year_kept_only_as_results_prints_no_pages_of_empty_headings(institution):
    """2023 is in the document only as last year's results table: its report
    was 17 pages, most of them a program's title over empty headings."""
    text = pdf_text(render_pdf(gather(institution, 2023)))
    pages = text.split("\f")[:-1]
    assert len(pages) <= 8
    bare = "2023년 계획에는 이 사업의 사업개요·추진실적·추진계획이 없습니다."
    # Only the program with unit projects (수탁기관 운영 활성화 지원) has pages of its own.
    assert text.count("□ 사업개요") == 1 and text.count(bare) == 11
    for page in pages[2:]:
        assert len([line for line in page.splitlines() if line.strip()]) > 8
    # The HWPX, from the same printed model, says the same.
    from hwpx.tools.package_validator import validate_package

    from tests.reports.test_report_hwpx import parts

    data = render_hwpx(gather(institution, 2023))
    assert validate_package(data).ok
    section = "\n".join(parts(data)[1].itertext())
    assert section.count("□ 사업개요") == 1 and section.count(bare) == 11


def test_bullets_are_plain_and_only_a_value_not_approved_is_marked(institution):
    """The box drawn around 미승인 was drawn around every ○ and - as well."""
    enter(UnitProject.objects.get(name="돌봄지원단"), 1, 10, approved=False)
    html = report_html(gather(institution, 2024, quarterly=True, quarter=1, shown=EVERYTHING))
    css = html[html.index("<style>"):html.index("</style>")]
    boxed = re.findall(r"\n\.([\w-]+) \{[^}]*border:", css)
    assert "unapproved" in boxed and not {"bullet", "n", "n1", "n2", "n3"} & set(boxed)
    marked = re.findall(r'<span class="unapproved">([^<]*)</span>', html)
    assert marked and set(marked) == {"미승인"}
    bullets = re.findall(r'<span class="bullet">([^<]*)</span>', html)
    assert len(bullets) > 100 and set(bullets) == {"○", "-", "*"}

