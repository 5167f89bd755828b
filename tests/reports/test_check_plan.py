"""check_plan finds the contradictions inside the document, and none in
consistent data."""

from decimal import Decimal as D

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from goals.consistency import find_contradictions
from goals.models import HeadlineTarget, Indicator, Program, Target, UnitProject
from goals.selectors import year_figures

pytestmark = pytest.mark.django_db


def run_check(year):
    from io import StringIO

    out = StringIO()
    try:
        call_command("check_plan", str(year), stdout=out)
    except CommandError as error:
        return error.returncode, out.getvalue()
    return 0, out.getvalue()


def test_the_document_contradictions_are_found(institution):
    code, out = run_check(2024)
    assert code == 1
    lines = [line for line in out.splitlines() if line.startswith("- ")]
    assert len(lines) == 16
    text = "\n".join(lines)
    # 공통지표 ①: the summary page says 2건, the table and plan say 3건.
    assert "① 도·공기업 출연기관 간 협력 네트워크 구축: 요약 목표는 2건인데" in text
    assert "2024년 목표는 3건" in text
    # 공통지표 ②: the plan table says 1건 against the table's 2건.
    assert "협업사업 건수: 2024년 단위사업 계획의 계는 1건인데, 성과지표 목표는 2건" in text
    # 인권보호체계: 1건(1건) and still 신규.
    assert "교육실시 건수: 신규 지표인데 전년 실적(전년 목표) 칸에 값이 있습니다: 1건(1건)" in text
    # 컨설팅: 41회(40회) against 71건(70건) in the 2023 results table.
    assert "41회(40회)인데, 전년도 실적표의 값은 71건(70건)" in text
    # 억원 rounded inconsistently.
    assert "0.28억원인데, 사업개요의 28,517천원은 0.29억원" in text
    assert "1억원인데, 사업개요의 102,100천원은 1.02억원" in text
    assert "0.1억원인데, 사업개요의 10,660천원은 0.11억원" in text
    assert "0.198억원인데, 사업개요의 19,800천원은 0.20억원" in text
    # The kinds domain.md does not list. Last year's figures in another unit:
    assert "교육실시 건수: 목표는 50건인데 전년 실적(전년 목표)은 다른 단위로 53회(50회)입니다." in text
    assert "운영 건수: 목표는 40건인데 전년 실적(전년 목표)은 다른 단위로 41회(40회)입니다." in text
    assert "교육실시 건수: 목표는 20회인데 전년 실적(전년 목표)은 다른 단위로 1건(1건)입니다." in text
    # 동일 between two units:
    assert "전년목표 대비 '동일'은(는) 단위가 다른 두 값(50건, 50회)을 견준 것입니다." in text
    assert "전년목표 대비 '동일'은(는) 단위가 다른 두 값(40건, 40회)을 견준 것입니다." in text
    # A 2023 figure the 2023 results table does not have (안전확보 56건(56건)):
    assert ("③ 사회서비스기관 종사자 및 이용자 안전확보 · 운영 건수: 전년 실적(전년 목표) 56건(56건)이(가) "
            "전년도 실적표의 어느 지표에도 없습니다.") in text
    # An indicator the three-year plan does not carry (돌봄 사업 건수 2건; the plan has 명 and 회):
    assert "사업 건수: 3개년 추진계획에 이 지표(2건)를 채우는 단위사업이 없습니다(계획의 단위: 명, 회)." in text
    # A summary figure that is no indicator's target:
    assert "② 전북 복지자원 플랫폼 추진: 요약의 100회(돌봄종합정보상담)은(는) 어느 성과지표의 목표도 아닙니다" in text


def test_the_2023_plan_is_consistent(institution):
    code, out = run_check(2023)
    assert code == 0
    assert "모순이 없습니다" in out


def test_fixing_the_document_leaves_nothing_to_find(institution):
    plan = institution.plans.get(year=2024)
    HeadlineTarget.objects.filter(program__category__plan=plan, value=2,
                                  indicator__measurement="협력사업 건수").update(value=3)
    cooperation = Indicator.objects.get(program__category__plan=plan,
                                        measurement="협업사업 건수")
    unit_target = Target.objects.get(unit_project__indicator=cooperation, year=2024)
    unit_target.value = D(2)
    unit_target.save()
    Indicator.objects.filter(program__category__plan=plan, measurement="교육실시 건수",
                             is_new=True).update(baseline_actual=None, baseline_target=None,
                                                 baseline_unit="")
    Indicator.objects.filter(program__category__plan=plan, measurement="운영 건수",
                             baseline_actual=41).update(baseline_actual=71, baseline_target=70,
                                                        baseline_unit="건")
    Indicator.objects.filter(program__category__plan=plan, measurement="교육실시 건수",
                             baseline_actual=53).update(baseline_unit="건", baseline_target=50)
    Indicator.objects.filter(program__category__plan=plan, measurement="운영 건수",
                             baseline_actual=56).update(baseline_actual=None,
                                                        baseline_target=None, is_new=True)
    care = Indicator.objects.get(program__category__plan=plan, measurement="사업 건수",
                                 program__name="전북형 돌봄 체계화 및 고도화")
    unit = UnitProject.objects.create(program=care.program, order=9, name="협력사업",
                                      unit="건", indicator=care)
    Target.objects.create(unit_project=unit, year=2024, value=D(2))
    HeadlineTarget.objects.filter(program__category__plan=plan, indicator=None,
                                  unit_project__indicator=None).delete()
    for program in Program.objects.filter(category__plan=plan).exclude(budget_won=None):
        program.stated_budget_eok = D(program.budget_won) / 10**8
        program.stated_budget_eok = program.stated_budget_eok.quantize(D("0.01"))
        program.save()
    assert find_contradictions(year_figures(institution, 2024)) == []
    assert run_check(2024)[0] == 0


def test_unknown_year_is_an_error(institution):
    with pytest.raises(CommandError):
        call_command("check_plan", "2030")
