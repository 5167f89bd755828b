"""The whole 2024 document is in the database, and its numbers come back out."""

import re
from datetime import date
from decimal import Decimal as D
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from goals import formatting as fmt
from goals.models import (Category, GeneralStatus, HeadlineTarget, Indicator, Institution,
                          Narrative, Period, Plan, Program, Result, Target, UnitProject)
from goals.selectors import year_figures

pytestmark = pytest.mark.django_db


def indicator(year, program_name, measurement):
    return Indicator.objects.get(program__category__plan__year=year,
                                 program__name=program_name, measurement=measurement)


def target(owner, year):
    found = owner.targets.get(year=year)
    return found.value if found.value is not None else found.state


def test_counts(institution):
    plan_2023, plan_2024 = Plan.objects.order_by("year")
    assert (plan_2023.year, plan_2024.year) == (2023, 2024)
    assert plan_2023.categories.count() == 5
    assert plan_2024.categories.count() == 5
    assert Program.objects.filter(category__plan=plan_2023).count() == 12
    assert Program.objects.filter(category__plan=plan_2024).count() == 14
    assert Indicator.objects.filter(program__category__plan=plan_2023).count() == 16
    assert Indicator.objects.filter(program__category__plan=plan_2024).count() == 21
    assert UnitProject.objects.filter(program__category__plan=plan_2024).count() == 38
    # Every 2024 unit project has its three targets, 2024–2026.
    assert Target.objects.filter(unit_project__program__category__plan=plan_2024).count() == 38 * 3
    assert Target.objects.filter(indicator__program__category__plan=plan_2024, year=2024).count() == 21
    assert Result.objects.filter(indicator__program__category__plan=plan_2023,
                                 period=Period.YEAR).count() == 16
    # The 2023 unit results printed under 수탁기관 운영 활성화 지원's 추진실적.
    assert Result.objects.filter(unit_project__program__category__plan=plan_2023).count() == 7
    assert HeadlineTarget.objects.filter(program__category__plan=plan_2024).count() == 20
    assert plan_2023.status == Plan.Status.CLOSED


def test_categories_in_order(plan_2024):
    assert list(plan_2024.categories.values_list("name", flat=True)) == [
        "공통지표", "사회서비스 공공성 강화", "종사자 전문성 향상 및 처우개선",
        "민간제공기관 서비스 품질향상", "전북형 특화 사회서비스 발굴 제공"]
    assert Category.objects.get(plan=plan_2024, order=1).is_common


def test_general_status(institution):
    assert institution.address == "전북특별자치도 전주시 덕진구 백제대로 805, 6층"
    assert institution.founded_year == 2021
    assert institution.ordinance == "전북특별자치도사회서비스원 설립 및 운영 조례"
    status = GeneralStatus.objects.get(institution=institution, year=2024)
    assert status.organization == "1본부 1실 3개팀"
    assert (status.quota, status.headcount) == (20, 20)
    assert status.budget_won == 10_570_000_000
    assert (status.national_share, status.local_share, status.other_share) == (
        D("31.9"), D("63.4"), D("4.7"))
    assert status.head_name == "서양열"
    assert (status.head_term_start, status.head_term_end) == (date(2021, 10, 28),
                                                              date(2024, 10, 27))
    assert status.head_term_years == 3
    final_2023 = GeneralStatus.objects.get(institution=institution, year=2023)
    assert final_2023.budget_won == 10_090_000_000 and final_2023.budget_is_final
    assert (final_2023.national_share, final_2023.local_share, final_2023.other_share) == (
        D("43.2"), D("50.3"), D("6.5"))


def test_budgets_in_won_add_up_to_the_document_total(plan_2024):
    programs = Program.objects.filter(category__plan=plan_2024)
    assert sum(program.budget_won or 0 for program in programs) == 454_577_000
    assert programs.get(name="수탁기관 운영 활성화 지원").budget_won == 28_517_000
    assert programs.get(name="전북형 돌봄 체계화 및 고도화").budget_won == 102_100_000
    assert programs.get(name="전북형 돌봄 체계화 및 고도화").stated_budget_eok == D("1.0")
    assert programs.get(name__startswith="도·공기업").budget_won is None


@pytest.mark.parametrize("program, measurement, value, baseline", [
    ("도·공기업 출연기관 간 협력 네트워크 구축", "협력사업 건수", D(3), (D(2), D(2))),
    ("수탁기관 운영 활성화 지원", "지원사업횟수", D(60), (D(82), D(56))),
    ("소속시설 서비스 품질 제고 지원", "지원건수", D(7), (None, None)),
    ("종사자 근로조건 향상", "직접고용비율", D(100), (D(100), D(100))),
    ("종사자 근로조건 향상", "처우개선추진건수", D(4), (D(6), D(2))),
    ("소규모 사회서비스기관·소속시설 인권보호체계 구축", "교육실시 건수", D(20), (D(1), D(1))),
    ("사회서비스기관 컨설팅 지원", "운영 건수", D(40), (D(41), D(40))),
    ("사회서비스기관 종사자 및 이용자 안전확보", "운영 건수", D(59), (D(56), D(56))),
    ("민간제공기관 소통강화", "만족도 점수", D(85), (D("94.4"), D(82))),
    ("전북형 돌봄 체계화 및 고도화", "제공인원수", D(25), (D(25), D(25))),
    ("사회서비스 산업박람회 개최", "개최 횟수", D(1), (None, None)),
])
def test_main_table_targets_and_baselines(institution, program, measurement, value, baseline):
    found = indicator(2024, program, measurement)
    assert target(found, 2024) == value
    assert (found.baseline_actual, found.baseline_target) == baseline


def test_three_year_plans_of_unit_projects(plan_2024):
    def plan_of(name, program=None):
        units = UnitProject.objects.filter(program__category__plan=plan_2024, name=name)
        if program:
            units = units.filter(program__name=program)
        unit = units.get()
        return [target(unit, year) for year in (2024, 2025, 2026)]

    assert plan_of("소속시설 협력체계 강화") == [16, 20, 20]
    assert plan_of("소속시설 운영규칙 점검 및 정비") == [10, 5, 5]
    assert plan_of("인권교육") == [20, 22, 24]
    assert plan_of("역량강화교육") == [50, 53, 56]
    assert plan_of("안전관리 컨설팅") == [59, 62, 65]
    assert plan_of("만족도 조사") == [85, 86, 87]
    assert plan_of("돌봄대상자") == [110, 120, 130]
    assert plan_of("돌봄종합정보상담") == [100, 200, 250]
    assert plan_of("사회서비스 혁신 정책 제안") == [1, 2, "상시"]
    assert plan_of("모니터링(전/후 비교조사)", "사회서비스기관 컨설팅 지원") == [10, 15, 20]
    care = UnitProject.objects.get(program__category__plan=plan_2024, name="돌봄지원단")
    assert care.group == "보편적 돌봄서비스 지원"
    assert care.indicator.measurement == "제공인원수"


def test_2023_results_table(institution):
    def year_result(program, measurement):
        found = indicator(2023, program, measurement).results.get(period=Period.YEAR)
        return found.figure, found.note

    assert year_result("수탁기관 운영 활성화 지원", "지원사업 횟수") == (D(82), "")
    assert year_result("도내 국가공공기관과 협력 네트워크 구축", "협업사업 건수") == (D(1), "2개소")
    assert year_result("정보공시제 운영", "공시율") == (D("88.3"), "")
    assert year_result("정보공시제 운영", "진척도") == ("구축완료", "")
    assert year_result("단계별 컨설팅 운영", "운영 건수") == (D(71), "")
    assert year_result("민간 제공기관 지원 사업", "만족도 점수") == (D("94.4"), "")
    assert target(indicator(2023, "정보공시제 운영", "진척도"), 2023) == "구축완료"
    assert target(indicator(2023, "종사자 근로조건 향상", "처우개선추진횟수"), 2023) == 2


def test_continuing_indicators_link_to_last_year(institution):
    outsourcing = indicator(2024, "수탁기관 운영 활성화 지원", "지원사업횟수")
    assert outsourcing.previous == indicator(2023, "수탁기관 운영 활성화 지원", "지원사업 횟수")
    education = indicator(2024, "종사자 전문성 향상 교육", "교육실시 건수")
    assert education.previous.program.name == "종사자 보수교육 및 전문성 향상 교육"
    assert indicator(2024, "사회서비스 고도화 사업", "사업 횟수").is_new


def test_narratives_are_kept_as_ordered_text(plan_2024):
    human_rights = Program.objects.get(category__plan=plan_2024, name__startswith="소규모")
    results = list(human_rights.narratives.filter(section=Narrative.Section.RESULTS))
    assert len(results) == 20
    assert results[0].text == "온라인 인권상담소 연중 운영"
    assert results[0].level == Narrative.Level.ITEM
    assert results[4].text == "도내 사회서비스기관 11개소 113명 교육지원"
    assert results[4].level == Narrative.Level.DETAIL
    network = Program.objects.get(category__plan=plan_2024, name__startswith="도·공기업")
    contents = network.narratives.filter(section=Narrative.Section.CONTENTS)
    assert list(dict.fromkeys(contents.values_list("label", flat=True))) == [
        "전북연구원", "전북특별자치도 경제통상진흥원", "전북특별자치도 문화관광재단"]
    assert Narrative.objects.filter(program__category__plan=plan_2024,
                                    text__contains="배회감지기 지원(400명)").exists()
    assert Narrative.objects.filter(program__category__plan=plan_2024,
                                    text="경영컨설팅 지원사업 89.0점").exists()
    assert Narrative.objects.filter(program__category__plan=plan_2024,
                                    level=Narrative.Level.NOTE).count() == 2


def test_every_number_of_the_source_text_comes_back_out(institution):
    """Each number printed in the source text is stored, or is computed from
    what is stored (an achievement rate, a change, a 계), or sits inside a
    stored text."""
    text = (Path(settings.BASE_DIR) / "fixtures" / "source" / "2024_goal_report.txt").read_text(
        encoding="utf-8")
    known = _stored_numbers() | _computed_numbers(institution)
    missing = {token for token in NUMBER.findall(text) if _decimal(token) not in known}
    assert missing == set()


NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")


def _decimal(token):
    return D(token.replace(",", ""))


def _numbers_in(*texts):
    return {_decimal(token) for text in texts for token in NUMBER.findall(str(text or ""))}


def _stored_numbers():
    numbers = set()
    for model, fields in [
        (Target, ["value", "year"]), (Result, ["value"]), (HeadlineTarget, ["value"]),
        (Indicator, ["baseline_actual", "baseline_target"]), (Plan, ["year"]),
        (Program, ["stated_budget_eok", "number"]),
        (GeneralStatus, ["national_share", "local_share", "other_share", "quota", "headcount",
                         "year"]),
        (Institution, ["founded_year"]),
    ]:
        for row in model.objects.values_list(*fields):
            numbers.update(D(value) for value in row if value is not None)
    for row in Program.objects.values_list("budget_won", "period_start", "period_end"):
        numbers |= _numbers_in(fmt.cheon(row[0]), fmt.period_text(row[1], row[2]))
    for won, start, end in GeneralStatus.objects.values_list("budget_won", "head_term_start",
                                                             "head_term_end"):
        numbers |= _numbers_in(fmt.eok(won, 1), fmt.term_text(start, end))
    # '24～'26: the three plan years, as the plan table's heading writes them.
    numbers |= {D(year % 100) for year in Target.objects.values_list("year", flat=True)}
    for model, fields in [(Narrative, ["text", "label"]), (Target, ["note", "state"]),
                          (Result, ["note", "state"]), (HeadlineTarget, ["label"]),
                          (Program, ["name", "target_group", "purpose"]),
                          (UnitProject, ["name", "note"]), (Indicator, ["measurement"]),
                          (Institution, ["address", "name"]),
                          (GeneralStatus, ["organization"])]:
        for row in model.objects.values_list(*fields):
            numbers |= _numbers_in(*row)
    return numbers


def _computed_numbers(institution):
    numbers = set()
    for year in (2023, 2024):
        book = year_figures(institution, year)
        for program in book.programs:
            numbers |= _numbers_in(*(fmt.unit_total(total)
                                     for total in program.unit_totals.values()))
            for figure in program.indicators:
                numbers |= _numbers_in(fmt.rate(figure.achievement), fmt.change(figure.change))
    return numbers


def test_loading_twice_is_refused_and_changes_nothing(institution):
    before = Indicator.objects.count()
    with pytest.raises(CommandError):
        call_command("load_document")
    assert Indicator.objects.count() == before


def test_load_document_command_loads_a_document(db, tmp_path, document_data):
    import json

    copy = dict(document_data, institution=dict(document_data["institution"], code="copy"))
    path = tmp_path / "copy.json"
    path.write_text(json.dumps(copy, default=float, ensure_ascii=False), encoding="utf-8")
    call_command("load_document", str(path))
    assert Plan.objects.filter(institution__code="copy").count() == 2
    assert Program.objects.filter(category__plan__institution__code="copy").count() == 26
    assert Target.objects.filter(
        unit_project__program__category__plan__institution__code="copy",
        unit_project__name="돌봄종합정보상담", year=2026).get().value == 250
