"""The expected evaluation: the 2023 document's score under each shipped
scheme, 편차 with the past years, 당초 and 변경 targets, the schemes'
invariants, the difficulty warnings, and the pages."""

from datetime import date
from decimal import Decimal as D
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from goals import scoring
from goals.evaluation import TargetSimulator, evaluation, histories
from goals.models import (Category, EvaluationScheme, GradeBand, Indicator, PastResult, Period,
                          PeriodLocked, Plan, Program, Result, SchemeIndicator, Target,
                          TargetRevision)
from goals.schemes import SchemeDocumentError, load_schemes, read_schemes
from goals.selectors import year_figures
from goals.synthetic import build_synthetic_plan
from tests.support.entry_fixtures import approved_results, approver, make_user, staff  # noqa: F401

pytestmark = pytest.mark.django_db

PROVINCE = "도 출연기관 (가–마)"
MINISTRY = "보건복지부 사회서비스원 (S–D)"


@pytest.fixture
def schemes(institution):
    """The two example schemes of 2023 and 2024, as `make run` loads them."""
    return {(scheme.year, scheme.name): scheme for scheme in load_schemes(read_schemes())}


def scheme_of(schemes, year, name):
    return schemes[(year, name)]


def rows_by_name(result):
    return {row.indicator.measurement: row for row in result.evaluated}


def indicator_2024(measurement):
    return Indicator.objects.get(program__category__plan__year=2024, measurement=measurement)


# The 2023 document under the shipped schemes ------------------------------------


def test_2023_under_the_province_example_scores_100_and_grade_ga(institution, schemes):
    # Every 2023 target was met; the province's example caps 목표대비실적 at 100%,
    # so each of the 16 indicators earns its full 배점: 100.00, 가.
    result = evaluation(institution, 2023, scheme_of(schemes, 2023, PROVINCE).pk)
    assert result.problems == []
    assert len(result.evaluated) == 16
    assert {row.score for row in result.evaluated} == {D("100.00")}
    assert (result.total, result.grade) == (D("100.00"), "가")
    assert [category.points for category in result.categories] == [
        D(20), D(16), D(22), D(26), D(16)]


def test_2023_under_the_ministry_example_scores_103_59_and_grade_s(institution, schemes):
    # The ministry's example caps at 110%: 82회 against 56회 (146%) earns 110,
    # 53/50 earns 106, 71/70 earns 101.43 → 배점 8 × 101.43 ÷ 100 = 8.11.
    result = evaluation(institution, 2023, scheme_of(schemes, 2023, MINISTRY).pk)
    rows = rows_by_name(result)
    assert (rows["지원사업 횟수"].score, rows["지원사업 횟수"].points) == (D("110.00"), D("11.00"))
    assert (rows["교육실시 횟수"].score, rows["교육실시 횟수"].points) == (D("106.00"), D("8.48"))
    assert (rows["운영 건수"].score, rows["운영 건수"].points) == (D("101.43"), D("8.11"))
    assert (rows["만족도 점수"].score, rows["만족도 점수"].points) == (D("110.00"), D("8.80"))
    assert rows["진척도"].score == 100  # 구축완료 reached
    # 편차 needs five past years; 2023 is the first on record: said, and the
    # scheme's fallback (목표대비실적) scores it.
    assert rows["지원사업 횟수"].note == "과거 실적 없음(5년 필요): 목표대비실적으로 대체"
    assert rows["지원사업 횟수"].expected.method == scoring.TARGET
    assert (result.total, result.grade) == (D("103.59"), "S")
    assert result.next_band is None


def test_the_shipped_schemes_are_marked_as_examples(schemes):
    assert len(schemes) == 4
    for scheme in schemes.values():
        assert scheme.is_example
        assert scheme.problems() == []
        assert "(예시)" in str(scheme)
    ministry = scheme_of(schemes, 2024, MINISTRY)
    assert [(band.label, band.lower_bound) for band in ministry.bands.all()] == [
        ("S", 95), ("A", 85), ("B", 75), ("C", 65), ("D", 0)]


def test_a_scheme_document_with_an_unknown_indicator_loads_nothing(institution):
    data = read_schemes()
    data["schemes"][1]["indicators"][0]["measurement"] = "없는 지표"
    with pytest.raises(SchemeDocumentError, match="없는 지표"):
        load_schemes(data)
    assert not EvaluationScheme.objects.exists()


# The year so far: pace, forecast, past years --------------------------------------


def enter(indicator, **quarters):
    """Results of `indicator`'s quarters, approved: the evaluation counts
    approved values only."""
    approved_results(indicator, {int(period[1]): value for period, value in quarters.items()})


def test_2024_forecast_from_two_quarters(institution, schemes):
    support = indicator_2024("지원사업횟수")
    enter(support, q1=15, q2=17)
    result = evaluation(institution, 2024, scheme_of(schemes, 2024, PROVINCE).pk, quarter=2)
    row = rows_by_name(result)["지원사업횟수"]
    # 32회 after Q2: 64회 at year end (62 if Q1's 15 repeats, 66 if Q2's 17 does),
    # against 60회: 106.67% capped at 100.
    assert (row.forecast.value, row.forecast.low, row.forecast.high) == (D(64), D(62), D(66))
    assert (row.score_now, row.score, row.points) == (D("100.00"), D("100.00"), D("8.00"))
    assert (row.score_low, row.score_high) == (D("100.00"), D("100.00"))
    # The other 20 indicators have no result yet: they count as 0.
    assert len(result.unscored) == 20
    assert result.unscored_weight == 92
    assert (result.total, result.grade) == (D("8.00"), "마")
    assert result.movers[0].lost == 8  # 배점 8, nothing entered


def test_a_year_without_results_has_no_total(institution, schemes):
    result = evaluation(institution, 2024, scheme_of(schemes, 2024, PROVINCE).pk)
    assert result.total is None and result.grade is None


def test_deviation_with_five_past_years(institution, schemes):
    # 2019–2022 entered as past results, 2023 from the plan (82회): 기준치 =
    # max(82, (50 + 52 + 82) ÷ 3) = 82; σ = 16.58; k = 2 (주요사업):
    # 최고목표 115.15, 최저목표 48.85. 64회 forecast → 평점 38.28, 득점 8 × 38.28 ÷ 100 = 3.06.
    support = indicator_2024("지원사업횟수")
    for year, value in [(2019, 40), (2020, 44), (2021, 50), (2022, 52)]:
        PastResult.objects.create(indicator=support, year=year, value=D(value))
    assert histories(year_figures(institution, 2024))[support.pk] == {
        2019: 40, 2020: 44, 2021: 50, 2022: 52, 2023: 82}
    enter(support, q1=15, q2=17)
    result = evaluation(institution, 2024, scheme_of(schemes, 2024, MINISTRY).pk, quarter=2)
    row = rows_by_name(result)["지원사업횟수"]
    assert row.expected.method == scoring.DEVIATION and row.note == ""
    assert (scoring.rounded(row.bounds.baseline), scoring.rounded(row.bounds.best),
            scoring.rounded(row.bounds.worst)) == (D("82.00"), D("115.15"), D("48.85"))
    assert (row.score, row.points) == (D("38.28"), D("3.06"))
    assert (row.score_low, row.score_high) == (D("35.87"), D("40.70"))


def test_past_years_of_earlier_plans_come_through_the_chain(db):
    # 2025 continues 2024, which continues 2023: their results are the 2025
    # indicator's past years, and a past result fills a year before them.
    institution = build_synthetic_plan(indicators=5, year=2025, code="chain")
    this_year = Indicator.objects.filter(program__category__plan__year=2025).first()
    last_year = this_year.previous
    plan_2023 = Plan.objects.create(institution=institution, year=2023)
    program = Program.objects.create(category=Category.objects.create(
        plan=plan_2023, order=1, name="분야"), number=1, name="사업")
    two_years_ago = Indicator.objects.create(program=program, measurement="지표")
    Indicator.objects.filter(pk=last_year.pk).update(previous=two_years_ago)
    Result.objects.create(indicator=two_years_ago, period=Period.YEAR, value=D(21))
    PastResult.objects.create(indicator=this_year, year=2021, value=D(11))
    # The synthetic 2024 result of the first indicator (a score) is 81점.
    assert histories(year_figures(institution, 2025))[this_year.pk] == {
        2021: 11, 2023: 21, 2024: 81}


def test_evaluation_reads_a_fixed_number_of_queries(institution, schemes):
    def count(function):
        with CaptureQueriesContext(connection) as context:
            function()
        return len(context.captured_queries)

    document = count(lambda: evaluation(institution, 2024))
    big = build_synthetic_plan(indicators=500)
    plan_indicators = Indicator.objects.filter(program__category__plan__institution=big,
                                               program__category__plan__year=2024)
    scheme = EvaluationScheme.objects.create(institution=big, year=2024, name="합성")
    SchemeIndicator.objects.bulk_create(
        SchemeIndicator(scheme=scheme, indicator=indicator, weight=D("0.2"),
                        method=SchemeIndicator.Method.DEVIATION if n % 2 else "target")
        for n, indicator in enumerate(plan_indicators))
    GradeBand.objects.create(scheme=scheme, order=1, label="A", lower_bound=0)
    result = None

    def read():
        nonlocal result
        result = evaluation(big, 2024)

    synthetic = count(read)
    assert len(result.evaluated) == 500 and result.problems == []
    assert synthetic <= document + 2  # the chain of last year's unit projects and results
    assert synthetic <= 22


# 당초 and 변경 -------------------------------------------------------------------------


def revise(target, value, approver, reason="사업 축소에 따른 조정"):
    revision = TargetRevision(target=target, value=D(value), reason=reason,
                              approved_by=approver, approved_on=date(2024, 6, 30))
    revision.full_clean()
    revision.save()
    return revision


def test_a_revised_target_is_used_and_the_original_kept(institution, schemes, approver):
    support = indicator_2024("지원사업횟수")
    target = Target.objects.get(indicator=support, year=2024)
    revise(target, 70, approver)
    figure = next(figure for figure in year_figures(institution, 2024).indicators
                  if figure.indicator == support)
    assert (figure.original_target, figure.target, figure.is_revised) == (60, 70, True)
    enter(support, q1=35, q2=35, q3=0, q4=0)
    assert figure.indicator.pk == support.pk
    book = year_figures(institution, 2024)
    assert next(f.achievement for f in book.indicators if f.indicator == support) == 100
    province = scheme_of(schemes, 2024, PROVINCE)
    row = rows_by_name(evaluation(institution, 2024, province.pk, quarter=4))["지원사업횟수"]
    assert (row.target, row.score) == (70, D("100.00"))
    province.target_basis = EvaluationScheme.TargetBasis.ORIGINAL
    province.save()
    row = rows_by_name(evaluation(institution, 2024, province.pk, quarter=4))["지원사업횟수"]
    assert row.target == 60  # 70 against 60, capped at 100
    # The original stays: changing it now is refused, whatever the path.
    target.refresh_from_db()
    target.value = D(65)
    with pytest.raises(ValidationError, match="당초"):
        target.save()
    assert Target.objects.get(pk=target.pk).value == 60
    with pytest.raises(ValidationError, match="당초"):
        target.delete()
    assert target.history.count() == 1  # as loaded
    assert TargetRevision.history.filter(target=target).count() == 1


def test_a_revision_needs_a_reason_and_an_approver(institution, staff, approver):
    target = Target.objects.get(indicator=indicator_2024("지원사업횟수"), year=2024)
    with pytest.raises(ValidationError) as refused:
        revise(target, 70, approver, reason="  ")
    assert refused.value.message_dict["reason"] == ["변경 사유를 입력하세요."]
    with pytest.raises(ValidationError) as refused:
        revise(target, 70, staff)
    assert refused.value.message_dict["approved_by"] == ["이 기관의 승인자만 목표 변경을 승인할 수 있습니다."]
    with pytest.raises(ValidationError) as refused:
        revise(target, 60, approver)
    assert "지금 목표와 같습니다" in refused.value.message_dict["value"][0]
    with pytest.raises(ValidationError) as refused:
        revise(Target.objects.get(indicator__measurement="직접고용비율", year=2024), 150, approver)
    assert refused.value.message_dict["value"] == ["100 이하여야 합니다."]
    assert not TargetRevision.objects.exists()
    # Nor through a path that skips the form's checks.
    with pytest.raises(ValidationError) as refused:
        TargetRevision(target=target, value=D(70), reason="  ", approved_by=approver,
                       approved_on=date(2024, 6, 30)).save()
    assert refused.value.message_dict["reason"] == ["변경 사유를 입력하세요."]
    assert not TargetRevision.objects.exists()


def test_a_revision_in_a_closed_year_is_refused(institution, approver):
    target = Target.objects.get(indicator__measurement="지원사업 횟수", year=2023)
    with pytest.raises(ValidationError, match="마감된 연도"):
        revise(target, 50, approver)
    with pytest.raises(PeriodLocked):
        TargetRevision(target=target, value=D(50), reason="사유", approved_by=approver,
                       approved_on=date(2023, 6, 30)).save()


# Schemes refuse what would make them unusable ------------------------------------------


def test_weights_that_do_not_add_up_and_bands_out_of_order(institution, schemes):
    scheme = scheme_of(schemes, 2024, PROVINCE)
    item = scheme.items.first()
    item.weight += 1
    item.save()
    GradeBand.objects.filter(scheme=scheme, label="나").update(lower_bound=96)
    assert scheme.problems() == [
        "배점의 합이 101점으로, 배점 합계 100점과 다릅니다.",
        "등급 구간의 하한은 높은 등급부터 낮아져야 합니다. 하한이 같거나 순서가 뒤바뀐 구간이 있습니다."]
    result = evaluation(institution, 2024, scheme.pk)
    assert result.grade is None  # no grade from an unusable scheme
    out = StringIO()
    with pytest.raises(CommandError):
        call_command("check_plan", "2024", stdout=out)
    assert f"- 평가 체계 {scheme}: 배점의 합이 101점으로" in out.getvalue()
    assert f"- 평가 체계 {scheme}: 등급 구간의 하한은 높은 등급부터 낮아져야 합니다." in out.getvalue()


def test_the_lowest_band_reaches_zero(institution, schemes):
    scheme = scheme_of(schemes, 2024, MINISTRY)
    GradeBand.objects.filter(scheme=scheme, label="D").delete()
    assert scheme.problems() == ["가장 낮은 등급의 하한은 0이어야 합니다. 그래야 모든 총점에 등급이 있습니다."]


def item_for(scheme, measurement, **fields):
    return SchemeIndicator(scheme=scheme, indicator=Indicator.objects.get(
        program__category__plan__year=scheme.year, measurement=measurement), weight=D(1),
        **fields)


def test_scheme_items_refuse_bad_parameters(institution):
    scheme = EvaluationScheme.objects.create(institution=institution, year=2023, name="시험")
    with pytest.raises(ValidationError) as refused:
        item_for(scheme, "진척도", method=SchemeIndicator.Method.DEVIATION).full_clean()
    assert refused.value.message_dict["method"] == ["단계·정성 지표는 목표대비실적으로만 평가합니다."]
    with pytest.raises(ValidationError) as refused:
        item_for(scheme, "공시율", method=SchemeIndicator.Method.RATIO, ratio_high=D(1),
                 ratio_low=D(1)).full_clean()
    assert "최고목표와 최저목표가 같아집니다" in refused.value.message_dict["ratio_high"][0]
    with pytest.raises(ValidationError) as refused:
        item_for(scheme, "공시율", method=SchemeIndicator.Method.DEVIATION, k_high=D(0),
                 k_low=D(0)).full_clean()
    assert "최고목표와 최저목표가 같아집니다" in refused.value.message_dict["k_high"][0]
    with pytest.raises(ValidationError) as refused:
        item_for(scheme, "공시율", cap=D(90)).full_clean()
    assert "100% 이상" in refused.value.message_dict["cap"][0]
    other_year = SchemeIndicator(scheme=scheme, indicator=indicator_2024("지원사업횟수"),
                                 weight=D(1))
    with pytest.raises(ValidationError) as refused:
        other_year.full_clean()
    assert "같은 연도 계획의 성과지표" in refused.value.message_dict["indicator"][0]


def test_a_method_without_its_years_and_no_fallback_is_listed(institution, schemes):
    scheme = scheme_of(schemes, 2024, MINISTRY)
    scheme.items.filter(indicator__measurement="만족도 점수").update(
        fallback=SchemeIndicator.Fallback.NONE)
    result = evaluation(institution, 2024, scheme.pk)
    assert result.problems == [
        "만족도 점수: 목표부여(편차) 방식에는 최근 5년의 실적이 필요한데 1년뿐입니다. 과거 실적을 입력하거나 "
        "대체 방식을 정하세요."]
    assert rows_by_name(result)["만족도 점수"].score is None
    out = StringIO()
    with pytest.raises(CommandError):
        call_command("check_plan", "2024", stdout=out)
    assert (f"- 평가 체계 {scheme}: 만족도 점수: 목표부여(편차) 방식에는 최근 5년의 실적이 필요한데 "
            "1년뿐입니다.") in out.getvalue()


def test_equal_best_and_worst_targets_without_a_fallback_are_listed(institution, schemes):
    # 82회 in each of 2019–2023: σ = 0, so 최고목표 = 최저목표 = 82 and no 평점 can be
    # placed between them.
    scheme = scheme_of(schemes, 2024, MINISTRY)
    support = indicator_2024("지원사업횟수")
    scheme.items.filter(indicator=support).update(fallback=SchemeIndicator.Fallback.NONE)
    for year in (2019, 2020, 2021, 2022):
        PastResult.objects.create(indicator=support, year=year, value=D(82))
    message = ("지원사업횟수: 과거 실적에 변동이 없어 최고목표와 최저목표가 같습니다. 평점을 낼 수 "
               "없으니 대체 방식을 정하세요.")
    result = evaluation(institution, 2024, scheme.pk)
    assert result.problems == [message]
    row = rows_by_name(result)["지원사업횟수"]
    assert row.bounds.best == row.bounds.worst == 82 and row.score is None
    out = StringIO()
    with pytest.raises(CommandError):
        call_command("check_plan", "2024", stdout=out)
    assert f"- 평가 체계 {scheme}: {message}" in out.getvalue()


# Past results --------------------------------------------------------------------------


def test_past_results_are_for_years_no_plan_holds(institution):
    support = indicator_2024("지원사업횟수")
    with pytest.raises(ValidationError) as refused:
        PastResult(indicator=support, year=2023, value=D(80)).full_clean()
    assert refused.value.message_dict["year"] == [
        "2023년 실적은 2023년 계획의 성과지표 '지원사업 횟수'에 있습니다."]
    with pytest.raises(ValidationError) as refused:
        PastResult(indicator=support, year=2024, value=D(80)).full_clean()
    assert refused.value.message_dict["year"] == ["과거 실적은 2014년부터 2023년까지 입력합니다."]
    stated = Indicator.objects.get(program__category__plan__year=2024, measurement="운영 건수",
                                   program__name__contains="안전")
    with pytest.raises(ValidationError) as refused:
        PastResult(indicator=stated, year=2023, value=D(56)).full_clean()
    assert refused.value.message_dict["year"] == ["전년 실적은 성과지표의 '전년 실적' 칸에 있습니다."]
    rate = indicator_2024("직접고용비율")
    with pytest.raises(ValidationError) as refused:
        PastResult(indicator=rate, year=2020, value=D(120)).full_clean()
    assert refused.value.message_dict["value"] == ["100 이하여야 합니다."]
    PastResult(indicator=support, year=2019, value=D(40)).full_clean()


def test_past_results_of_a_closed_year_stay(institution):
    last_year = Indicator.objects.get(program__category__plan__year=2023,
                                      measurement="지원사업 횟수")
    with pytest.raises(PeriodLocked):
        PastResult.objects.create(indicator=last_year, year=2020, value=D(40))


# Difficulty warnings -------------------------------------------------------------------


def test_the_plan_check_warns_of_targets_below_last_year(institution):
    out = StringIO()
    with pytest.raises(CommandError):
        call_command("check_plan", "2024", stdout=out)
    warnings = [line for line in out.getvalue().splitlines() if line.startswith("! ")]
    assert len(warnings) == 5
    assert ("! 【사회서비스 공공성 강화】 ① 수탁기관 운영 활성화 지원 · 지원사업횟수: "
            "목표(60회)가 전년 실적(82회)보다 낮습니다.") in warnings
    assert any("만족도 점수: 목표(85점)가 전년 실적(94.4점)보다 낮습니다." in line for line in warnings)
    # Last year's result in last year's unit, as the document printed it (53회 where 2024 counts 건).
    assert any("교육실시 건수: 목표(50건)가 전년 실적(53회)보다 낮습니다." in line for line in warnings)
    # Warnings, not contradictions: the count of those stays the document's sixteen
    # (tests/reports/test_check_plan.py).
    assert len([line for line in out.getvalue().splitlines() if line.startswith("- ")]) == 16


def test_a_target_below_the_baseline_but_above_last_year(institution):
    # 2021–2023: 90, 88, 50 → 기준치 = max(50, 76) = 76; a target of 60 is above
    # last year's 50 but below 기준치.
    care = indicator_2024("지원사업횟수")
    for year, value in [(2019, 10), (2020, 10), (2021, 90), (2022, 88)]:
        PastResult.objects.create(indicator=care, year=year, value=D(value))
    Indicator.objects.filter(pk=care.pk).update(baseline_actual=D(50))
    rows = {row.indicator.pk: row for row in TargetSimulator(institution, 2024).rows()}
    row = rows[care.pk]
    assert (row.last_year, scoring.rounded(row.baseline)) == (D(50), D("76.00"))
    assert row.warning == "목표(60회)가 기준치(76회: 전년 실적과 최근 3년 평균 중 높은 값)보다 낮습니다."
    assert TargetSimulator(institution, 2024).rows({care.pk: D(80)})[2].warning is None


def test_the_simulator_scores_a_proposed_target(institution, schemes):
    support = indicator_2024("지원사업횟수")
    for year, value in [(2019, 40), (2020, 44), (2021, 50), (2022, 52)]:
        PastResult.objects.create(indicator=support, year=year, value=D(value))
    simulator = TargetSimulator(institution, 2024, scheme_of(schemes, 2024, MINISTRY).pk)
    row = next(row for row in simulator.rows({support.pk: D(90)})
               if row.indicator == support)
    # Met, 90회 lies between 최저목표 48.85 and 최고목표 115.15: 20 + 80 × 41.15 ÷ 66.31.
    assert scoring.rounded(row.if_met.score) == D("69.65")
    assert scoring.rounded(row.if_last_year.score) == D("60.00")  # 82회 again: 기준치, halfway
    assert row.warning is None
    soft = next(row for row in simulator.rows() if row.indicator == support)
    assert soft.warning == "목표(60회)가 전년 실적(82회)보다 낮습니다."
