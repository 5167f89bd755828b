"""The Excel round-trip: download my programs' quarter, fill it offline,
upload it; all or nothing, with every problem listed by row and column."""

from decimal import Decimal as D
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from goals import entry, entry_sheet
from goals.history import result_changes
from goals.models import Indicator, Kind, Result, Rollup, Submission
from tests.support.entry_fixtures import (care, entry_url, fill, other_staff, outsourcing,  # noqa: F401
                                  staff, working_conditions)

pytestmark = pytest.mark.django_db

SHEET = "/jbsss/2024/entry/1/sheet.xlsx"
UPLOAD = "/jbsss/2024/entry/1/sheet/"


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


def download(client, url=SHEET):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml")
    assert "attachment" in response["Content-Disposition"]
    return load_workbook(BytesIO(response.content))


def rows_by_key(workbook):
    sheet = workbook[entry_sheet.SHEET_TITLE]
    return {sheet.cell(row, entry_sheet.KEY).value: row
            for row in range(entry_sheet.FIRST_ROW, sheet.max_row + 1)}


def put(workbook, owner, value=None, note=None):
    sheet = workbook[entry_sheet.SHEET_TITLE]
    row = rows_by_key(workbook)[entry.key_of(owner)]
    if value is not None:
        sheet.cell(row, entry_sheet.VALUE, value)
    if note is not None:
        sheet.cell(row, entry_sheet.NOTE, note)
    return row


def upload(client, workbook, name="1분기 실적.xlsx", reason="", confirm=False):
    output = BytesIO()
    workbook.save(output)
    data = {"file": SimpleUploadedFile(name, output.getvalue()), "reason": reason}
    if confirm:
        data["confirm"] = "on"
    return client.post(UPLOAD, data)


def units(program):
    return list(program.unit_projects.order_by("order"))


def stored(owner):
    result = Result.objects.filter(unit_project=owner, period=1).first()
    return result.value if result else None


def problems(response):
    return [(problem.row, problem.column_label, problem.message)
            for problem in response.context["sheet_problems"]]


def test_the_sheet_holds_my_programs_inputs(staff_client, outsourcing, working_conditions,
                                            care):
    entry.save_quarter(outsourcing.owner, outsourcing, 1,
                       [entry.Entry(entry.key_of(units(outsourcing)[0]), "7", "현장 점검")])
    workbook = download(staff_client)
    sheet = workbook[entry_sheet.SHEET_TITLE]
    keys = rows_by_key(workbook)
    assert len(keys) == 8 + 3  # 돌봄 is someone else's
    row = keys[entry.key_of(units(outsourcing)[0])]
    assert [sheet.cell(row, column).value for column in range(1, entry_sheet.VERSION + 1)] == [
        "① 수탁기관 운영 활성화 지원", "지원사업횟수", "소속시설 조직진단 및 모니터링", "회",
        "25회", "7회", "-", 7, "현장 점검", "작성중", f"u{units(outsourcing)[0].pk}", 1]
    assert sheet.cell(entry_sheet.HEADER_ROW, entry_sheet.VALUE).value == "1분기 실적"
    assert all(sheet.column_dimensions[column].hidden for column in "KLMN")
    assert sheet.protection.sheet
    assert not sheet.cell(row, entry_sheet.VALUE).protection.locked
    assert sheet.cell(row, entry_sheet.TARGET).protection.locked


def test_a_note_that_looks_like_a_formula_is_written_as_text(staff_client, outsourcing):
    unit = units(outsourcing)[0]
    entry.save_quarter(outsourcing.owner, outsourcing, 1, [
        entry.Entry(entry.key_of(unit), "1", '=HYPERLINK("http://x","클릭")')])
    for note in ["+1+1", "-2", "@SUM(A1)"]:
        other = units(outsourcing)[["+1+1", "-2", "@SUM(A1)"].index(note) + 1]
        entry.save_quarter(outsourcing.owner, outsourcing, 1,
                           [entry.Entry(entry.key_of(other), "1", note)])
    workbook = download(staff_client)
    sheet = workbook[entry_sheet.SHEET_TITLE]
    for owner, note in zip(units(outsourcing), ['=HYPERLINK("http://x","클릭")', "+1+1", "-2",
                                                "@SUM(A1)"]):
        cell = sheet.cell(rows_by_key(workbook)[entry.key_of(owner)], entry_sheet.NOTE)
        assert (cell.value, cell.data_type) == (note, "s")
    # Uploaded back untouched, it is still the same text, not refused as a formula.
    response = upload(staff_client, workbook)
    assert response.status_code == 302
    assert Result.objects.get(unit_project=units(outsourcing)[0]).note.startswith("=HYPERLINK")


def test_the_round_trip_saves_and_keeps_who_and_why(staff_client, outsourcing,
                                                    working_conditions):
    workbook = download(staff_client)
    for number, unit in enumerate(units(outsourcing)):
        put(workbook, unit, number)
    direct = units(working_conditions)[0]
    put(workbook, direct, 88.3, "정규직 전환 포함")
    # 4, 6 and 7 against targets of 1 look like mistakes: listed, nothing saved.
    response = upload(staff_client, workbook, reason="분기 마감")
    assert response.status_code == 400
    warned = [(problem.row, problem.message) for problem in response.context["sheet_problems"]]
    assert len(warned) == 3
    assert all("연간 목표(1회)의 3배가 넘습니다" in message for _row, message in warned)
    assert not Result.objects.filter(unit_project__program=outsourcing).exists()
    # Confirmed, they are saved, and the history keeps the confirmation.
    response = upload(staff_client, workbook, reason="분기 마감", confirm=True)
    assert response.status_code == 302
    confirmed = Result.history.filter(unit_project=units(outsourcing)[7]).first()
    assert confirmed.history_change_reason == (
        "엑셀 업로드(1분기 실적.xlsx): 분기 마감 [경고 확인: 목표의 3배 초과]")
    assert [stored(unit) for unit in units(outsourcing)] == list(range(8))
    assert stored(direct) == D("88.3")
    change = result_changes(program=working_conditions)[0]
    assert (change.new, change.who, change.note) == ("88.3", "김담당", "정규직 전환 포함")
    assert change.reason == "엑셀 업로드(1분기 실적.xlsx): 분기 마감"
    page = staff_client.get(entry_url()).content.decode()
    assert "엑셀 파일에서 값 9개를 저장했습니다." in page


def test_every_problem_is_listed_by_row_and_column_and_nothing_is_written(
        staff_client, outsourcing, working_conditions, care):
    Submission.objects.create(program=working_conditions, quarter=1, status="approved")
    workbook = download(staff_client)
    sheet = workbook[entry_sheet.SHEET_TITLE]
    first, second, third, fourth, fifth = units(outsourcing)[:5]
    good = put(workbook, first, 4)
    text = put(workbook, second, "다섯")
    formula = put(workbook, third, "=1+2")
    fraction = put(workbook, fourth, 2.5)
    note_formula = put(workbook, fifth)
    sheet.cell(note_formula, entry_sheet.NOTE).value = "=A1"
    locked = put(workbook, units(working_conditions)[0], 90)
    unknown = sheet.max_row + 1
    sheet.cell(unknown, entry_sheet.KEY, "u999999")
    sheet.cell(unknown, entry_sheet.VALUE, 3)
    theirs = unknown + 1
    sheet.cell(theirs, entry_sheet.KEY, entry.key_of(units(care)[0]))
    sheet.cell(theirs, entry_sheet.VALUE, 3)
    response = upload(staff_client, workbook)
    assert response.status_code == 400
    assert problems(response) == [
        (text, "H열", "숫자를 입력하세요('다섯'은(는) 숫자가 아닙니다)."),
        (formula, "H열", "수식은 넣을 수 없습니다. 값을 입력하세요."),
        (fraction, "H열", "건수·횟수는 정수로 입력하세요."),
        (note_formula, "I열", "수식은 넣을 수 없습니다. 글로 입력하세요."),
        (locked, "H열", "승인된 분기입니다. 값을 바꾸려면 승인자에게 재개를 요청하세요."),
        (unknown, "B열", "알 수 없는 성과지표·단위사업입니다. 내려받은 시트의 행에만 입력하세요."),
        (theirs, "A열", "다른 담당자의 사업입니다."),
    ]
    assert good < text
    page = response.content.decode()
    assert "엑셀 파일에서 고칠 곳" in page and "아무 값도 저장되지 않았습니다" in page
    assert not Result.objects.filter(period=1).exists()


def test_untouched_rows_of_a_locked_program_do_not_stop_the_upload(
        staff_client, outsourcing, working_conditions):
    entry.save_quarter(working_conditions.owner, working_conditions, 1,
                       [entry.Entry(entry.key_of(units(working_conditions)[0]), "100")])
    Submission.objects.filter(program=working_conditions, quarter=1).update(status="approved")
    workbook = download(staff_client)
    put(workbook, units(outsourcing)[0], 3)
    assert upload(staff_client, workbook).status_code == 302
    assert stored(units(outsourcing)[0]) == 3


def test_a_value_changed_since_the_download_is_not_overwritten(staff_client, outsourcing):
    first, second = units(outsourcing)[:2]
    workbook = download(staff_client)
    fill(staff_client, outsourcing, {first: "5", second: "6"})
    put(workbook, first, 9)  # second left as downloaded: not a change
    response = upload(staff_client, workbook)
    assert response.status_code == 400
    [(row, column, message)] = problems(response)
    assert "김담당님이" in message and "먼저 5(으)로 저장했습니다" in message
    assert (stored(first), stored(second)) == (5, 6)


def test_another_quarters_sheet_or_another_file_is_refused(staff_client, outsourcing):
    workbook = download(staff_client, "/jbsss/2024/entry/2/sheet.xlsx")
    put(workbook, units(outsourcing)[0], 3)
    response = upload(staff_client, workbook)
    assert problems(response) == [(0, "", "이 파일은 2024년 1분기의 입력 시트가 아닙니다. "
                                          "이 분기의 시트를 내려받아 입력하세요.")]
    response = staff_client.post(UPLOAD, {"file": SimpleUploadedFile("a.xlsx", b"%PDF-1.7")})
    assert "엑셀(xlsx) 파일을 읽을 수 없습니다." in problems(response)[0][2]
    assert not Result.objects.filter(period__in=[1, 2]).exists()


def test_a_milestones_steps_with_quotes_and_commas_are_its_drop_down(staff_client, outsourcing):
    steps = ["미착수", '1단계 "설계"', "구축, 완료"]
    milestone = Indicator.objects.create(
        program=outsourcing, order=9, measurement="시스템 구축", kind=Kind.MILESTONE,
        rollup=Rollup.LATEST, steps=steps)
    workbook = download(staff_client)
    sheet = workbook[entry_sheet.SHEET_TITLE]
    cell = sheet.cell(rows_by_key(workbook)[entry.key_of(milestone)], entry_sheet.VALUE)
    [rule] = [rule for rule in sheet.data_validations.dataValidation
              if cell.coordinate in rule.sqref]
    assert rule.type == "list"
    # The list is a range of cells holding the steps as they are.
    steps_sheet, cells = rule.formula1.split("!")
    first, last = cells.replace("$", "").split(":")
    listed = workbook[steps_sheet.strip("'")][f"{first}:{last}"]
    assert [row[0].value for row in listed] == steps
    assert workbook[steps_sheet.strip("'")].sheet_state == "hidden"
    cell.value = '1단계 "설계"'
    assert upload(staff_client, workbook).status_code == 302
    assert Result.objects.get(indicator=milestone, period=1).state == '1단계 "설계"'
