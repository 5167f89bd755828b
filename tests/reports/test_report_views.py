"""Getting the report: who may export and upload, and what the screen and
the files show (the exports' life: tests/reports/test_exports.py)."""

import re
from io import BytesIO

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from goals import roles
from goals.models import Institution, Target
from reports import layout
from reports.document import gather
from reports.pdf import report_html
from tests.reports.test_report_exports import shown
from tests.support.entry_fixtures import make_user
from tests.support.workbooks import typed_on_summary

pytestmark = pytest.mark.django_db
START = "/reports/jbsss/2024/exports/"
UPLOAD = "/reports/jbsss/upload/"


def export_file(client, format, **options):
    """The file of an export asked for as the download button asks."""
    state = client.post(START, {"format": format, **options}, HTTP_ACCEPT="application/json")
    assert state.status_code == 202, state.content
    response = client.get(state.json()["file_url"])
    return b"".join(response.streaming_content)


def test_a_reviewer_gets_the_years_pdf_xlsx_and_hwpx(client, institution):
    client.force_login(make_user(institution, roles.REVIEWER, "province"))
    assert export_file(client, "pdf").startswith(b"%PDF")
    workbook = load_workbook(BytesIO(export_file(client, "xlsx")))
    assert workbook.sheetnames[0] == "총괄표"
    assert export_file(client, "hwpx")[:2] == b"PK"


def test_exports_need_the_right_to_read_the_institution(client, institution):
    assert client.post(START, {"format": "pdf"}).status_code == 302  # to the login page
    other = Institution.objects.create(code="other", name="다른 기관")
    client.force_login(make_user(other, roles.DIRECTOR, "outsider"))
    assert client.post(START, {"format": "pdf"}).status_code == 404
    nobody = get_user_model().objects.create_user("norole", password="pw")
    institution.members.add(nobody)
    client.force_login(nobody)
    assert client.post(START, {"format": "xlsx"}).status_code == 404


def test_the_overview_offers_the_exports_and_the_upload_to_planning_staff(client, institution):
    client.force_login(make_user(institution, roles.REVIEWER, "province"))
    page = client.get("/jbsss/2024/").content.decode()
    forms = re.findall(rf'<form method="post" action="{START}".*?</form>', page, re.S)
    assert [re.findall(r'name="(report|format|quarterly)" value="([^"]+)"', form)
            for form in forms] == [
        [("report", "plan"), ("format", "pdf")],
        [("report", "plan"), ("format", "pdf"), ("quarterly", "1")],
        [("report", "plan"), ("format", "xlsx")], [("report", "plan"), ("format", "hwpx")],
        [("report", "results"), ("format", "pdf")], [("report", "results"), ("format", "xlsx")],
            [("report", "results"), ("format", "hwpx")]]
    for label in ("PDF 내려받기", "PDF(분기별 실적 포함)", "XLSX 내려받기", "HWPX 내려받기"):
        assert f">{label}</button>" in page
    assert "reports/download.js" in page and "data-report-status" in page
    assert UPLOAD not in page
    client.force_login(make_user(institution, roles.APPROVER, "planner"))
    assert UPLOAD in client.get("/jbsss/2024/").content.decode()


def overview_figures(screen):
    """The figures of the overview's table of indicators (its right-aligned
    cells); the totals per category are the dashboard's own."""
    table = re.search(r"<caption>성과지표별 현황.*?</table>", screen, re.S).group()
    return set(re.findall(r'<td class="num">([^<]+)</td>', table)) - {"-"}


def test_the_pdf_shows_the_numbers_the_screen_shows(client, institution):
    """The 2024 report carries 2024's targets and changes, and 2023's results
    in its last-year table: each as the year's overview shows it."""
    client.force_login(make_user(institution, roles.DIRECTOR, "director"))
    html = report_html(gather(institution, 2024))
    for year, expected in ((2024, {"60회", "7.1%증", "100%증", "85점", "신규"}),
                           (2023, {"82회", "146%", "94.4점", "300%", "구축완료", "101%"})):
        screen = client.get(f"/jbsss/{year}/").content.decode()
        numbers = overview_figures(screen)
        assert expected <= numbers
        for number in numbers:
            assert f">{number}<" in html, (year, number)


def upload(client, workbook_bytes, name="plan.xlsx"):
    return client.post(UPLOAD, {"workbook": SimpleUploadedFile(name, workbook_bytes)})


def test_planning_staff_upload_a_workbook_and_see_what_changed(client, institution):
    planner = make_user(institution, roles.APPROVER, "planner")
    client.force_login(planner)
    assert "워크북으로 계획 올리기" in client.get(UPLOAD).content.decode()
    workbook, _row = typed_on_summary(institution, "지원사업횟수", {"target": 70})
    response = upload(client, workbook)
    assert response.status_code == 302 and response["Location"] == "/jbsss/2024/"
    page = client.get(response["Location"]).content.decode()
    assert "2024년 계획을 바꿨습니다(추가 0, 수정 1, 삭제 0)." in page
    target = Target.objects.get(indicator__program__category__plan__year=2024,
                                indicator__measurement="지원사업횟수")
    assert target.value == 70 and target.history.first().history_user == planner


def test_an_upload_with_problems_lists_them_and_changes_nothing(client, institution):
    client.force_login(make_user(institution, roles.ADMINISTRATOR, "admin"))
    workbook, row = typed_on_summary(institution, "지원사업횟수", {"target": "많이", "unit": "개"})
    response = upload(client, workbook)
    assert response.status_code == 400
    page = response.content.decode()
    assert "문제 2건이 있어 아무것도 바꾸지 않았습니다." in page
    for column in "EF":
        assert f"<td>총괄표</td><td class=\"num\">{row}</td><td class=\"center\">{column}</td>" in page
    response = upload(client, b"%PDF-1.7", name="report.pdf")
    assert "XLSX 파일만 올릴 수 있습니다." in response.content.decode()


def test_only_planning_staff_of_the_institution_may_upload(client, institution):
    for role in (roles.STAFF, roles.REVIEWER, roles.DIRECTOR):
        client.force_login(make_user(institution, role, f"user-{role}"))
        assert client.get(UPLOAD).status_code == 403
        assert upload(client, b"").status_code == 403
    other = Institution.objects.create(code="other", name="다른 기관")
    client.force_login(make_user(other, roles.APPROVER, "outsider"))
    assert client.get(UPLOAD).status_code == 404


def test_the_commands_export_and_import_a_year(institution, tmp_path):
    pdf, xlsx = tmp_path / "2024.pdf", tmp_path / "2024.xlsx"
    call_command("export_report", "--year", "2024", "--format", "pdf", "--output", str(pdf))
    call_command("export_report", "--year", "2024", "--format", "xlsx", "--output", str(xlsx),
                 "--institution", "jbsss")
    assert pdf.read_bytes().startswith(b"%PDF")
    workbook = load_workbook(xlsx)
    workbook[layout.SUMMARY]["D2"] = "2024년 경영성과 목표(수정)"
    workbook.save(xlsx)
    call_command("import_plan", str(xlsx))
    assert institution.plans.get(year=2024).title == "2024년 경영성과 목표(수정)"
    with pytest.raises(CommandError, match="계획이 없습니다"):
        call_command("export_report", "--year", "2030", "--format", "pdf", "--output", str(pdf))
    workbook[layout.SUMMARY]["B2"] = 2023
    workbook.save(xlsx)
    with pytest.raises(CommandError, match="마감되어"):
        call_command("import_plan", str(xlsx))


def in_workbook(figure, cells):
    """Whether the workbook shows a figure of the screen; last year's result
    and target, 82회(56회) on the screen, stand in two cells there."""
    if figure in cells:
        return True
    both = re.fullmatch(r"(.+?)\((.+)\)", figure)
    return bool(both) and all(("" if part == "-" else part) in cells for part in both.groups())


def test_the_workbook_shows_the_numbers_the_screen_shows(client, institution):
    client.force_login(make_user(institution, roles.DIRECTOR, "director"))
    workbook = load_workbook(BytesIO(export_file(client, "xlsx")))
    for year, sheet in ((2024, layout.SUMMARY), (2023, layout.LAST_YEAR)):
        cells = {shown(cell) for row in workbook[sheet].iter_rows(min_row=layout.FIRST_ROW)
                 for cell in row}
        screen = client.get(f"/jbsss/{year}/").content.decode()
        numbers = overview_figures(screen)
        if year == 2023:
            numbers.discard("신규")  # 2023 against 2022: not part of last year's results
        missing = {number for number in numbers if not in_workbook(number, cells)}
        assert numbers and not missing, (year, missing)
