"""An approved quarter does not change, whatever the path: the entry form,
the Excel upload, evidence, the service itself, and every door of the admin."""

from decimal import Decimal as D
from io import BytesIO

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from goals import entry, entry_sheet
from goals.models import (Category, Evidence, PeriodLocked, Plan, Result, Submission,
                          Target, UnitProject)
from reports import layout
from reports.document import gather
from reports.importer import ImportFailed, import_workbook
from reports.xlsx import render_xlsx
from tests.support.admin_pages import make_administrator
from tests.support.entry_fixtures import (CARE, approver, entry_url, fill,  # noqa: F401
                                          fill_quarter, outsourcing, program_named, staff)

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
    client.force_login(make_administrator(institution))
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


# Locks are invariants of the data (issue 14, finding 2): what holds an
# approved value keeps its place, whatever path tries to move it.


@pytest.fixture
def care_program(plan_2024):
    return program_named(plan_2024, CARE)


def test_its_unit_project_does_not_move_through_the_admin(admin_client, outsourcing, locked,
                                                          care_program):
    unit = locked.first().unit_project
    response = admin_client.post(f"/admin/goals/unitproject/{unit.pk}/change/", {
        "program": care_program.pk, "order": 99, "group": "", "name": unit.name,
        "unit": unit.unit, "note": "", "indicator": ""})
    assert response.status_code == 200
    assert "잠긴 동안에는 다른 곳으로 옮길 수 없습니다" in response.content.decode()
    assert UnitProject.objects.get(pk=unit.pk).program_id == outsourcing.pk
    assert unchanged(locked)


def test_its_unit_project_does_not_move_through_a_plan_upload(outsourcing, locked,
                                                              care_program):
    unit = locked.first().unit_project
    workbook = load_workbook(BytesIO(render_xlsx(gather(outsourcing.category.plan.institution,
                                                        2024))))
    sheet = workbook[layout.PLAN]
    columns = list(layout.plan_columns([2024, 2025, 2026]))
    program_column = columns.index("program") + 1
    name_column = columns.index("name") + 1
    [row] = [row for row in range(layout.FIRST_ROW, sheet.max_row + 1)
             if sheet.cell(row, name_column).value == unit.name]
    for merged in list(sheet.merged_cells.ranges):  # each row says its own program
        if merged.min_row <= row <= merged.max_row:
            value = sheet.cell(merged.min_row, merged.min_col).value
            sheet.unmerge_cells(str(merged))
            for each in range(merged.min_row, merged.max_row + 1):
                sheet.cell(each, merged.min_col, value)
    sheet.cell(row, program_column, care_program.name)
    sheet.cell(row, columns.index("indicator") + 1).value = None
    output = BytesIO()
    workbook.save(output)
    with pytest.raises(ImportFailed) as failure:
        import_workbook(BytesIO(output.getvalue()), outsourcing.category.plan.institution)
    assert "잠긴 동안에는 다른 곳으로 옮길 수 없습니다" in str(failure.value)
    assert UnitProject.objects.get(pk=unit.pk).program_id == outsourcing.pk
    assert unchanged(locked)


def test_nothing_that_holds_it_moves_through_the_models(outsourcing, locked, care_program):
    result = locked.first()
    unit = result.unit_project
    other_unit = care_program.unit_projects.first()
    moves = [
        (unit, "program", care_program),
        (unit, "indicator", None),
        (outsourcing.indicators.get(), "program", care_program),
        (result, "unit_project", other_unit),
        (result, "period", 2),
    ]
    for obj, name, value in moves:
        obj = type(obj).objects.get(pk=obj.pk)  # as read by any path
        setattr(obj, name, value)
        with pytest.raises(PeriodLocked):
            obj.save()
        with pytest.raises(ValidationError):
            obj.full_clean()
    assert unchanged(locked)
    # Moving within the plan's categories is no move of its year.
    other_category = Category.objects.filter(plan=outsourcing.category.plan).exclude(
        pk=outsourcing.category_id).first()
    outsourcing.category = other_category
    outsourcing.number = 99
    outsourcing.save()


def test_its_category_does_not_move_to_another_year(admin_client, outsourcing, locked):
    """A category carries its programs, and their approved values, with it."""
    plan_2024 = outsourcing.category.plan
    plan_2025 = Plan.objects.create(institution=plan_2024.institution, year=2025)
    category = Category.objects.get(pk=outsourcing.category_id)
    category.plan = plan_2025
    with pytest.raises(PeriodLocked):
        category.save()
    with pytest.raises(ValidationError):
        category.full_clean()
    response = admin_client.post(f"/admin/goals/category/{category.pk}/change/", {
        "plan": plan_2025.pk, "order": category.order, "name": category.name,
        "is_common": ""})
    assert response.status_code == 200
    assert "잠긴 동안에는 다른 곳으로 옮길 수 없습니다" in response.content.decode()
    assert Category.objects.get(pk=category.pk).plan == plan_2024
    assert unchanged(locked)
    # A category with nothing locked moves; so does a locked one within its plan.
    empty = Category.objects.create(plan=plan_2024, order=99, name="새 분야")
    empty.plan = plan_2025
    empty.save()
    category = Category.objects.get(pk=category.pk)
    category.order = 98
    category.save()


def test_approved_evidence_does_not_move(staff, approver, outsourcing, care_program):
    evidence = entry.add_evidence(staff, outsourcing, 1,
                                  SimpleUploadedFile("a.pdf", b"%PDF-1.7"))
    entry.save_quarter(staff, outsourcing, 1, [
        entry.Entry(entry.key_of(unit), "2") for unit in outsourcing.unit_projects.all()])
    entry.submit(staff, outsourcing, 1)
    entry.approve(approver, outsourcing, 1)
    for name, value in [("quarter", 2), ("program", care_program)]:
        moved = Evidence.objects.get(pk=evidence.pk)
        setattr(moved, name, value)
        with pytest.raises(PeriodLocked):
            moved.save()
    assert Evidence.objects.get(pk=evidence.pk).quarter == 1


def test_a_closed_years_target_does_not_move(institution):
    target = Target.objects.filter(indicator__program__category__plan__year=2023).first()
    assert target.plan().is_closed
    target = Target.objects.get(pk=target.pk)
    target.year = 2030
    with pytest.raises(PeriodLocked):
        target.save()


def test_an_approved_quarter_reopens_only_with_a_reason_from_an_approver(
        staff, approver, outsourcing, locked):
    submission = Submission.objects.get(program=outsourcing, quarter=1)
    submission.status = Submission.Status.DRAFT
    with pytest.raises(PeriodLocked):
        submission.save()  # no reason for the history
    with pytest.raises(PermissionDenied):
        entry.reopen(staff, outsourcing, 1, "제가 고칠게요")
    with pytest.raises(entry.Refused):
        entry.reopen(approver, outsourcing, 1, "  ")
    entry.reopen(approver, outsourcing, 1, "도 요청으로 정정")
    record = Submission.objects.get(pk=submission.pk).history.first()
    assert (record.status, record.history_user, record.history_change_reason) == (
        "draft", approver, "재개: 도 요청으로 정정")
    assert record.history_date is not None


# A closed year (finding 8) -----------------------------------------------------


@pytest.fixture
def closed_year(institution):
    plan = Plan.objects.get(institution=institution, year=2023)
    assert plan.is_closed
    return plan


def plan_form(plan, **changes):
    return {"institution": plan.institution_id, "year": plan.year, "title": plan.title,
            "status": plan.status, "categories-TOTAL_FORMS": 0,
            "categories-INITIAL_FORMS": 0, **changes}


def test_an_institution_administrator_cannot_reopen_a_closed_year(admin_client, closed_year):
    url = f"/admin/goals/plan/{closed_year.pk}/change/"
    page = admin_client.get(url).content.decode()
    assert 'name="status"' not in page
    admin_client.post(url, plan_form(closed_year, status="confirmed"))
    assert Plan.objects.get(pk=closed_year.pk).is_closed
    assert Result.objects.filter(indicator__program__category__plan=closed_year).first(
    ).lock_reason()


def test_a_superuser_reopens_a_closed_year_with_a_reason_kept_in_its_history(
        client, closed_year):
    superuser = get_user_model().objects.create_superuser("root", password="pw")
    client.force_login(superuser)
    url = f"/admin/goals/plan/{closed_year.pk}/change/"
    response = client.post(url, plan_form(closed_year, status="confirmed"))
    assert response.status_code == 200
    assert "마감을 푸는 사유를 적어 주세요." in response.content.decode()
    assert Plan.objects.get(pk=closed_year.pk).is_closed
    response = client.post(url, plan_form(closed_year, status="confirmed",
                                          reopen_reason="도 감사 지적 반영"))
    assert response.status_code == 302
    record = Plan.objects.get(pk=closed_year.pk).history.first()
    assert (record.status, record.history_user, record.history_change_reason) == (
        "confirmed", superuser, "마감 해제: 도 감사 지적 반영")


def test_a_closed_year_opens_through_no_other_path(closed_year, approver):
    closed_year.status = Plan.Status.CONFIRMED
    with pytest.raises(PeriodLocked):
        closed_year.save()
    plan = Plan.objects.get(pk=closed_year.pk)
    with pytest.raises(PermissionDenied):
        plan.reopen(approver, "사유")
    assert Plan.objects.get(pk=closed_year.pk).is_closed


def test_the_lock_a_save_held_is_not_taken_for_the_quarters_later_state(staff, approver,
                                                                       outsourcing):
    """A save reads its quarter's status once, under the lock it holds until
    it commits; once it has, the same program object reads the lock again."""
    fill_quarter(outsourcing, 1, staff)
    entry.submit(staff, outsourcing, 1)
    entry.approve(approver, outsourcing, 1)
    unit = outsourcing.unit_projects.order_by("order").first()
    unit.program = outsourcing  # the very object the save held the quarter on
    result = Result.objects.get(unit_project=unit, period=1)
    result.unit_project = unit
    result.value += 1
    with pytest.raises(PeriodLocked):
        result.save()
