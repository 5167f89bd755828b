"""Round trip from nothing (issue 11): the exported workbooks of 2023 and
2024 make the institution, its 일반현황, both plans and 2023's results in a
database that has none of them, and 2024 exported again is the same
workbook, sheet by sheet, values and number formats. Last year's results are
read only into a last year that holds none; anywhere else they are entered
by quarter, with their approvals and locks."""

import subprocess
from io import StringIO

import pytest
from django.core.management import call_command
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from goals.models import Institution, Period, Result
from reports import layout
from reports.document import gather
from reports.importer import ImportFailed, import_workbook
from reports.pdf import render_results_pdf
from reports.results import gather_results
from reports.xlsx import render_xlsx
from tests.support.workbooks import edit

pytestmark = pytest.mark.django_db

# The document's 2023 results table: measurement → (result, achievement).
RESULTS_2023 = {
    "협력사업 건수": ("2건", "100%"), "협업사업 건수": ("1건(2개소)", "100%"),
    "지원사업 횟수": ("82회", "146%"), "수탁건 수": ("3개소", "100%"),
    "직접고용 비율": ("100%", "100%"), "처우개선추진횟수": ("6건", "300%"),
    "계획대비 달성률": ("100%", "100%"), "교육실시 횟수": ("53회", "106%"),
    "공시율": ("88.3%", "110%"), "진척도": ("구축완료", "100%"), "운영 건수": ("71건", "101%"),
    "만족도 점수": ("94.4점", "115%"), "제공인원 수": ("25명", "100%"), "운영사업": ("2건", "100%"),
    "사업건수": ("1건", "100%"),
}


def sheets(path):
    """Each sheet's visible cells: (value, number format), row by row."""
    workbook = load_workbook(path)
    found = {}
    for sheet in workbook:
        hidden = {key for key, dimension in sheet.column_dimensions.items() if dimension.hidden}
        found[sheet.title] = [[(cell.value, cell.number_format) for cell in row
                               if get_column_letter(cell.column) not in hidden]
                              for row in sheet.iter_rows()]
    return found


def export(tmp_path, year, name, *options):
    path = tmp_path / name
    call_command("export_report", "--year", str(year), "--format", "xlsx", *options,
                 "--output", str(path))
    return path


@pytest.fixture
def from_nothing(institution, tmp_path):
    """The two workbooks, and a database where the institution they name is not."""
    paths = [export(tmp_path, year, f"{year}.xlsx") for year in (2023, 2024)]
    Institution.objects.filter(pk=institution.pk).update(code="before")
    return paths


def test_the_workbooks_make_it_all_again_and_export_the_same_sheet_by_sheet(from_nothing,
                                                                             tmp_path):
    out = StringIO()
    for path in from_nothing:
        call_command("import_plan", str(path), stdout=out)
    assert "2023년 실적 23건을 함께 넣었습니다" in out.getvalue()  # 16 indicators, 7 unit projects
    made = Institution.objects.get(code="jbsss")
    again = export(tmp_path, 2024, "again.xlsx", "--institution", "jbsss")
    first, second = sheets(from_nothing[1]), sheets(again)
    assert list(first) == list(second)
    for name in first:
        assert first[name] == second[name], name
    # The results report of 2023 reads the document's rates again.
    text = subprocess.run(["pdftotext", "-layout", "-", "-"],
                          input=render_results_pdf(gather_results(made, 2023)),
                          capture_output=True, check=True).stdout.decode()
    summary = text[:text.index("사업별 분기 실적")]
    assert "달성 16" in summary
    for measurement, (result, rate) in RESULTS_2023.items():
        row = next(line for line in summary.splitlines() if measurement in line).split()
        position = row.index(measurement.split()[-1])
        assert row[position + 2:position + 4] == [result, rate], measurement
    note = Result.objects.get(indicator__program__category__plan__institution=made,
                              indicator__measurement="협업사업 건수", period=Period.YEAR)
    assert (note.value, note.note) == (1, "2개소")


def test_a_last_year_row_that_names_nothing_is_refused_with_where_and_nothing_is_written(
        from_nothing):
    call_command("import_plan", str(from_nothing[0]), stdout=StringIO())
    made = Institution.objects.get(code="jbsss")

    def rename(workbook):
        sheet = workbook[layout.LAST_YEAR]
        for row in sheet.iter_rows(min_row=layout.FIRST_ROW):
            if row[2].value == "지원사업 횟수":
                row[2].value = "지원 횟수"
        units = workbook[layout.LAST_YEAR_UNITS]
        units.cell(layout.FIRST_ROW + 1, 3).value = "삼십"

    with pytest.raises(ImportFailed) as failure:
        import_workbook(edit(from_nothing[1].read_bytes(), rename), made)
    problems = {(problem.sheet, problem.column): problem.message
                for problem in failure.value.problems}
    assert problems[layout.LAST_YEAR, "C"] == ("2023년 계획에 없는 항목입니다: 수탁기관 운영 활성화 지원 · "
                                               "지원 횟수")
    assert layout.LAST_YEAR_UNITS in {sheet for sheet, _column in problems}
    assert not made.plans.filter(year=2024).exists()
    assert not Result.objects.filter(indicator__program__category__plan__institution=made).exists()


def test_a_last_year_with_results_keeps_them_whatever_the_sheet_says(institution):
    before = list(Result.objects.order_by("pk").values_list("pk", "value", "state", "note"))

    def change(workbook):
        sheet = workbook[layout.LAST_YEAR]
        for row in sheet.iter_rows(min_row=layout.FIRST_ROW):
            if row[2].value == "지원사업 횟수":
                row[4].value = 99
            if row[2].value == "운영 건수":
                row[2].value = "없는 지표"

    outcome = import_workbook(edit(render_xlsx(gather(institution, 2024)), change), institution)
    assert outcome.last_year_results == 0
    assert list(Result.objects.order_by("pk").values_list("pk", "value", "state", "note")) == \
        before
