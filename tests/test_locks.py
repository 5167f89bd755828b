"""An approved quarter does not change, whatever the path: the entry form,
the Excel upload, evidence, the service itself, and every door of the admin."""

from decimal import Decimal as D
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from goals import entry, entry_sheet, roles
from goals.models import Evidence, Result, Submission
from tests.entry_fixtures import (approver, entry_url, fill, make_user, outsourcing,  # noqa: F401
                                  staff)

pytestmark = pytest.mark.django_db


@pytest.fixture
def locked(staff, approver, outsourcing):
    """Q1 of 수탁기관 운영 활성화 지원 entered, submitted and approved."""
    entry.save_quarter(staff, outsourcing, 1, [
        entry.Entry(entry.key_of(unit), "2") for unit in outsourcing.unit_projects.all()])
    entry.submit(staff, outsourcing, 1)
    entry.approve(approver, outsourcing, 1)
    return Result.objects.filter(unit_project__program=outsourcing, period=1).order_by(
        "unit_project__order")


def unchanged(locked):
    return [result.value for result in locked.all()] == [D(2)] * 8 and all(
        result.version == 1 for result in locked.all())


def test_not_through_the_entry_form(client, staff, outsourcing, locked):
    client.force_login(staff)
    page = client.get(entry_url()).content.decode()
    assert "승인 · 잠김" in page and f'name="p{outsourcing.pk}-value_' not in page
    first = locked.first().unit_project
    response = client.post(f"/jbsss/2024/entry/1/{outsourcing.pk}/", {
        f"p{outsourcing.pk}-value_u{first.pk}": "9",
        f"p{outsourcing.pk}-version_u{first.pk}": "1"})
    assert response.status_code == 400
    assert "승인된 분기입니다" in response.content.decode()
    assert unchanged(locked)


def test_not_through_the_excel_upload(client, staff, outsourcing, locked):
    client.force_login(staff)
    workbook = load_workbook(BytesIO(client.get("/jbsss/2024/entry/1/sheet.xlsx").content))
    sheet = workbook[entry_sheet.SHEET_TITLE]
    assert sheet.cell(entry_sheet.FIRST_ROW, entry_sheet.VALUE).protection.locked
    sheet.cell(entry_sheet.FIRST_ROW, entry_sheet.VALUE, 9)
    output = BytesIO()
    workbook.save(output)
    response = client.post("/jbsss/2024/entry/1/sheet/", {
        "file": SimpleUploadedFile("q1.xlsx", output.getvalue())})
    assert response.status_code == 400
    [problem] = response.context["sheet_problems"]
    assert (problem.row, problem.column_label) == (entry_sheet.FIRST_ROW, "H열")
    assert unchanged(locked)


def test_not_through_the_service_or_the_model(staff, outsourcing, locked):
    first = locked.first()
    outcome = entry.save_quarter(staff, outsourcing, 1, [
        entry.Entry(entry.key_of(first.unit_project), "", version=1)])
    assert not outcome.ok and isinstance(outcome.problems[0], entry.ProgramProblem)
    with pytest.raises(entry.Refused):
        entry.add_evidence(staff, outsourcing, 1, SimpleUploadedFile("a.pdf", b"%PDF-1.7"))
    assert not Evidence.objects.exists()
    assert unchanged(locked)


@pytest.fixture
def admin_client(client, institution):
    keeper = make_user(institution, roles.ADMINISTRATOR, "keeper")
    keeper.is_staff = True
    keeper.save()
    client.force_login(keeper)
    return client


def test_not_through_the_admin(admin_client, outsourcing, locked):
    first = locked.first()
    url = f"/admin/goals/result/{first.pk}/"
    response = admin_client.post(f"{url}change/", {
        "unit_project": first.unit_project_id, "period": 1, "value": "9", "state": "",
        "note": ""})
    assert response.status_code == 403
    assert admin_client.post(f"{url}delete/", {"post": "yes"}).status_code == 403
    response = admin_client.post("/admin/goals/result/", {
        "action": "delete_selected", "_selected_action": [first.pk], "post": "yes"})
    assert response.status_code == 403
    # An earlier version on the history page is read, never restored.
    version = first.history.earliest("history_date").history_id
    response = admin_client.post(f"{url}history/{version}/", {
        "unit_project": first.unit_project_id, "period": 1, "value": "9", "state": "",
        "note": ""})
    assert response.status_code == 403
    response = admin_client.post("/admin/goals/result/add/", {
        "indicator": outsourcing.indicators.get().pk, "period": 1, "value": "9", "state": "",
        "note": ""})
    assert "승인된 분기의 실적은 바꿀 수 없습니다" in response.content.decode()
    assert unchanged(locked)
    assert Result.objects.filter(indicator__program=outsourcing).count() == 0
    # Nor is the quarter's approval itself changed there.
    submission = Submission.objects.get(program=outsourcing, quarter=1)
    assert admin_client.post(f"/admin/goals/submission/{submission.pk}/change/", {
        "status": "draft"}).status_code == 403
    assert Submission.objects.get(pk=submission.pk).status == "approved"


def test_reopened_it_changes_again_with_its_history(client, staff, approver, outsourcing,
                                                   locked):
    entry.reopen(approver, outsourcing, 1, "오기 정정")
    client.force_login(staff)
    first = locked.first().unit_project
    assert fill(client, outsourcing, {first: "3"}, reason="오기 정정").status_code == 302
    record = Result.objects.get(unit_project=first, period=1).history.first()
    assert (record.value, record.history_user, record.history_change_reason) == (
        3, staff, "실적 입력 화면: 오기 정정")
