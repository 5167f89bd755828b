"""The report as HWPX, read back: python-hwpx's own checks pass, and its XML
holds the PDF's tables: every figure of the main table in its row, merged
header cells, figures right-aligned, the PDF's font named with a fallback."""

import re
from datetime import date
from io import BytesIO
from zipfile import ZipFile

import pytest
from hwpx import HwpxDocument
from hwpx.tools.package_validator import validate_editor_open_safety, validate_package
from lxml import etree

from goals.selectors import year_figures
from reports.document import gather
from reports.hwpx import render_hwpx
from tests.conftest import loaded_institution
from tests.reports.test_report_exports import main_table

HP = "{http://www.hancom.co.kr/hwpml/2011/paragraph}"
HH = "{http://www.hancom.co.kr/hwpml/2011/head}"
MADE_ON = date(2024, 3, 4)


@pytest.fixture(scope="module")
def hwpx_2024(django_db_setup, django_db_blocker, document_data):
    with django_db_blocker.unblock():
        institution = loaded_institution(document_data)
        return render_hwpx(gather(institution, 2024, quarterly=True, made_on=MADE_ON))


def parts(data):
    with ZipFile(BytesIO(data)) as archive:
        return (etree.fromstring(archive.read("Contents/header.xml")),
                etree.fromstring(archive.read("Contents/section0.xml")))


def text_of(element):
    """A paragraph's or cell's text; a cell's paragraphs one to a line."""
    paragraphs = element.iter(f"{HP}p")
    return "\n".join("".join(t.text or "" for t in paragraph.iter(f"{HP}t"))
                     for paragraph in paragraphs)


def tables(section):
    """Each table as {(row, column): (text, row span, column span, cell)}."""
    found = []
    for table in section.iter(f"{HP}tbl"):
        cells = {}
        for cell in table.iter(f"{HP}tc"):
            if cell.getparent().getparent() is not table:
                continue  # a table inside a cell
            address, span = cell.find(f"{HP}cellAddr"), cell.find(f"{HP}cellSpan")
            cells[int(address.get("rowAddr")), int(address.get("colAddr"))] = (
                text_of(cell.find(f"{HP}subList")), int(span.get("rowSpan")),
                int(span.get("colSpan")), cell)
        found.append((table, cells))
    return found


def table_starting(section, text):
    return next((table, cells) for table, cells in tables(section)
                if cells[0, 0][0] == text)


pytestmark = pytest.mark.django_db


def test_python_hwpx_finds_nothing_wrong(hwpx_2024):
    package = validate_package(hwpx_2024)
    assert package.ok and not package.errors
    assert validate_editor_open_safety(hwpx_2024).ok
    document = HwpxDocument.open(hwpx_2024)
    report = document.validate()
    assert report.ok, report.issues
    assert set(report.validated_parts) == {"Contents/header.xml", "Contents/section0.xml"}


def test_every_figure_of_the_main_table_is_in_its_row(hwpx_2024, institution):
    _header, section = parts(hwpx_2024)
    _table, cells = table_starting(section, "2024 주요경영목표")
    rows = {}
    for (row, column), (text, *_rest) in cells.items():
        rows.setdefault(row, {})[column] = text
    program = None
    seen = {}
    for row in sorted(rows):
        values = rows[row]
        if 0 in values and len(values) == 7:  # a program's first indicator: its name and budget
            program, budget = re.sub(r"^\S+ ", "", values[0]), values[1]
            values = {column - 2: text for column, text in values.items() if column >= 2}
        elif len(values) == 5:
            values = {column - 2: text for column, text in values.items()}
        else:
            continue  # headers, category bands, the total
        seen[program, values[0]] = (budget, values[1], values[2], values[3])
    expected = main_table(year_figures(institution, 2024))
    assert len(expected) == 21 and seen == expected
    assert seen["수탁기관 운영 활성화 지원", "지원사업횟수"] == ("0.29", "60회", "82회(56회)", "7.1%증")
    total = next(row for row in rows.values() if row.get(0) == "합계")
    assert total[1] == "4.55" and total[2] == "사업비 합계 454,577천원"


def test_headers_are_merged_and_repeat_on_every_page(hwpx_2024, institution):
    _header, section = parts(hwpx_2024)
    table, cells = table_starting(section, "2024 주요경영목표")
    assert cells[0, 0][1:3] == (2, 1)  # 2024 주요경영목표 over two header rows
    assert cells[0, 6][:3] == ("비고", 2, 1)
    assert cells[0, 2][:3] == ("성과지표", 1, 2)  # over 측정방법 and 성과목표
    assert (cells[1, 2][0], cells[1, 3][0]) == ("측정방법", "성과목표")
    assert cells[2, 0][:3] == ("【공통지표】", 1, 7)
    assert table.get("repeatHeader") == "1"
    assert {cells[place][3].get("header") for place in [(0, 0), (0, 2), (1, 2)]} == {"1"}
    # A program of several indicators names itself once, over their rows.
    widest = max(year_figures(institution, 2024).programs, key=lambda p: len(p.indicators))
    assert len(widest.indicators) > 1
    spans = [span for (row, column), (text, span, *_rest) in cells.items()
             if column == 0 and text == widest.program.numbered_name]
    assert spans == [len(widest.indicators)]


def test_figures_and_amounts_are_right_aligned(hwpx_2024):
    header, section = parts(hwpx_2024)
    alignment = {shape.get("id"): shape.find(f"{HH}align").get("horizontal")
                 for shape in header.iter(f"{HH}paraPr")}

    def aligned(cell):
        return {alignment[paragraph.get("paraPrIDRef")] for paragraph in cell.iter(f"{HP}p")}

    _table, cells = table_starting(section, "2024 주요경영목표")
    by_text = {text: cell for text, _rows, _cols, cell in cells.values()}
    for figure in ["0.29", "60회", "82회(56회)", "7.1%증", "4.55"]:
        assert aligned(by_text[figure]) == {"RIGHT"}, figure
    assert aligned(by_text["지원사업횟수"]) != {"RIGHT"}
    assert aligned(by_text["2024 주요경영목표"]) == {"CENTER"}
    program = next(text for text in section.itertext() if "규모 : 28,517천원" in text)
    assert program == "○ 규모 : 28,517천원 (도비 28,517천원)"
    _table, care = next((table, cells) for table, cells in tables(section)
                        if any(text == "135명/16회" for text, *_rest in cells.values()))
    figures = [cell for text, _rows, _cols, cell in care.values()
               if re.match(r"^\d", text) and cell.get("header") != "1"]
    assert len(figures) > 10 and all(aligned(cell) == {"RIGHT"} for cell in figures)


def test_the_pdfs_font_is_named_with_a_fallback(hwpx_2024):
    header, section = parts(hwpx_2024)
    fonts = {font.get("id"): font for font in header.iter(f"{HH}font")
             if font.getparent().get("lang") == "HANGUL"}
    nanum = next(font for font in fonts.values() if font.get("face") == "나눔고딕")
    assert nanum.find(f"{HH}substFont").get("face") == "함초롬돋움"
    body_shapes = {shape.get("id") for shape in header.iter(f"{HH}charPr")
                   if shape.find(f"{HH}fontRef").get("hangul") == nanum.get("id")}
    runs = [run.get("charPrIDRef") for run in section.iter(f"{HP}run")
            if "".join(t.text or "" for t in run.iter(f"{HP}t"))]
    assert runs and set(runs) <= body_shapes


def test_it_has_the_pdfs_chapters_and_tables(hwpx_2024):
    _header, section = parts(hwpx_2024)
    text = "\n".join(section.itertext())
    for words in ["2024년 경영성과 목표 현황", "(재)전북특별자치도사회서비스원", "2024.", "일반현황",
                  "105.7억원(국비 31.9, 도·시군비 63.4, 기타 4.7)", "2021.10.28. ~ 2024.10.27.",
                  "60회(모니터링, 협력체계강화, ESG경영실천지원 등)", "□ 사업개요", "□ 추진실적",
                  "□ 향후 추진계획", "□ 2024년 중점 추진계획",
                  "참고: 2023년 경영성과 목표 이행 실적", "2024년 분기별 실적", "135명/16회", "6회, 상시",
                  "146%", "구축완료"]:
        assert words in text, words
    headings = [text_of(paragraph) for paragraph in section.iter(f"{HP}p")
                if re.match(r"^[①-⑳] ", text_of(paragraph))
                and paragraph.getparent().tag != f"{HP}subList"]
    assert len(headings) == 14
    _table, care = next((table, cells) for table, cells in tables(section)
                        if any(text == "135명/16회" for text, *_rest in cells.values()))
    assert care[1, 0][:3] == ("계", 1, 2)
