"""The year-end results report (경영성과 실적 보고서): approved values only,
2023 as the document's results table, no 신규 for a year without a plan
before it, as PDF and XLSX through the background exports."""

import re
import subprocess
from io import BytesIO, StringIO

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from goals import roles
from goals.models import UnitProject
from reports import exports, layout
from reports.pdf import render_results_pdf
from reports.results import gather_results
from reports.xlsx import render_results_xlsx
from tests.goals.test_dashboard import enter
from tests.reports.test_report_views import START
from tests.support.entry_fixtures import make_user

pytestmark = pytest.mark.django_db


def text_of(pdf):
    return subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True,
                          check=True).stdout.decode()


def row_of(text, words):
    return next(line for line in text.splitlines() if words in line)


# The document's 2023 results table: indicator → (target, result, achievement).
RESULTS_2023 = {
    "협력사업 건수": ("2건", "2건", "100%"),
    "협업사업 건수": ("1건(2개소)", "1건(2개소)", "100%"),
    "지원사업 횟수": ("56회", "82회", "146%"),
    "수탁건 수": ("3개소", "3개소", "100%"),
    "직접고용 비율": ("100%", "100%", "100%"),
    "처우개선추진횟수": ("2건", "6건", "300%"),
    "계획대비 달성률": ("100%", "100%", "100%"),
    "교육실시 횟수": ("50회", "53회", "106%"),
    "공시율": ("80%", "88.3%", "110%"),
    "진척도": ("구축완료", "구축완료", "100%"),
    "운영 건수": ("70건", "71건", "101%"),
    "만족도 점수": ("82점", "94.4점", "115%"),
    "건의사항 개선노력": ("1건", "1건", "100%"),
    "제공인원 수": ("25명", "25명", "100%"),
    "운영사업": ("2건", "2건", "100%"),
    "사업건수": ("1건", "1건", "100%"),
}


def test_2023_reproduces_the_documents_results_table(institution):
    text = text_of(render_results_pdf(gather_results(institution, 2023)))
    assert "2023년 경영성과 실적 보고서" in text
    summary = text[:text.index("사업별 분기 실적")]
    for measurement, cells in RESULTS_2023.items():
        if measurement == "건의사항 개선노력":  # wraps in its cell: read in the workbook
            continue
        row = row_of(summary, measurement).split()
        position = row.index(measurement.split()[-1])
        assert row[position + 1:position + 4] == list(cells), measurement
    # The year is over: each target met or not (all were), not the pace (앞섬, 정상).
    assert "달성 16" in summary and "상태는 목표를 채웠는지" in summary
    for measurement in RESULTS_2023:
        if measurement != "건의사항 개선노력":
            assert "달성" in row_of(summary, measurement).split(), measurement
    assert "앞섬" not in summary and "정상" not in summary
    # 2023 is closed and its results were confirmed for the year: no quarter is
    # "being written" (작성중), in the PDF or the workbook.
    assert "작성중" not in text
    workbook = load_workbook(BytesIO(render_results_xlsx(gather_results(institution, 2023))))
    assert "작성중" not in {cell.value for sheet in workbook for row in sheet.iter_rows()
                         for cell in row}
    # 2022 has no plan: no comparison, and never 신규.
    assert "신규" not in text
    # Once a row, across both of last year's columns (and once in the note above).
    assert summary.count("전년 자료 없음") == len(RESULTS_2023) + 1


def test_only_approved_values_count(institution):
    units = {unit.name: unit for unit in UnitProject.objects.filter(
        program__category__plan__year=2024)}
    enter(units["돌봄지원단"], 1, 10)  # approved
    enter(units["인권교육"], 1, 7, approved=False)  # submitted, not approved
    text = text_of(render_results_pdf(gather_results(institution, 2024, quarter=1)))
    care = text[text.index("① 전북형 돌봄 체계화 및 고도화", text.index("사업별 분기 실적")):]
    assert re.search(r"제공인원수\s+25명\s+10명", care)
    rights = text[text.index("② 소규모", text.index("사업별 분기 실적")):]
    assert not re.search(r"교육실시 건수\s+20회\s+7회", rights)
    assert "7회" not in row_of(rights, "인권교육")
    # The 2024 report compares with 2023: the document's changes.
    summary = text[:text.index("사업별 분기 실적")]
    assert "82회(56회)" in row_of(summary, "지원사업횟수")
    assert "7.1%증" in row_of(summary, "지원사업횟수")


def test_the_workbook_holds_the_same_figures_as_numbers(institution):
    workbook = load_workbook(BytesIO(render_results_xlsx(gather_results(institution, 2023))))
    assert workbook.sheetnames == [layout.RESULTS, layout.RESULT_QUARTERS, layout.RESULT_UNITS]
    sheet = workbook[layout.RESULTS]
    rows = {row[2]: row for row in sheet.iter_rows(min_row=layout.FIRST_ROW, values_only=True)}
    assert rows["지원사업 횟수"][3:9] == (56, 82, pytest.approx(146.43, abs=0.01), "달성",
                                       "전년 자료 없음", "전년 자료 없음")
    assert rows["처우개선추진횟수"][5] == 300
    assert set(rows) == set(RESULTS_2023)
    for measurement, (_target, _result, rate) in RESULTS_2023.items():
        assert f"{round(rows[measurement][5])}%" == rate, measurement


def test_it_comes_from_the_export_buttons_as_pdf_xlsx_and_hwpx(client, institution):
    client.force_login(make_user(institution, roles.REVIEWER, "province"))
    overview = client.get("/jbsss/2024/").content.decode()
    assert 'name="report" value="results"' in overview
    for format, magic in (("pdf", b"%PDF"), ("xlsx", b"PK"), ("hwpx", b"PK")):
        state = client.post(START, {"report": "results", "format": format},
                            HTTP_ACCEPT="application/json")
        assert state.status_code == 202
        data = b"".join(client.get(state.json()["file_url"]).streaming_content)
        assert data.startswith(magic)
    refused = client.post(START, {"report": "results", "format": "docx"},
                          HTTP_ACCEPT="application/json")
    assert refused.status_code == 400
    export = exports.Export.objects.filter(report="results").first()
    assert exports.filename(export).startswith("jbsss_2024_경영성과실적")


def test_the_command_writes_it(institution, tmp_path):
    path = tmp_path / "results.pdf"
    call_command("export_report", "--report", "results", "--year", "2023", "--format", "pdf",
                 "--output", str(path), stdout=StringIO())
    assert "146%" in text_of(path.read_bytes())


def test_the_2023_plan_report_says_there_is_no_previous_year_not_new(institution):
    from reports.document import gather
    from reports.pdf import render_pdf
    text = text_of(render_pdf(gather(institution, 2023)))
    main = next(page for page in text.split("\f") if "사업비 합계" in page)
    assert "신규" not in main and main.count("전년 자료 없음") == 16


def test_the_hwpx_holds_the_pdfs_results_table(institution):
    from hwpx.tools.package_validator import validate_package

    from reports.hwpx import render_results_hwpx
    from tests.reports.test_report_hwpx import parts, table_starting

    data = render_results_hwpx(gather_results(institution, 2023))
    assert validate_package(data).ok
    _header, section = parts(data)
    _table, cells = table_starting(section, "성과지표")
    rows = {}
    for (row, column), (text, *_spans) in cells.items():
        rows.setdefault(row, {})[column] = text
    found = {}
    for row in rows.values():
        # A program's first row starts with its name (spanning the rows below).
        values = [row[column] for column in sorted(row)]
        values = values[1:] if len(values) == 8 else values
        if values and values[0] in RESULTS_2023:
            found[values[0]] = tuple(values[1:4])
    assert found == RESULTS_2023
    text = "\n".join(section.itertext())
    assert "사업별 분기 실적" in text and "신규" not in text
    assert text.count("전년 자료 없음") >= 2 * len(RESULTS_2023)


def test_the_pdf_is_tagged_pdf_a_2u_in_korean_like_the_plans(institution):
    """Read by pikepdf (qpdf), as the plan report's is."""
    import pikepdf

    from tests.reports.test_report_exports import structure

    data = render_results_pdf(gather_results(institution, 2023))
    with pikepdf.open(BytesIO(data)) as pdf:
        assert pdf.Root.Lang == "ko" and pdf.Root.MarkInfo.Marked
        with pdf.open_metadata() as xmp:
            assert (xmp["pdfaid:part"], xmp["pdfaid:conformance"]) == ("2", "U")
            assert xmp["dc:title"] == "2023년 경영성과 실적 보고서 · (재)전북특별자치도사회서비스원"
        names = [tag for tag, _element in structure(pdf)]
        assert names.count("/H1") == 1 and names.count("/H2") == 2
        # The results table, then one table of quarters per program (12 in 2023).
        assert names.count("/Table") == 1 + 12 and names.count("/TH") > 100
        fonts = [font for page in pdf.pages for font in page.Resources.Font.values()]
        assert all("/FontFile2" in font.DescendantFonts[0].FontDescriptor for font in fonts)
