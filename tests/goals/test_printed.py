"""The program as printed (goals.printed): the program page and the PDF
render the same model, program by program, and a plan table carries a 계
exactly where the document prints one."""

import re
import subprocess
from datetime import date

import pytest

from goals.models import Institution, Program
from goals.printed import printed
from goals.selectors import year_figures
from reports.document import gather
from reports.pdf import render_pdf
from tests.conftest import CODE
from tests.goals.test_dashboard import Tables, page
from tests.support.entry_fixtures import director, program_named  # noqa: F401

pytestmark = pytest.mark.django_db

# The programs of 2024 in the document's order, and the 계 each plan table prints.
PROGRAMS_2024 = {
    "도·공기업 출연기관 간 협력 네트워크 구축": None,
    "국가 소속 출연기관·국가 연구기관과의 협업": None,
    "수탁기관 운영 활성화 지원": ["60회", "60회", "60회"],
    "소속시설 서비스 품질 제고 지원": ["7회", "10회", "10회"],
    "종사자 근로조건 향상": None,
    "소규모 사회서비스기관·소속시설 인권보호체계 구축": None,
    "종사자 전문성 향상 교육": None,
    "사회서비스기관 컨설팅 지원": None,
    "사회서비스기관 종사자 및 이용자 안전확보": None,
    "민간제공기관 소통강화": None,
    "전북형 돌봄 체계화 및 고도화": ["135명/16회", "150명/18회", "165명/18회"],
    "전북 복지자원 플랫폼 추진": None,
    "사회서비스 고도화 사업": ["5회", "8회", "6회, 상시"],
    "사회서비스 산업박람회 개최": ["2회", "2회", "2회"],
}


@pytest.fixture(scope="module")
def pdf_sections(django_db_setup, django_db_blocker):
    """The 2024 PDF's text, one piece per program (from its 사업개요 to the next)."""
    with django_db_blocker.unblock():
        institution = Institution.objects.get(code=CODE)
        data = render_pdf(gather(institution, 2024, made_on=date(2024, 3, 4)))
    text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=data, capture_output=True,
                          check=True).stdout.decode()
    text = text[:text.index("2023년 경영성과 목표 이행 실적", text.index("□ 사업개요"))]
    return text.split("□ 사업개요")[1:]


def squeezed(text):
    return re.sub(r"\s+", "", text)


def model_rows(table):
    """A printed table as the page's rows: header, 계, then each line."""
    groups = table.has_groups
    rows = [(["구분"] if groups else []) + ["단위사업명", *[f"{year}년" for year in table.years],
                                            "비고"]]
    if table.total_cells:
        rows.append(["계", *table.total_cells, ""])
    for row in table.rows:
        rows.append(([row.group or "-"] if groups and row.group_span else [])
                    + [row.name, *row.cells, row.note])
    return rows


def test_the_document_has_fourteen_programs_in_this_order(plan_2024):
    names = list(Program.objects.filter(category__plan=plan_2024)
                 .order_by("category__order", "number").values_list("name", flat=True))
    assert names == list(PROGRAMS_2024)


@pytest.mark.parametrize("index, name", list(enumerate(PROGRAMS_2024)))
def test_the_page_and_the_pdf_print_the_same_program(client, director, institution,
                                                    pdf_sections, index, name):
    program = program_named(institution.plans.get(year=2024), name)
    book = year_figures(institution, 2024, with_text=True, programs=[program.pk])
    model = printed(book.programs[0], 2024)

    # The 계 is the document's: where it prints one, and what it says.
    assert model.plan.total_cells == PROGRAMS_2024[name]

    html = page(client, f"/jbsss/2024/programs/{program.pk}/")
    assert Tables(html).starting("2024~2026년 추진계획") == model_rows(model.plan)
    if model.results:
        assert Tables(html).starting("2023년 단위사업 실적") == model_rows(model.results)

    section = pdf_sections[index]
    lines = [squeezed(line) for line in section.splitlines()]
    totals = [line for line in lines if re.match(r"계\d", line)]
    expected = [squeezed("계" + "".join(model.results.total_cells))] if (
        model.results and model.results.total_cells) else []
    if model.plan.total_cells:
        expected.append(squeezed("계" + "".join(model.plan.total_cells)))
    assert totals == expected
    for row in model.plan.rows:
        assert squeezed("".join(row.cells)) in squeezed(section), row.name
    if model.contents_labelled:
        assert squeezed(f"{model.contents_label}내용비고") in squeezed(section)
    assert f"○ {model.target_label} :" in section
