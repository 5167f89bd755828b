"""The year's figures: what the main table of the document prints, built
with a fixed number of queries."""

from decimal import Decimal as D

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from goals import figures
from goals import formatting as fmt
from goals.models import Indicator, Period, Result, Submission
from goals.selectors import year_figures
from goals.synthetic import build_synthetic_plan

pytestmark = pytest.mark.django_db


def main_table(book):
    """The 2024 main table as text rows: program, measurement, budget, target,
    last year, change."""
    rows = []
    for program in book.programs:
        for figure in program.indicators:
            rows.append((program.program.name, figure.indicator.measurement,
                         fmt.eok(program.budget_won),
                         fmt.quantity(figure.target, figure.indicator.unit),
                         fmt.baseline(figure.baseline_actual, figure.baseline_target,
                                      figure.baseline_unit, figure.baseline_note),
                         fmt.change(figure.change)))
    return rows


def test_the_main_table_of_2024(institution):
    rows = main_table(year_figures(institution, 2024))
    assert len(rows) == 21
    by_measure = {(row[0], row[1]): row[2:] for row in rows}
    assert by_measure[("도·공기업 출연기관 간 협력 네트워크 구축", "협력사업 건수")] == (
        "-", "3건", "2건(2건)", "50%증")
    assert by_measure[("국가 소속 출연기관·국가 연구기관과의 협업", "협업사업 건수")] == (
        "-", "2건", "1건(1건)", "100%증")
    assert by_measure[("수탁기관 운영 활성화 지원", "지원사업횟수")] == (
        "0.29", "60회", "82회(56회)", "7.1%증")
    assert by_measure[("소속시설 서비스 품질 제고 지원", "지원건수")] == ("0.03", "7회", "-", "신규")
    assert by_measure[("종사자 근로조건 향상", "직접고용비율")] == (
        "0.11", "100%", "100%(100%)", "동일")
    assert by_measure[("종사자 근로조건 향상", "처우개선추진건수")] == (
        "0.11", "4건", "6건(2건)", "100%증")
    assert by_measure[("소규모 사회서비스기관·소속시설 인권보호체계 구축", "교육실시 건수")] == (
        "0.20", "20회", "1건(1건)", "신규")
    assert by_measure[("종사자 전문성 향상 교육", "교육실시 건수")] == (
        "0.33", "50건", "53회(50회)", "동일")
    assert by_measure[("사회서비스기관 컨설팅 지원", "운영 건수")] == (
        "0.12", "40건", "41회(40회)", "동일")
    assert by_measure[("사회서비스기관 종사자 및 이용자 안전확보", "운영 건수")] == (
        "0.23", "59건", "56건(56건)", "5.4%증")
    assert by_measure[("민간제공기관 소통강화", "만족도 점수")] == (
        "0.02", "85점", "94.4점(82점)", "3.7%증")
    assert by_measure[("민간제공기관 소통강화", "사업 개선 건수")] == ("0.02", "2건", "-", "신규")
    assert by_measure[("전북형 돌봄 체계화 및 고도화", "제공인원수")] == (
        "1.02", "25명", "25명(25명)", "동일")
    assert by_measure[("전북 복지자원 플랫폼 추진", "사업 건수")] == ("1.50", "1건", "1건(1건)", "동일")
    assert by_measure[("사회서비스 산업박람회 개최", "개최 횟수")] == ("0.60", "1회", "-", "신규")


def test_budget_totals(institution):
    book = year_figures(institution, 2024)
    assert book.budget_won == 454_577_000
    assert fmt.cheon(book.budget_won) == "454,577"
    jeonbuk = book.categories[4]
    assert jeonbuk.budget_won == (102_100 + 150_000 + 10_100 + 60_200) * 1000
    # The common indicators have no budget: unknown, not 0.
    assert book.categories[0].budget_won is None
    assert fmt.eok(book.categories[0].budget_won) == "-"
    assert year_figures(institution, 2023).budget_won is None


def test_three_year_plan_totals(institution):
    book = year_figures(institution, 2024)
    programs = {program.program.name: program for program in book.programs}
    care = programs["전북형 돌봄 체계화 및 고도화"].unit_totals
    assert [fmt.unit_total(care[year]) for year in (2024, 2025, 2026)] == [
        "135명/16회", "150명/18회", "165명/18회"]
    innovation = programs["사회서비스 고도화 사업"].unit_totals
    assert [fmt.unit_total(innovation[year]) for year in (2024, 2025, 2026)] == [
        "5회", "8회", "6회, 상시"]
    outsourcing = programs["수탁기관 운영 활성화 지원"]
    assert [fmt.unit_total(outsourcing.unit_totals[year]) for year in (2024, 2025, 2026)] == [
        "60회", "60회", "60회"]
    # 추진실적: last year's unit results, 계 82회.
    last_year = outsourcing.previous_unit_projects
    assert len(last_year) == 7
    assert sum(unit.result for unit in last_year) == 82


def test_the_2023_results_with_achievement(institution):
    book = year_figures(institution, 2023)
    rows = {(program.program.name, figure.indicator.measurement):
            (fmt.quantity(figure.target, figure.indicator.unit, figure.target_note),
             fmt.quantity(figure.result, figure.indicator.unit, figure.result_note),
             fmt.rate(figure.achievement))
            for program in book.programs for figure in program.indicators}
    assert rows[("수탁기관 운영 활성화 지원", "지원사업 횟수")] == ("56회", "82회", "146%")
    assert rows[("종사자 근로조건 향상", "처우개선추진횟수")] == ("2건", "6건", "300%")
    assert rows[("종사자 보수교육 및 전문성 향상 교육", "교육실시 횟수")] == ("50회", "53회", "106%")
    assert rows[("정보공시제 운영", "공시율")] == ("80%", "88.3%", "110%")
    assert rows[("정보공시제 운영", "진척도")] == ("구축완료", "구축완료", "100%")
    assert rows[("단계별 컨설팅 운영", "운영 건수")] == ("70건", "71건", "101%")
    assert rows[("민간 제공기관 지원 사업", "만족도 점수")] == ("82점", "94.4점", "115%")
    assert rows[("도내 국가공공기관과 협력 네트워크 구축", "협업사업 건수")] == (
        "1건(2개소)", "1건(2개소)", "100%")
    assert book.quarter == 4
    assert all(figure.pace.status != figures.NOT_ENTERED for figure in book.indicators)


def approve(program, *quarters):
    for quarter in quarters:
        Submission.objects.create(program=program, quarter=quarter,
                                  status=Submission.Status.APPROVED)


def test_quarters_entered_for_unit_projects_make_the_indicators_year(institution):
    outsourcing = Indicator.objects.get(program__category__plan__year=2024,
                                        measurement="지원사업횟수")
    units = list(outsourcing.unit_projects.order_by("order"))
    Result.objects.create(unit_project=units[0], period=Period.Q1, value=D(7))
    Result.objects.create(unit_project=units[1], period=Period.Q1, value=D(5))
    Result.objects.create(unit_project=units[0], period=Period.Q2, value=D(6))
    approve(outsourcing.program, 1, 2)
    figure = next(f for f in year_figures(institution, 2024, quarter=2).indicators
                  if f.indicator == outsourcing)
    assert figure.quarters == {1: D(12), 2: D(6), 3: None, 4: None}
    assert figure.cumulative[2] == D(18)
    assert figure.result == D(18)
    assert figure.pace.status == figures.BEHIND  # 18 of 60 is 30%, the pace is 50%
    assert fmt.rate(figure.achievement) == "30%"


def test_a_score_is_the_latest_quarter_not_a_sum(institution):
    score = Indicator.objects.get(program__category__plan__year=2024, measurement="만족도 점수")
    unit = score.unit_projects.get()
    Result.objects.create(unit_project=unit, period=Period.Q1, value=D("80.5"))
    Result.objects.create(unit_project=unit, period=Period.Q2, value=D("88"))
    approve(score.program, 1, 2)
    figure = next(f for f in year_figures(institution, 2024, quarter=2).indicators
                  if f.indicator == score)
    assert figure.result == D(88)
    assert figure.pace.status == figures.ON_TRACK


def count_queries(function):
    with CaptureQueriesContext(connection) as context:
        function()
    return len(context.captured_queries)


def test_query_count_does_not_grow_with_the_plan(institution):
    document = count_queries(lambda: year_figures(institution, 2024, with_text=True))
    big = build_synthetic_plan(indicators=500)
    book = None

    def build():
        nonlocal book
        book = year_figures(big, 2024, with_text=True)

    synthetic = count_queries(build)
    assert len(book.indicators) == 500
    assert synthetic == document
    assert document <= 15
    # Touching what the readers touch costs nothing more.
    assert count_queries(lambda: [
        (figure.indicator.previous, figure.unit_projects[0].unit_project.kind,
         program.program.owner, program.program.category.plan.institution,
         program.quarter_status(1))
        for program in book.programs for figure in program.indicators]) == 0


@pytest.mark.parametrize("year", [2023, 2024])
def test_a_program_read_alone_has_the_figures_of_the_whole_year(institution, year):
    counted = Indicator.objects.get(measurement="지원사업횟수", program__category__plan__year=2024)
    for unit_project in counted.unit_projects.all():
        Result.objects.create(unit_project=unit_project, period=1, value=D(3))
    whole = year_figures(institution, year, 2, with_text=True)
    for program in whole.programs:
        alone = year_figures(institution, year, 2, with_text=True,
                             programs=[program.program.pk])
        assert alone.programs == [program], program.program.name
        assert [category.category for category in alone.categories] == [
            program.program.category]


def test_reading_some_programs_costs_the_same_queries(institution):
    plan_programs = institution.plans.get(year=2024).categories.first().programs.all()
    assert count_queries(lambda: year_figures(institution, 2024, with_text=True)) == \
        count_queries(lambda: year_figures(institution, 2024, with_text=True,
                                           programs=plan_programs))
