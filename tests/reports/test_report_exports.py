"""The annual report as the province receives it: the PDF and the XLSX of
2024 carry every figure of the main table, as the screen shows them."""

import re
import subprocess
from datetime import date
from decimal import Decimal
from io import BytesIO
from zipfile import ZipFile

import pikepdf
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from goals import formatting as fmt
from goals.models import Narrative, Program, Target
from goals.selectors import year_figures
from goals.synthetic import build_synthetic_plan
from reports import layout
from reports.document import gather
from reports.pdf import LocalFetcher, html_to_pdf, render_pdf, report_files, report_html
from reports.xlsx import display_width, render_xlsx
from tests.conftest import loaded_institution

pytestmark = pytest.mark.django_db
MADE_ON = date(2024, 3, 4)


@pytest.fixture(scope="module")
def pdf_2024(django_db_setup, django_db_blocker, tmp_path_factory, document_data):
    """The 2024 report with its quarterly section, rendered once for the module."""
    with django_db_blocker.unblock():
        institution = loaded_institution(document_data)
        data = render_pdf(gather(institution, 2024, quarterly=True, made_on=MADE_ON))
    path = tmp_path_factory.mktemp("report") / "2024.pdf"
    path.write_bytes(data)
    return path


@pytest.fixture(scope="module")
def xlsx_2024(django_db_setup, django_db_blocker, document_data):
    with django_db_blocker.unblock():
        institution = loaded_institution(document_data)
        return render_xlsx(gather(institution, 2024, made_on=MADE_ON))


def pdf_text(path, *pages):
    first_last = ["-f", str(pages[0]), "-l", str(pages[-1])] if pages else []
    return subprocess.run(["pdftotext", "-layout", *first_last, str(path), "-"],
                          capture_output=True, text=True, check=True).stdout


def squeezed(text):
    return re.sub(r"\s+", "", text)


def main_table(book):
    """(program, measurement) → the texts of its row in the main table."""
    return {(program.program.name, figure.indicator.measurement): (
        fmt.eok(program.budget_won),
        fmt.quantity(figure.target, figure.indicator.unit, figure.target_note),
        fmt.baseline(figure.baseline_actual, figure.baseline_target, figure.baseline_unit,
                     figure.baseline_note),
        fmt.change(figure.change))
        for program in book.programs for figure in program.indicators}


# PDF -------------------------------------------------------------------------


def test_the_fonts_are_nanumgothic_embedded_as_subsets(pdf_2024):
    listing = subprocess.run(["pdffonts", str(pdf_2024)], capture_output=True, text=True,
                             check=True).stdout.splitlines()[2:]
    fonts = [line.split() for line in listing]
    assert {font[0].split("+")[1] for font in fonts} == {"NanumGothic", "NanumGothic-Bold"}
    for font in fonts:
        assert re.fullmatch(r"[A-Z]{6}\+NanumGothic(-Bold)?", font[0])
        emb, sub = font[-5], font[-4]
        assert (emb, sub) == ("yes", "yes")


def structure(pdf):
    """The structure elements in reading order: (tag, element)."""
    found = []

    def walk(element):
        if isinstance(element, pikepdf.Dictionary) and "/S" in element:
            found.append((str(element.S), element))
            kids = element.get("/K")
            for kid in (kids if isinstance(kids, pikepdf.Array) else [kids]):
                walk(kid)

    for element in pdf.Root.StructTreeRoot.K:
        walk(element)
    return found


def test_the_pdf_is_tagged_pdf_a_2u_in_korean_with_its_title(pdf_2024):
    """Read by pikepdf (qpdf), not by the library that wrote it."""
    with pikepdf.open(pdf_2024) as pdf:
        root = pdf.Root
        assert root.Lang == "ko" and root.MarkInfo.Marked and root.ViewerPreferences.DisplayDocTitle
        with pdf.open_metadata() as xmp:
            assert (xmp["pdfaid:part"], xmp["pdfaid:conformance"]) == ("2", "U")
            assert xmp["dc:title"] == "2024년 경영성과 목표 현황 · (재)전북특별자치도사회서비스원"
        assert root.OutputIntents[0].S == "/GTS_PDFA1"
        tags = structure(pdf)
        names = [tag for tag, _element in tags]
        assert names[0] == "/Document" and names.count("/H1") == 1
        # A chapter each: contents, 일반현황, 경영목표, 주요경영목표, 14 programs, last year, quarters,
        # budget execution (예산 집행).
        assert names.count("/H2") == 21
        assert names.count("/Table") >= 20 and names.count("/TH") > 150
        # Headings come in the order of the pages.
        pages = [pdf.pages.index(pikepdf.Page(element.Pg)) for tag, element in tags
                 if tag == "/H2"]
        assert pages == sorted(pages) and pages[-1] > 20
        # Data cells name their header cells (rows and columns).
        cells = [element for tag, element in tags if tag == "/TD"]
        assert sum("/Headers" in element.A for element in cells) > 0.9 * len(cells)
        # Every font is embedded.
        fonts = [font for page in pdf.pages for font in page.Resources.Font.values()]
        descriptors = [font.DescendantFonts[0].FontDescriptor for font in fonts]
        assert descriptors and all("/FontFile2" in descriptor for descriptor in descriptors)


def test_the_pdf_holds_every_figure_of_the_main_table(pdf_2024, institution):
    text = squeezed(pdf_text(pdf_2024))
    rows = main_table(year_figures(institution, 2024))
    assert len(rows) == 21
    for (program, measurement), figures in rows.items():
        for figure in figures:
            assert squeezed(figure) in text, (program, measurement, figure)
    for figure in ["82회(56회)", "7.1%증", "0.29", "28,517천원", "94.4점(82점)", "3.7%증",
                   "135명/16회", "6회,상시", "454,577", "1건(2개소)", "146%", "구축완료"]:
        assert figure in text


def test_the_pdf_is_the_document_in_korean(pdf_2024):
    text = pdf_text(pdf_2024)
    for words in ["2024년 경영성과 목표 현황", "(재)전북특별자치도사회서비스원", "일반현황",
                  "전북특별자치도 전주시 덕진구 백제대로 805, 6층", "1본부 1실 3개팀", "20명/20명",
                  "105.7억원(국비 31.9, 도·시군비 63.4, 기타 4.7)", "2021.10.28. ~ 2024.10.27.",
                  "2024 경영목표", "60회(모니터링, 협력체계강화, ESG경영실천지원 등)",
                  "주요경영목표", "사업개요", "추진실적", "향후 추진계획", "중점 추진계획",
                  "2023년 경영성과 목표 이행 실적", "분기별 실적"]:
        assert words in text, words
    pages = text.split("\f")
    assert "- 2 -" not in pages[0] and re.search(r"-\s?5\s?-", pages[4])  # page numbers


def test_the_table_of_contents_gives_the_pages_the_programs_are_on(pdf_2024):
    contents = pdf_text(pdf_2024, 2)
    entries = re.findall(r"([①-⑳] [^.\n]+?)\s*(?:\. ?)+\s*(\d+)\s*$", contents, re.M)
    assert len(entries) == 14
    for name, page in entries:
        page_text = pdf_text(pdf_2024, int(page))
        assert name.strip() in page_text.split("사업개요")[0], (name, page)


def test_the_quarterly_section_is_there_only_when_asked(institution):
    report = gather(institution, 2024, made_on=MADE_ON)
    assert "분기별 실적" not in report_html(report)
    report = gather(institution, 2024, quarterly=True, made_on=MADE_ON)
    html = report_html(report)
    assert "2024년 분기별 실적" in html and "작성중" in html


def test_the_renderer_fetches_nothing_from_the_network_or_outside_the_project(monkeypatch):
    fetched = []
    original = LocalFetcher.__mro__[1].fetch

    def spy(self, url, headers=None):
        fetched.append(url)
        return original(self, url, headers)

    monkeypatch.setattr(LocalFetcher.__mro__[1], "fetch", spy)
    pdf = html_to_pdf("""<html><head>
        <link rel="stylesheet" href="http://example.invalid/style.css">
        <style>@import url("https://example.invalid/more.css");</style></head>
        <body><img src="http://example.invalid/logo.png"><img src="file:///etc/hostname">
        <p>보고서</p></body></html>""")
    assert pdf.startswith(b"%PDF")
    assert fetched == []
    with pytest.raises(ValueError):
        LocalFetcher().fetch("http://example.invalid/logo.png")
    with pytest.raises(ValueError):
        LocalFetcher().fetch("file:///etc/hostname")


# XLSX ------------------------------------------------------------------------


FORMAT = re.compile(r'^(#,##0|0)(?:\.(0+))?(?:"([^"]*)")?$')


def shown(cell):
    """What Excel shows for a cell, for the number formats the report writes."""
    value = cell.value
    if value is None:
        return ""
    if not isinstance(value, (int, float)):
        return str(value)
    match = FORMAT.match(cell.number_format)
    assert match, cell.number_format
    base, places, suffix = match.groups()
    places = len(places or "")
    number = f"{Decimal(str(value)):,.{places}f}" if base.startswith("#") else \
        f"{Decimal(str(value)):.{places}f}"
    return number + (suffix or "")


def rows_of(sheet, columns):
    """The data rows as {key: cell}, merged cells read from their first cell."""
    merged = {}
    for cells in sheet.merged_cells.ranges:
        for row in range(cells.min_row, cells.max_row + 1):
            merged[row, cells.min_col] = sheet.cell(cells.min_row, cells.min_col)
    keys = list(columns)
    for row in range(layout.FIRST_ROW, sheet.max_row + 1):
        yield {key: merged.get((row, number), sheet.cell(row, number))
               for number, key in enumerate(keys, start=1)}


def total_of(sheet, cell):
    """A total's range and the value Excel gives it: (range, sum of the range)."""
    found = re.fullmatch(r"=SUM\(([A-Z]+)(\d+):([A-Z]+)(\d+)\)", cell.value)
    assert found, cell.value
    column, first, _same, last = found.groups()
    values = [sheet[f"{column}{row}"].value for row in range(int(first), int(last) + 1)]
    total = sum(Decimal(str(value)) for value in values if isinstance(value, (int, float)))
    return f"{column}{first}:{column}{last}", total


def test_the_workbook_has_a_valid_sheet_per_table(xlsx_2024):
    workbook = load_workbook(BytesIO(xlsx_2024))
    assert workbook.sheetnames[:7] == ["총괄표", "일반현황", "사업별 3개년 계획", "전년도 실적",
                                       "전년도 단위사업 실적", "분기별 실적", "예산"]
    for name in workbook.sheetnames:
        assert len(name) <= 31 and not set(name) & set("[]:*?/\\")


def test_the_summary_sheet_shows_every_figure_of_the_main_table_as_numbers(xlsx_2024,
                                                                            institution):
    sheet = load_workbook(BytesIO(xlsx_2024))[layout.SUMMARY]
    expected = main_table(year_figures(institution, 2024))
    seen = {}
    for row in rows_of(sheet, layout.SUMMARY_COLUMNS):
        if row["program"].value == "합계":
            assert total_of(sheet, row["budget_eok"]) == ("C5:C25", Decimal("4.55"))
            assert row["budget_eok"].number_format == "0.00"
            break
        program = layout.program_name(row["program"].value)
        actual, target = shown(row["baseline_actual"]), shown(row["baseline_target"])
        baseline = f"{actual}({target})" if target else (actual or "-")
        seen[program, row["measurement"].value] = (
            shown(row["budget_eok"]) or "-", shown(row["target"]), baseline, shown(row["change"]))
        assert row["target"].data_type == "n"
    assert seen == expected
    assert seen["수탁기관 운영 활성화 지원", "지원사업횟수"] == ("0.29", "60회", "82회(56회)", "7.1%증")


def test_the_sheets_read_like_the_screen(xlsx_2024):
    workbook = load_workbook(BytesIO(xlsx_2024))
    last_year = [{key: shown(cell) for key, cell in row.items()}
                 for row in rows_of(workbook[layout.LAST_YEAR], layout.LAST_YEAR_COLUMNS)]
    assert {"target": "1건(2개소)", "result": "1건(2개소)", "achievement": "100%"}.items() <= \
        next(row for row in last_year if row["measurement"] == "협업사업 건수").items()
    assert next(row for row in last_year if row["measurement"] == "지원사업 횟수")[
        "achievement"] == "146%"
    assert next(row for row in last_year if row["measurement"] == "진척도")["result"] == "구축완료"
    budget = {row["program"].value: row for row in
              rows_of(workbook[layout.BUDGET], layout.BUDGET_COLUMNS)}
    assert shown(budget["수탁기관 운영 활성화 지원"]["budget_cheon"]) == "28,517"
    assert shown(budget["수탁기관 운영 활성화 지원"]["budget_eok"]) == "0.29"
    assert total_of(workbook[layout.BUDGET], budget["합계"]["budget_cheon"]) == (
        "C5:C18", Decimal(454577))
    assert total_of(workbook[layout.BUDGET], budget["합계"]["budget_eok"]) == (
        "D5:D18", Decimal("4.55"))
    # The 억원 the document printed, to its own precision.
    stated = budget["소규모 사회서비스기관·소속시설 인권보호체계 구축"]["stated_eok"]
    assert stated.value == 0.198 and shown(stated) == "0.198"
    plan = workbook[layout.PLAN]
    columns = layout.plan_columns([2024, 2025, 2026])
    care = [row for row in rows_of(plan, columns)
            if row["program"].value == "① 전북형 돌봄 체계화 및 고도화"]
    assert [shown(care[0][f"target_{n}"]) for n in range(3)] == [
        "135명/16회", "150명/18회", "165명/18회"]
    assert care[0]["name"].value == "계"
    # A 계 of one unit is a formula over the unit projects below it.
    outsourcing = [row for row in rows_of(plan, columns)
                   if row["program"].value == "① 수탁기관 운영 활성화 지원"]
    assert outsourcing[0]["name"].value == "계"
    first, last = outsourcing[1]["name"].row, outsourcing[-1]["name"].row
    for n, letter in enumerate("FGH"):
        assert total_of(plan, outsourcing[0][f"target_{n}"]) == (
            f"{letter}{first}:{letter}{last}", Decimal(60))
    assert workbook.calculation.fullCalcOnLoad
    assert [row["group"].value for row in care[1:]] == ["보편적 돌봄서비스 지원"] * 2 + [
        "민간협력체계 강화"] * 2


def test_headers_are_merged_frozen_printed_on_every_a4_page_and_wide_enough(xlsx_2024):
    workbook = load_workbook(BytesIO(xlsx_2024))
    sheet = workbook[layout.SUMMARY]
    merged = {str(cells) for cells in sheet.merged_cells.ranges}
    assert "H3:I3" in merged and sheet["H3"].value == "전년 실적(전년 목표)"
    assert "A3:A4" in merged
    for sheet in workbook:
        if sheet.title == layout.INSTITUTION:  # the import's own, hidden and protected
            assert sheet.sheet_state == "hidden" and sheet.protection.sheet
            continue
        assert sheet.freeze_panes == "A5"
        assert sheet.print_title_rows == "$3:$4"
        assert str(sheet.page_setup.paperSize) == sheet.PAPERSIZE_A4
        assert sheet.sheet_properties.pageSetUpPr.fitToPage
    summary = workbook[layout.SUMMARY]
    assert summary.print_area == "'총괄표'!$A$1:$J$26"  # the settings columns do not print
    assert summary.column_dimensions["U"].hidden  # the row ids
    program_width = summary.column_dimensions["B"].width
    longest = max(display_width(cell.value) for cell in summary["B"][4:] if cell.value)
    assert program_width >= min(longest, 60) > len("① 수탁기관 운영 활성화 지원")
    assert display_width("가나다") == 6 and display_width("abc") == 3


def test_text_that_looks_like_a_formula_stays_text(plan_2024):
    program = Program.objects.get(category__plan=plan_2024, name="수탁기관 운영 활성화 지원")
    program.purpose = '=HYPERLINK("http://example.invalid","열기")'
    program.save()
    Narrative.objects.filter(program=program, section="plans", order=1).update(text="+1")
    target = Target.objects.get(indicator__program=program, year=2024)
    target.note = "@SUM(A1)"
    target.save()
    Narrative.objects.filter(program=program, section="plans", order=2).update(text="-2+3")
    data = render_xlsx(gather(plan_2024.institution, 2024))
    workbook = load_workbook(BytesIO(data))
    # The totals are the report's own formulas (=SUM over the cells they total).
    cells = [cell for sheet in workbook for row in sheet.iter_rows() for cell in row
             if isinstance(cell.value, str) and cell.value[:1] in "=+-@"
             and not re.fullmatch(r"=SUM\([A-Z]+\d+:[A-Z]+\d+\)", cell.value)]
    assert {cell.value for cell in cells} >= {'=HYPERLINK("http://example.invalid","열기")',
                                              "+1", "@SUM(A1)", "-2+3"}
    assert all(cell.data_type == "s" for cell in cells)
    with ZipFile(BytesIO(data)) as archive:
        sheets = [name for name in archive.namelist() if name.startswith("xl/worksheets/")]
        formulas = [formula for name in sheets
                    for formula in re.findall(rb"<f>(.*?)</f>", archive.read(name))]
        assert formulas and all(re.fullmatch(rb"SUM\([A-Z]+\d+:[A-Z]+\d+\)", formula)
                                for formula in formulas)
        assert not any(b"<f " in archive.read(name) for name in sheets)


def test_the_report_costs_the_same_queries_at_500_indicators(institution):
    def make(owner):
        report = gather(owner, 2024, quarterly=True)
        return report_html(report), render_xlsx(report)

    with CaptureQueriesContext(connection) as document:
        make(institution)
    big = build_synthetic_plan(indicators=500)
    with CaptureQueriesContext(connection) as synthetic:
        html, _xlsx = make(big)
    assert html.count('class="num"') > 500 * 3
    assert len(synthetic.captured_queries) == len(document.captured_queries) <= 30


def test_the_renderer_reads_its_fonts_and_no_other_file_of_the_project(settings, tmp_path):
    """Issue 14: the fetcher took any file under the project: the database,
    other institutions' evidence."""
    settings.MEDIA_ROOT = tmp_path
    evidence = tmp_path / "evidence" / "1" / "q1" / "abc"
    evidence.parent.mkdir(parents=True)
    evidence.write_bytes(b"%PDF-1.7 another institution's evidence")
    fetcher = LocalFetcher()
    for path in [settings.BASE_DIR / "db.sqlite3", settings.BASE_DIR / "manage.py",
                 settings.BASE_DIR / "templates" / "reports" / "annual_report.css", evidence,
                 settings.REPORT_FONT_DIR / ".." / "nanum" / "NanumMyeongjo.ttf"]:
        with pytest.raises(ValueError):
            fetcher.fetch(path.as_uri() if path.is_absolute() else path.resolve().as_uri())
    for path in report_files():
        fetched = fetcher.fetch(path.as_uri())
        assert fetched.url == path.as_uri() and fetched.read(4) == path.read_bytes()[:4]
        fetched.close()


def test_the_workbook_has_the_general_status_and_last_years_unit_results(xlsx_2024):
    workbook = load_workbook(BytesIO(xlsx_2024))
    general = {row[0]: row[1] for row in workbook[layout.GENERAL].iter_rows(
        min_row=layout.FIRST_ROW, values_only=True)}
    assert general["소재지"] == "전북특별자치도 전주시 덕진구 백제대로 805, 6층"
    assert general["조직"] == "1본부 1실 3개팀" and general["정원/현원"] == "20명/20명"
    assert general["2024년 예산"] == "105.7억원(국비 31.9, 도·시군비 63.4, 기타 4.7)"
    assert general["기관장임기"] == "2021.10.28. ~ 2024.10.27.(3년) 서양열"
    assert general["설립"].startswith("2021년(")
    units = workbook[layout.LAST_YEAR_UNITS]
    rows = list(units.iter_rows(min_row=layout.FIRST_ROW))
    assert rows[0][1].value == "계" and rows[0][0].value == "① 수탁기관 운영 활성화 지원"
    assert total_of(units, rows[0][2]) == (f"C{layout.FIRST_ROW + 1}:C{layout.FIRST_ROW + 7}",
                                           Decimal(82))
    assert [(row[1].value, shown(row[2])) for row in rows[1:3]] == [
        ("소속시설 조직진단 및 모니터링", "30회"), ("소속시설 협력체계 강화", "28회")]


def test_the_import_columns_are_hidden_and_take_only_valid_values(xlsx_2024):
    sheet = load_workbook(BytesIO(xlsx_2024))[layout.SUMMARY]
    keys = list(layout.SUMMARY_COLUMNS)
    for key in ("kind", "direction", "rollup", "is_new", "previous", "id"):
        letter = chr(ord("A") + keys.index(key))
        assert sheet.column_dimensions[letter].hidden, key
    lists = {str(validation.sqref).split(":")[0][:1]: validation.formula1
             for validation in sheet.data_validations.dataValidation}
    assert lists[chr(ord("A") + keys.index("kind"))].startswith('"건수')
    assert all(validation.showErrorMessage for validation in sheet.data_validations.dataValidation)
