"""The figures module: every figure the document prints, and the edges it does not."""

from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from goals import figures
from goals import formatting as fmt


@pytest.mark.parametrize("actual, target, printed", [
    ("82", "56", "146%"),
    ("6", "2", "300%"),
    ("53", "50", "106%"),
    ("88.3", "80", "110%"),
    ("71", "70", "101%"),
    ("94.4", "82", "115%"),
    ("2", "2", "100%"),
    ("25", "25", "100%"),
])
def test_achievement_rates_of_the_2023_table(actual, target, printed):
    assert fmt.rate(figures.achievement(D(target), D(actual))) == printed


def test_a_milestone_reached_is_100_percent():
    assert figures.achievement("구축완료", "구축완료") == 100
    assert fmt.rate(figures.achievement("구축완료", "구축완료")) == "100%"


def test_achievement_is_not_capped():
    assert figures.achievement(D(2), D(6)) == 300


@pytest.mark.parametrize("this, last, printed", [
    ("60", "56", "7.1%증"),
    ("59", "56", "5.4%증"),
    ("85", "82", "3.7%증"),
    ("4", "2", "100%증"),
    ("3", "2", "50%증"),
    ("2", "1", "100%증"),
    ("100", "100", "동일"),
    ("40", "40", "동일"),
    ("50", "50", "동일"),
    ("25", "25", "동일"),
    ("56", "60", "6.7%감"),
])
def test_change_against_last_years_target(this, last, printed):
    assert fmt.change(figures.change(D(this), D(last))) == printed


def test_change_without_last_year_is_new():
    assert fmt.change(figures.change(D(7), None)) == "신규"


def test_an_indicator_planned_as_new_is_new_whatever_last_year_says():
    assert fmt.change(figures.change(D(20), D(1), is_new=True)) == "신규"


def test_change_of_qualitative_targets():
    assert figures.change("상시", "상시").kind == figures.SAME
    assert figures.change("상시", "구축완료").kind == figures.CHANGED
    assert figures.change(D(2), "상시").kind == figures.CHANGED


def test_change_from_a_target_of_zero_has_a_direction_but_no_percentage():
    assert figures.change(D(3), D(0)) == figures.Change(figures.INCREASE)
    assert fmt.change(figures.change(D(3), D(0))) == "증"
    assert figures.change(D(0), D(0)).kind == figures.SAME


def test_unit_projects_add_up_unit_by_unit():
    care = [(D(25), "명"), (D(110), "명"), (D(12), "회"), (D(4), "회")]
    assert fmt.unit_total(figures.total_by_unit(care)) == "135명/16회"
    care_2025 = [(D(30), "명"), (D(120), "명"), (D(12), "회"), (D(6), "회")]
    assert fmt.unit_total(figures.total_by_unit(care_2025)) == "150명/18회"


def test_a_qualitative_unit_target_stands_beside_the_sum():
    innovation_2026 = [(D(2), "회"), ("상시", "회"), (D(2), "회"), (D(2), "회")]
    assert fmt.unit_total(figures.total_by_unit(innovation_2026)) == "6회, 상시"


def test_quarters_roll_up_by_the_indicators_rule():
    quarters = [D(10), D(20), None, D(15)]
    assert figures.rollup(quarters, figures.SUM) == 45
    assert figures.rollup(quarters, figures.LATEST) == 15
    assert figures.rollup(quarters, figures.AVERAGE) == 15
    assert figures.rollup([None, None], figures.SUM) is None


def test_a_count_at_40_percent_after_q2_is_behind_a_straight_line_pace():
    pace = figures.pace(D(24), D(60), quarter=2, rule=figures.SUM)
    assert pace.status == figures.BEHIND
    assert pace.progress == 40
    assert pace.expected == 50


def test_a_satisfaction_score_is_judged_against_its_target_not_a_straight_line():
    # 85점 reached in Q1 is on target, although a straight line would say 25%.
    assert figures.pace(D(85), D(85), quarter=1, rule=figures.LATEST).status == figures.ON_TRACK
    assert figures.pace(D(80), D(85), quarter=1, rule=figures.LATEST).status == figures.BEHIND
    assert figures.pace(D("94.4"), D(85), quarter=3, rule=figures.LATEST).status == figures.AHEAD


def test_pace_without_a_value_is_not_entered():
    assert figures.pace(None, D(60), quarter=1, rule=figures.SUM).status == figures.NOT_ENTERED
    assert figures.pace(D(3), None, quarter=1, rule=figures.SUM).status == figures.NO_TARGET


def test_at_the_years_end_a_target_is_met_or_not():
    # The document's 2023: 82회 of 56회 (146%), 71건 of 70건 (101%) are met.
    assert figures.final_status(figures.achievement(D(56), D(82))) == figures.ACHIEVED
    assert figures.final_status(figures.achievement(D(70), D(71))) == figures.ACHIEVED
    assert figures.final_status(figures.achievement("구축완료", "구축완료")) == figures.ACHIEVED
    assert figures.final_status(D(100)) == figures.ACHIEVED
    # Just short is short, though 99.6% prints as 100%.
    assert figures.final_status(D("99.6")) == figures.NOT_ACHIEVED
    assert figures.final_status(D(0)) == figures.NOT_ACHIEVED
    # Lower is better: 12 accidents against a ceiling of 10 is not met.
    assert figures.final_status(figures.achievement(D(10), D(12), figures.LOWER)) == \
        figures.NOT_ACHIEVED
    assert figures.final_status(None) == figures.NOT_ENTERED
    assert [fmt.pace(status) for status in (figures.ACHIEVED, figures.NOT_ACHIEVED)] == [
        "달성", "미달"]


def test_lower_is_better():
    # Five accidents against a ceiling of ten is better than the target.
    assert figures.achievement(D(10), D(5), figures.LOWER) == 150
    assert figures.achievement(D(10), D(10), figures.LOWER) == 100
    assert figures.achievement(D(10), D(30), figures.LOWER) == 0
    assert figures.pace(D(8), D(10), quarter=2, rule=figures.SUM,
                        direction=figures.LOWER).status == figures.BEHIND
    assert figures.pace(D(2), D(10), quarter=2, rule=figures.SUM,
                        direction=figures.LOWER).status == figures.AHEAD


def test_money_in_cheon_and_eok():
    assert fmt.cheon(28_517_000) == "28,517"
    assert fmt.eok(28_517_000) == "0.29"
    assert fmt.eok(102_100_000) == "1.02"
    assert fmt.eok(19_800_000) == "0.20"
    assert fmt.eok(10_570_000_000, 1) == "105.7"


def test_quantities_and_baselines_read_as_in_the_document():
    assert fmt.quantity(D("60.00"), "회") == "60회"
    assert fmt.quantity(D("94.40"), "점") == "94.4점"
    assert fmt.quantity(D(1), "건", "2개소") == "1건(2개소)"
    assert fmt.baseline(D(82), D(56), "회") == "82회(56회)"
    assert fmt.baseline(None, None) == "-"


# Properties: no input makes the figures crash or divide by zero -------------

numbers = st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False,
                      allow_infinity=False)
values = st.one_of(st.none(), numbers, st.sampled_from(["구축완료", "추진중", "상시"]))
rules = st.sampled_from([figures.SUM, figures.LATEST, figures.AVERAGE])
directions = st.sampled_from([figures.HIGHER, figures.LOWER])
steps = ["미착수", "추진중", "구축완료"]


@given(target=values, actual=values, direction=directions)
def test_achievement_never_fails_and_never_negative(target, actual, direction):
    rate = figures.achievement(target, actual, direction, steps)
    assert rate is None or rate >= 0


@given(actual=numbers)
def test_a_target_of_zero_does_not_divide(actual):
    assert figures.achievement(D(0), actual) == 100
    assert figures.achievement(D(0), actual, figures.LOWER) in (0, 100)
    assert figures.change(actual, D(0)) is not None


@given(this=values, last=values, is_new=st.booleans())
def test_change_never_fails(this, last, is_new):
    result = figures.change(this, last, is_new)
    if result is not None and result.percent is not None:
        assert result.percent >= 0
        assert result.kind in (figures.INCREASE, figures.DECREASE)
    fmt.change(result)


@given(quarters=st.lists(st.one_of(st.none(), numbers), min_size=4, max_size=4), rule=rules)
def test_rollup_skips_missing_quarters(quarters, rule):
    entered = [value for value in quarters if value is not None]
    total = figures.rollup(quarters, rule)
    if not entered:
        assert total is None
    elif rule == figures.SUM:
        assert total == sum(entered)
    elif rule == figures.LATEST:
        assert total == entered[-1]
    else:
        assert min(entered) <= total <= max(entered)


@given(so_far=values, target=values, quarter=st.integers(1, 4), rule=rules,
       direction=directions)
def test_pace_always_has_a_status(so_far, target, quarter, rule, direction):
    pace = figures.pace(so_far, target, quarter, rule, direction, steps)
    assert pace.status in (figures.AHEAD, figures.ON_TRACK, figures.BEHIND,
                           figures.NOT_ENTERED, figures.NO_TARGET)


@given(items=st.lists(st.tuples(values, st.sampled_from(["회", "건", "명"])), max_size=12))
def test_unit_totals_keep_every_number(items):
    total = figures.total_by_unit(items)
    numeric = sum((value for value, _unit in items if isinstance(value, D)), D(0))
    assert sum((value for value, _unit in total.sums), D(0)) == numeric
    fmt.unit_total(total)


def test_pace_rejects_a_fifth_quarter():
    with pytest.raises(ValueError):
        figures.expected_share(5, figures.SUM)


def test_the_figures_module_does_not_import_django():
    import ast
    import inspect

    tree = ast.parse(inspect.getsource(figures))
    imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import)
                for alias in node.names}
    imported |= {node.module for node in ast.walk(tree)
                 if isinstance(node, ast.ImportFrom) and node.module}
    assert not any(name.startswith("django") for name in imported)


# A quarter's own value decides whether it can be judged ------------------------


def test_a_missing_quarter_is_not_entered_whatever_came_before():
    quarters = {1: D(30), 2: None, 3: None, 4: None}
    assert figures.pace_at(quarters, 2, D(40), figures.SUM).status == figures.NOT_ENTERED
    assert figures.pace_at(quarters, 1, D(40), figures.SUM).status == figures.AHEAD


def test_a_quarter_not_measured_is_skipped_not_zero():
    nm = figures.NOT_MEASURED
    assert figures.rollup([D(80), nm, D(90)], figures.AVERAGE) == D(85)
    assert figures.rollup([nm, nm], figures.SUM) is None
    assert figures.combine([nm, nm], figures.SUM) is nm
    assert figures.combine([nm, None], figures.SUM) is None  # a part without a value
    assert figures.combine([nm, D(2)], figures.SUM) == D(2)
    # A score measured once a year: before its survey it is 측정 전, never 0% 지연.
    score = {1: nm, 2: nm, 3: None, 4: None}
    assert figures.pace_at(score, 2, D(85), figures.LATEST).status == figures.UNMEASURED
    # A count not measured in Q2 is judged on the year so far.
    count = {1: D(20), 2: nm, 3: None, 4: None}
    pace = figures.pace_at(count, 2, D(40), figures.SUM)
    assert (pace.status, pace.progress) == (figures.ON_TRACK, D(50))


def test_a_confirmed_year_stands_for_a_missing_fourth_quarter():
    quarters = {1: D(10), 2: D(10), 3: None, 4: None}
    assert figures.pace_at(quarters, 4, D(40), figures.SUM,
                           confirmed=D(42)).status == figures.ON_TRACK
    assert figures.so_far(quarters, 4, figures.SUM, D(44)) == D(44)
    assert figures.so_far(quarters, 2, figures.SUM, D(44)) == D(20)


def test_values_that_look_like_mistakes():
    assert figures.unlikely(D(500), D(40), None, figures.SUM, True) == [figures.ABOVE_TARGET]
    assert figures.unlikely(D(120), D(40), None, figures.SUM, True) == []
    # A count kept as a running total does not go down.
    assert figures.unlikely(D(8), D(40), D(12), figures.LATEST, True) == [figures.DROP]
    assert figures.unlikely(D(8), D(40), D(12), figures.SUM, True) == []
    assert figures.unlikely(D(70), D(85), D(90), figures.LATEST, False) == []
    assert figures.unlikely(figures.NOT_MEASURED, D(1), None, figures.SUM, True) == []
    assert figures.unlikely(D(5), D(0), None, figures.SUM, True) == []


@given(quarters=st.lists(st.one_of(st.none(), st.just(figures.NOT_MEASURED),
                                   st.decimals(min_value=0, max_value=1000, places=1)),
                         min_size=4, max_size=4),
       quarter=st.sampled_from([1, 2, 3, 4]),
       rule=st.sampled_from([figures.SUM, figures.LATEST, figures.AVERAGE]),
       target=st.one_of(st.none(), st.decimals(min_value=0, max_value=1000, places=1)))
def test_pace_at_always_has_a_status_and_never_judges_a_missing_quarter(quarters, quarter, rule,
                                                                        target):
    by_quarter = dict(zip((1, 2, 3, 4), quarters))
    pace = figures.pace_at(by_quarter, quarter, target, rule)
    if target is not None and by_quarter[quarter] is None:
        assert pace.status == figures.NOT_ENTERED
    assert pace.status in (figures.AHEAD, figures.ON_TRACK, figures.BEHIND, figures.NOT_ENTERED,
                           figures.UNMEASURED, figures.NO_TARGET)


@given(quarters=st.lists(st.one_of(st.none(), st.just(figures.NOT_MEASURED), st.just("구축완료"),
                                   st.decimals(min_value=0, max_value=1000, places=1)),
                         min_size=4, max_size=4),
       rule=st.sampled_from([figures.SUM, figures.LATEST, figures.AVERAGE]),
       confirmed=st.one_of(st.none(), st.decimals(min_value=0, max_value=1000, places=1)))
def test_the_year_so_far_in_one_pass_is_the_roll_up_of_each_quarter(quarters, rule, confirmed):
    by_quarter = dict(zip((1, 2, 3, 4), quarters))
    assert figures.cumulative(by_quarter, rule, confirmed) == {
        quarter: figures.so_far(by_quarter, quarter, rule, confirmed) for quarter in (1, 2, 3, 4)}


# Achievement at its edges ------------------------------------------------------


def test_a_ceiling_of_zero_accidents_is_met_only_by_none():
    assert figures.achievement(D(0), D(0), figures.LOWER) == 100
    assert figures.achievement(D(0), D(1), figures.LOWER) == 0


def test_a_target_of_zero_is_missed_by_a_fall_below_it():
    # A net change kept at 0 or above: −1 misses it, nothing divides by zero.
    assert figures.achievement(D(0), D(-1)) == 0
    assert figures.achievement(D(0), D(0)) == 100


def test_a_number_against_a_state_has_no_achievement():
    assert figures.achievement(D(2), "상시") is None
    assert figures.achievement("구축완료", D(1)) is None


def test_a_milestone_is_achieved_by_its_share_of_the_steps():
    # 미착수 → 추진중 → 구축완료: halfway is 50%, not started is 0%.
    assert figures.achievement("구축완료", "추진중", steps=steps) == 50
    assert figures.achievement("구축완료", "미착수", steps=steps) == 0
    assert figures.achievement("추진중", "미착수", steps=steps) == 0
    # Past a target that is the first step is still the target reached.
    assert figures.achievement("미착수", "추진중", steps=steps) == 100


def test_a_milestone_not_reached_without_steps_is_0():
    assert figures.achievement("구축완료", "추진중") == 0
    assert figures.achievement("구축완료", "추진중", steps=["구축완료"]) == 0


# Change at its edges -------------------------------------------------------------


def test_the_change_is_kept_to_one_decimal_as_printed():
    # The XLSX carries the number itself: 7.1, not 7.142857…
    assert figures.change(D(60), D(56)) == figures.Change(figures.INCREASE, D("7.1"))
    assert figures.change(D(56), D(60)) == figures.Change(figures.DECREASE, D("6.7"))


def test_a_target_without_a_number_this_year_has_no_change():
    assert figures.change(None, D(56)) is None


# Rounding --------------------------------------------------------------------------


def test_rounding_goes_to_a_whole_number_unless_told():
    assert figures.round_half_up(D("146.43")) == D(146)
    assert figures.round_half_up(D("7.5")) == D(8)


def test_a_half_goes_up_as_in_korean_public_reports():
    # Banker's rounding would say 2, 0.28 and 6; the document says 3, 0.29 and 7.
    assert figures.round_half_up(D("2.5")) == D(3)
    assert figures.round_half_up(D("0.285"), 2) == D("0.29")
    assert figures.round_half_up(D("6.5")) == D(7)
    assert figures.round_half_up(D("7.142"), 1) == D("7.1")


@given(value=st.decimals(min_value=-10**6, max_value=10**6, places=4), places=st.integers(0, 3))
def test_rounding_moves_a_value_by_at_most_half_of_its_last_place(value, places):
    rounded = figures.round_half_up(value, places)
    half = D(1).scaleb(-places) / 2
    assert rounded.as_tuple().exponent == -places
    assert abs(rounded - value) <= half
    if abs(rounded - value) == half:  # a tie goes away from zero
        assert abs(rounded) > abs(value)


# Unit projects made into one indicator --------------------------------------------


def test_counts_of_unit_projects_add_up_and_rates_are_averaged():
    assert figures.combine([D(25), D(110)], figures.SUM) == 135
    assert figures.combine([D(80), D(90)], figures.AVERAGE) == 85
    assert figures.combine([D(80), D(90)], figures.LATEST) == 85


def test_a_state_of_one_unit_project_stands_alone():
    assert figures.combine(["구축완료"], figures.LATEST) == "구축완료"
    assert figures.combine(["구축완료", figures.NOT_MEASURED], figures.LATEST) == "구축완료"
    # Two states, or a state beside a number, make no one value.
    assert figures.combine(["구축완료", "추진중"], figures.LATEST) is None
    assert figures.combine(["상시", D(2)], figures.SUM) is None


def test_nothing_to_combine_is_unknown():
    assert figures.combine([], figures.SUM) is None
    assert figures.combine([None], figures.SUM) is None


@given(parts=st.lists(st.one_of(st.none(), st.just(figures.NOT_MEASURED), numbers), max_size=6),
       rule=rules)
def test_a_combined_value_is_the_sum_or_lies_between_its_parts(parts, rule):
    combined = figures.combine(parts, rule)
    entered = [part for part in parts if isinstance(part, D)]
    if not entered:
        assert combined is None or combined is figures.NOT_MEASURED
    elif rule == figures.SUM:
        assert combined == sum(entered)
    else:
        assert min(entered) <= combined <= max(entered)


# Totals and means across indicators and programs ----------------------------------


def test_budgets_add_up_skipping_a_program_without_one():
    budgets = [28_517_000, 102_100_000, 19_800_000, None]
    assert figures.total(budgets) == 150_417_000
    assert fmt.cheon(figures.total(budgets)) == "150,417"


def test_a_total_or_mean_of_nothing_known_is_unknown_not_zero():
    assert figures.total([None, None]) is None
    assert figures.total([]) is None
    assert figures.mean([None]) is None
    assert figures.mean([]) is None


def test_the_mean_achievement_skips_indicators_without_one():
    assert figures.mean([D(146), None, D(100), D(115)]) == D(361) / 3
    assert figures.mean([D(80), D(90)]) == 85


def test_a_unit_total_is_empty_only_without_numbers_and_states():
    assert figures.total_by_unit([]).is_empty()
    assert figures.total_by_unit([(None, "회")]).is_empty()
    assert not figures.total_by_unit([("상시", "회")]).is_empty()
    assert not figures.total_by_unit([(D(6), "회")]).is_empty()
    assert not figures.total_by_unit([(D(6), "회"), ("상시", "회")]).is_empty()


def test_a_state_repeated_by_unit_projects_is_printed_once():
    total = figures.total_by_unit([("상시", "회"), (D(2), "회"), ("상시", "회")])
    assert total == figures.UnitTotal(((D(2), "회"),), ("상시",))


# Money ----------------------------------------------------------------------------


def test_money_is_converted_to_cheon_and_eok_with_two_decimals():
    assert figures.won_to_cheon(28_517_000) == D("28517")
    assert figures.won_to_eok(28_517_000) == D("0.29")
    assert figures.won_to_eok(10_570_000_000, 1) == D("105.7")
    assert figures.won_to_cheon(None) is None
    assert figures.won_to_eok(None) is None


def test_a_missing_rate_prints_as_nothing():
    assert figures.format_percent_number(None) == ""
    assert figures.format_percent_number(D("146.43")) == "146"


# Values that may be typing mistakes, at their edges --------------------------------


def test_five_against_a_target_of_one_looks_like_a_typo():
    assert figures.unlikely(D(5), D(1), None, figures.SUM, True) == [figures.ABOVE_TARGET]
    assert figures.unlikely(D(3), D(1), None, figures.SUM, True) == []


def test_a_running_total_that_stands_still_is_not_a_drop():
    assert figures.unlikely(D(12), D(40), D(12), figures.LATEST, True) == []


# Not measured ------------------------------------------------------------------------


def test_not_measured_is_one_value_that_survives_a_cache():
    import pickle

    assert pickle.loads(pickle.dumps(figures.NOT_MEASURED)) is figures.NOT_MEASURED
    assert figures.NotMeasured() is figures.NOT_MEASURED
    assert repr(figures.NOT_MEASURED) == "NOT_MEASURED"


# Budget execution (예산 집행) ------------------------------------------------------------


def test_the_amount_spent_so_far_adds_the_quarters_up_to_the_basis():
    amounts = {1: 5_000_000, 2: None, 3: 2_500_000, 4: 1_000_000}
    assert figures.executed(amounts, 1) == 5_000_000
    assert figures.executed(amounts, 2) == 5_000_000  # an unknown quarter adds nothing
    assert figures.executed(amounts, 3) == 7_500_000
    assert figures.executed(amounts, 4) == 8_500_000
    assert figures.executed({}, 4) is None
    assert figures.executed({2: None, 3: 0}, 3) == 0  # spent nothing is not unknown
    assert figures.executed({4: 1}, 3) is None


def test_the_execution_rate_is_spent_over_the_budget_unrounded():
    # 수탁기관 운영 활성화 지원: 28,517천원, 14,258,500원 spent → 50%.
    assert figures.execution_rate(14_258_500, 28_517_000) == D(50)
    assert figures.execution_rate(1, 3) == D(100) / D(3)
    assert figures.execution_rate(0, 28_517_000) == D(0)
    assert figures.execution_rate(None, 28_517_000) is None
    assert figures.execution_rate(1_000, 0) is None
    assert figures.execution_rate(1_000, None) is None


@pytest.mark.parametrize("rate, achievement, flag", [
    (D(90), D(30), figures.SPENT_NOT_ACHIEVED),  # both bounds count
    (D(95), D(10), figures.SPENT_NOT_ACHIEVED),
    (D("89.9"), D(10), None),
    (D(95), D("30.1"), None),
    (D(30), D(90), figures.ACHIEVED_NOT_SPENT),
    (D(5), D(120), figures.ACHIEVED_NOT_SPENT),
    (D("30.1"), D(95), None),
    (D(10), D("89.9"), None),
    (D(50), D(50), None),
    (None, D(10), None),
    (D(95), None, None),
])
def test_spending_and_achievement_that_part_are_flagged(rate, achievement, flag):
    assert figures.divergence(rate, achievement) == flag
