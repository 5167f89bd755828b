"""
What staff type is understood the way they mean it: 해당 없음 for a quarter
not measured (a yearly survey) rather than 0, a unit typed with the number,
and a value that looks like a typing mistake held back until confirmed.
"""

import subprocess
from decimal import Decimal as D
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from goals import entry, entry_sheet, figures
from goals.models import Indicator, Result, Submission
from goals.selectors import year_figures
from reports.document import gather
from reports.pdf import render_pdf
from reports.xlsx import render_xlsx
from tests.support.entry_fixtures import (approver, entry_url, field_name, fill,  # noqa: F401
                                  outsourcing, owned, save_url, staff)

pytestmark = pytest.mark.django_db

COMMUNICATION = "민간제공기관 소통강화"  # 만족도 점수 (a score, once a year) and two counts


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


@pytest.fixture
def communication(plan_2024, staff):
    return owned(plan_2024, COMMUNICATION, staff)


def units_of(program):
    return {unit.name: unit for unit in program.unit_projects.all()}


def test_a_quarter_not_measured_goes_through_entry_submission_roll_up_and_reports(
        staff_client, communication, staff, approver):
    units = units_of(communication)
    survey, channel, ideas = units["만족도 조사"], units["소통 창구 마련"], units["사업발굴 및 개선 건수"]
    page = staff_client.get(entry_url()).content.decode()
    # A score is not summed: its indicator's line says so, the counts' say 합계.
    assert "만족도 점수 <span class=\"muted\">(단위사업 평균)</span>" in page
    assert "실시 횟수 <span class=\"muted\">(단위사업 합계)</span>" in page
    response = fill(staff_client, communication, {survey: "해당 없음", channel: "13회",
                                                  ideas: "0"})
    assert response.status_code == 302
    stored = Result.objects.get(unit_project=survey, period=1)
    assert (stored.not_measured, stored.value, stored.state) == (True, None, "")
    # The page shows it as typed; the quarter is complete and can be submitted.
    section_form = staff_client.get(entry_url()).context["sections"]
    form = next(s["form"] for s in section_form if s["quarter"].program.pk == communication.pk)
    assert form[f"value_u{survey.pk}"].value() == "해당 없음"
    entry.submit(staff, communication, 1)
    entry.approve(approver, communication, 1)
    # Rolled up: skipped, not 0; the indicator is not measured yet, not behind.
    book = year_figures(communication.category.plan.institution, 2024, 1)
    score = next(f for f in book.indicators if f.indicator.measurement == "만족도 점수")
    assert score.quarters[1] is figures.NOT_MEASURED
    assert (score.result, score.achievement, score.pace.status) == (None, None,
                                                                    figures.UNMEASURED)
    # Q2 measured at 86: the year so far is 86 (the latest value), on track.
    fill(staff_client, communication, {survey: "86점", channel: "14", ideas: "1"}, quarter=2)
    entry.submit(staff, communication, 2)
    entry.approve(approver, communication, 2)
    book = year_figures(communication.category.plan.institution, 2024, 2)
    score = next(f for f in book.indicators if f.indicator.measurement == "만족도 점수")
    assert (score.result, score.pace.status) == (D(86), figures.ON_TRACK)
    # The reports print it as it is.
    report = gather(communication.category.plan.institution, 2024, quarter=2, quarterly=True)
    text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=render_pdf(report),
                          capture_output=True, check=True).stdout.decode()
    quarters = text[text.index("2024년 분기별 실적", text.index("2024년 분기별 실적") + 1):]
    assert "만족도 점수" in quarters and "해당 없음" in quarters
    workbook = load_workbook(BytesIO(render_xlsx(report)))
    values = [cell.value for line in workbook["분기별 실적"].iter_rows() for cell in line]
    assert "해당 없음" in values


def test_the_entry_sheet_takes_and_gives_not_measured(staff_client, communication):
    survey = units_of(communication)["만족도 조사"]
    response = staff_client.get("/jbsss/2024/entry/1/sheet.xlsx")
    workbook = load_workbook(BytesIO(response.content))
    sheet = workbook[entry_sheet.SHEET_TITLE]
    rows = {sheet.cell(row, entry_sheet.KEY).value: row
            for row in range(entry_sheet.FIRST_ROW, sheet.max_row + 1)}
    sheet.cell(rows[entry.key_of(survey)], entry_sheet.VALUE, "측정 전")
    output = BytesIO()
    workbook.save(output)
    response = staff_client.post("/jbsss/2024/entry/1/sheet/", {
        "file": SimpleUploadedFile("sheet.xlsx", output.getvalue())})
    assert response.status_code == 302
    assert Result.objects.get(unit_project=survey, period=1).not_measured
    again = load_workbook(BytesIO(staff_client.get("/jbsss/2024/entry/1/sheet.xlsx").content))
    assert again[entry_sheet.SHEET_TITLE].cell(rows[entry.key_of(survey)],
                                                entry_sheet.VALUE).value == "해당 없음"


def test_units_typed_with_the_number_are_understood(staff_client, communication):
    units = units_of(communication)
    response = fill(staff_client, communication, {units["소통 창구 마련"]: "1,2회",
                                                  units["사업발굴 및 개선 건수"]: "1 건",
                                                  units["만족도 조사"]: "85 점"})
    assert response.status_code == 302
    assert Result.objects.get(unit_project=units["소통 창구 마련"], period=1).value == 12
    assert Result.objects.get(unit_project=units["만족도 조사"], period=1).value == 85
    response = fill(staff_client, communication, {units["소통 창구 마련"]: "2건"})
    assert response.status_code == 400
    assert "이 단위사업의 단위는 &#x27;회&#x27;입니다." in response.content.decode()
    assert Result.objects.get(unit_project=units["소통 창구 마련"], period=1).value == 12


def test_an_unlikely_value_is_held_back_until_confirmed_and_the_history_keeps_it(
        staff_client, outsourcing):
    manual = outsourcing.unit_projects.get(name="분야별 매뉴얼 발간")  # 1회 a year
    response = fill(staff_client, outsourcing, {manual: "500"}, confirm=False)
    assert response.status_code == 200
    page = response.content.decode()
    assert "연간 목표(1회)의 3배가 넘습니다." in page
    assert "확인이 필요한 값이 있어 아직 저장하지 않았습니다." in page
    confirm = field_name(outsourcing, "confirm", manual)
    assert f'name="{confirm}" value="500"' in page
    assert not Result.objects.filter(unit_project=manual).exists()
    # Confirming a different value than the one warned about confirms nothing.
    data = {key: value for key, value in response.context["sections"][0]["form"].data.items()}
    data[field_name(outsourcing, "value", manual)] = "50"
    data[confirm] = "500"
    assert staff_client.post(save_url(outsourcing), data).status_code == 200
    assert not Result.objects.filter(unit_project=manual).exists()
    # Corrected, it is saved at once; confirmed, it is saved and the history says so.
    data[field_name(outsourcing, "value", manual)] = "1"
    assert staff_client.post(save_url(outsourcing), data).status_code == 302
    assert Result.objects.get(unit_project=manual).value == 1
    response = fill(staff_client, outsourcing, {manual: "40"}, reason="연간 배포 부수")
    assert response.status_code == 302
    record = Result.history.filter(unit_project=manual).first()
    assert record.value == 40
    assert record.history_change_reason == (
        "실적 입력 화면: 연간 배포 부수 [경고 확인: 목표의 3배 초과]")


def test_a_running_total_that_goes_down_is_questioned(staff_client, outsourcing):
    counted = Indicator.objects.create(program=outsourcing, order=2, measurement="누적 참여기관",
                                       unit="개소", kind="count", rollup="latest")
    assert fill(staff_client, outsourcing, {counted: "12"}).status_code == 302
    Submission.objects.filter(program=outsourcing, quarter=1).update(status="approved")
    response = fill(staff_client, outsourcing, {counted: "8"}, quarter=2, confirm=False)
    assert response.status_code == 200
    assert "전 분기(12개소)보다 줄었습니다." in response.content.decode()
    assert not Result.objects.filter(indicator=counted, period=2).exists()


def test_a_unit_that_does_not_match_is_named_on_the_page_and_in_the_sheet(staff_client, plan_2024,
                                                                          staff):
    care = owned(plan_2024, "전북형 돌봄 체계화 및 고도화", staff)
    projects = care.indicators.get(measurement="사업 건수")  # entered directly, in 건
    response = fill(staff_client, care, {projects: "2회"})
    assert response.status_code == 400
    assert "이 지표의 단위는 &#x27;건&#x27;입니다." in response.content.decode()
    assert not Result.objects.filter(indicator=projects).exists()

    sheet_response = staff_client.get("/jbsss/2024/entry/1/sheet.xlsx")
    workbook = load_workbook(BytesIO(sheet_response.content))
    sheet = workbook[entry_sheet.SHEET_TITLE]
    row = next(row for row in range(entry_sheet.FIRST_ROW, sheet.max_row + 1)
               if sheet.cell(row, entry_sheet.KEY).value == entry.key_of(projects))
    sheet.cell(row, entry_sheet.VALUE, "2회")
    output = BytesIO()
    workbook.save(output)
    response = staff_client.post("/jbsss/2024/entry/1/sheet/", {
        "file": SimpleUploadedFile("sheet.xlsx", output.getvalue())})
    assert response.status_code == 400
    assert "이 지표의 단위는 &#x27;건&#x27;입니다." in response.content.decode()
    assert not Result.objects.filter(indicator=projects).exists()
    # Typed with its own unit, the same figure is taken.
    assert fill(staff_client, care, {projects: "2 건"}).status_code == 302
    assert Result.objects.get(indicator=projects, period=1).value == 2


def test_the_year_so_far_is_named_by_how_it_is_made(staff_client, communication):
    # A score is not summed: its year so far is the latest value, a count's the sum.
    for measurement, label in (("만족도 점수", "최근값"), ("실시 횟수", "누계")):
        indicator = communication.indicators.get(measurement=measurement)
        html = staff_client.get(f"/jbsss/2024/indicators/{indicator.pk}/").content.decode()
        assert f'<th scope="col" class="num">{label}</th>' in html, measurement



def test_a_rate_over_a_hundred_is_refused_beside_its_field(staff_client, plan_2024, staff):
    # Not a warning to confirm, as 500건 is: a share of 120% cannot be (models.check_value).
    program = owned(plan_2024, "종사자 근로조건 향상", staff)
    rate = program.unit_projects.get(name="종사자 직접고용")  # in %, towards 직접고용비율
    assert (rate.unit, rate.kind) == ("%", "rate")
    response = fill(staff_client, program, {rate: "120%"})
    assert response.status_code == 400
    assert "100 이하여야 합니다." in response.content.decode()
    assert not Result.objects.filter(unit_project=rate).exists()
    assert fill(staff_client, program, {rate: "100%"}, confirm=False).status_code == 302
