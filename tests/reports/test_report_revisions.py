"""당초/변경 in the reports: a target revised during the year is printed with
its original, the reason and the approver, in the PDF and the XLSX; a year
without a revision gets neither."""

from datetime import date
from io import BytesIO

import pytest
from openpyxl import load_workbook

from goals.models import Indicator, Target, TargetRevision
from reports.document import gather
from reports.pdf import report_html
from reports.revisions import SHEET
from reports.xlsx import render_xlsx
from tests.support.entry_fixtures import approver  # noqa: F401

pytestmark = pytest.mark.django_db


def revise(approver):
    indicator = Indicator.objects.get(program__category__plan__year=2024,
                                      measurement="지원사업횟수")
    TargetRevision.objects.create(target=Target.objects.get(indicator=indicator, year=2024),
                                  value=70, reason="도 예산 증액으로 사업 확대",
                                  approved_by=approver, approved_on=date(2024, 6, 30))
    return indicator


def test_a_revised_target_is_printed_with_its_original(institution, approver):
    revise(approver)
    report = gather(institution, 2024)
    html = report_html(report)
    assert "성과목표 변경(당초/변경)" in html
    chapter = html[html.index("target-revisions"):].replace("\u2060", "")  # keep_words' joiners
    assert "60회" in chapter and "70회" in chapter and "도 예산 증액으로 사업 확대" in chapter
    sheet = load_workbook(BytesIO(render_xlsx(report)))[SHEET]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=5)]
    assert rows == [["수탁기관 운영 활성화 지원", "지원사업횟수", 60, 70,
                     "도 예산 증액으로 사업 확대", "박팀장", rows[0][6]]]
    assert rows[0][6].date() == date(2024, 6, 30)


def test_a_year_without_revisions_prints_none(institution):
    report = gather(institution, 2024)
    assert "성과목표 변경(당초/변경)" not in report_html(report)
    assert SHEET not in load_workbook(BytesIO(render_xlsx(report))).sheetnames
