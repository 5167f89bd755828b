"""Pace and the year-end forecast (goals.figures): where an indicator stands at
the end of a quarter against its annual target, and where its year will end."""

from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from goals import figures
from goals.figures import AHEAD, BEHIND, NOT_ENTERED, ON_TRACK, Pace

steps = ["미착수", "추진중", "구축완료"]
numbers = st.decimals(min_value=0, max_value=10**6, places=2, allow_nan=False,
                      allow_infinity=False)
rules = st.sampled_from([figures.SUM, figures.LATEST, figures.AVERAGE])


# Higher is better --------------------------------------------------------------


def test_a_count_at_40_percent_after_q2_is_behind_its_50_percent_pace():
    assert figures.pace(D(24), D(60), 2, figures.SUM) == Pace(BEHIND, D(40), D(50))


def test_a_count_10_points_over_its_pace_is_ahead():
    assert figures.pace(D(36), D(60), 2, figures.SUM) == Pace(AHEAD, D(60), D(50))
    assert figures.pace(D(35), D(60), 2, figures.SUM).status == ON_TRACK


def test_a_count_on_its_pace_is_on_track():
    assert figures.pace(D(30), D(60), 2, figures.SUM) == Pace(ON_TRACK, D(50), D(50))


def test_a_quarter_not_entered_still_says_where_the_year_should_be():
    assert figures.pace(None, D(60), 2, figures.SUM) == Pace(NOT_ENTERED, expected=D(50))
    assert figures.pace(None, D(85), 2, figures.LATEST) == Pace(NOT_ENTERED, expected=D(100))


# Lower is better: the year's allowance is used up in a straight line ----------------


def test_accidents_under_the_allowance_so_far_are_ahead():
    # A ceiling of 10 a year allows 5 by Q2; 4 used is 40% of the year's ceiling.
    assert figures.pace(D(4), D(10), 2, figures.SUM,
                        direction=figures.LOWER) == Pace(AHEAD, D(40), D(50))
    assert figures.pace(D(0), D(10), 2, figures.SUM,
                        direction=figures.LOWER) == Pace(AHEAD, D(0), D(50))


def test_accidents_10_percent_under_the_allowance_are_ahead_and_at_it_on_track():
    assert figures.pace(D("4.5"), D(10), 2, figures.SUM,
                        direction=figures.LOWER) == Pace(AHEAD, D(45), D(50))
    assert figures.pace(D("4.6"), D(10), 2, figures.SUM,
                        direction=figures.LOWER).status == ON_TRACK
    assert figures.pace(D(5), D(10), 2, figures.SUM,
                        direction=figures.LOWER) == Pace(ON_TRACK, D(50), D(50))


def test_accidents_over_the_allowance_are_behind():
    assert figures.pace(D("5.1"), D(10), 2, figures.SUM,
                        direction=figures.LOWER) == Pace(BEHIND, D(51), D(50))


def test_none_of_a_single_allowed_accident_by_q2_is_ahead():
    assert figures.pace(D(0), D(1), 2, figures.SUM, direction=figures.LOWER).status == AHEAD


def test_a_ceiling_of_zero_is_on_track_while_nothing_happens():
    assert figures.pace(D(0), D(0), 2, figures.SUM,
                        direction=figures.LOWER) == Pace(ON_TRACK, D(100), D(50))
    # One accident against a ceiling of zero: behind, with no share to print.
    assert figures.pace(D(1), D(0), 2, figures.SUM,
                        direction=figures.LOWER) == Pace(BEHIND, None, D(50))


# Milestones --------------------------------------------------------------------------


def test_a_milestone_with_steps_moves_along_them_through_the_year():
    # 추진중 is halfway to 구축완료: on track at Q2, behind at Q3.
    assert figures.pace("추진중", "구축완료", 2, figures.LATEST,
                        steps=steps) == Pace(ON_TRACK, D(50), D(50))
    assert figures.pace("추진중", "구축완료", 3, figures.LATEST,
                        steps=steps) == Pace(BEHIND, D(50), D(75))
    assert figures.pace("구축완료", "구축완료", 1, figures.LATEST,
                        steps=steps) == Pace(AHEAD, D(100), D(25))


def test_a_milestone_without_steps_is_judged_against_its_target_at_once():
    assert figures.pace("구축완료", "구축완료", 1, figures.LATEST) == Pace(ON_TRACK, D(100), D(100))
    assert figures.pace("추진중", "구축완료", 3, figures.LATEST) == Pace(BEHIND, D(0), D(100))


def test_a_number_against_a_milestone_target_cannot_be_judged():
    assert figures.pace(D(3), "구축완료", 2, figures.LATEST) == Pace(NOT_ENTERED, expected=D(100))


# From the quarters ---------------------------------------------------------------------


def test_a_score_is_judged_on_its_latest_value_not_the_sum_of_its_quarters():
    score = {1: D(80), 2: D(90), 3: None, 4: None}
    pace = figures.pace_at(score, 2, D(85), figures.LATEST)
    assert pace.status == ON_TRACK
    assert pace.progress == D(90) / D(85) * 100


def test_a_missing_quarter_says_where_the_year_should_be():
    quarters = {1: D(30), 2: None, 3: None, 4: None}
    assert figures.pace_at(quarters, 2, D(40), figures.SUM) == Pace(NOT_ENTERED, expected=D(50))


def test_a_confirmed_year_does_not_stand_for_a_missing_second_quarter():
    quarters = {1: D(10), 2: None, 3: None, 4: None}
    assert figures.pace_at(quarters, 2, D(40), figures.SUM,
                           confirmed=D(42)).status == NOT_ENTERED


def test_accidents_from_the_quarters_are_judged_against_the_allowance():
    accidents = {1: D(1), 2: D(1), 3: None, 4: None}
    assert figures.pace_at(accidents, 2, D(10), figures.SUM,
                           direction=figures.LOWER) == Pace(AHEAD, D(20), D(50))


def test_a_milestone_from_the_quarters_moves_along_its_steps():
    quarters = {1: "미착수", 2: "추진중", 3: None, 4: None}
    assert figures.pace_at(quarters, 2, "구축완료", figures.LATEST,
                           steps=steps) == Pace(ON_TRACK, D(50), D(50))


statuses = [BEHIND, ON_TRACK, AHEAD]


@given(a=numbers, b=numbers, target=numbers.filter(bool), quarter=st.integers(1, 4), rule=rules)
def test_more_done_never_judges_a_higher_is_better_indicator_worse(a, b, target, quarter, rule):
    low, high = sorted((a, b))
    assert statuses.index(figures.pace(low, target, quarter, rule).status) <= \
        statuses.index(figures.pace(high, target, quarter, rule).status)


@given(a=numbers, b=numbers, target=numbers, quarter=st.integers(1, 4))
def test_more_accidents_never_judge_a_lower_is_better_indicator_better(a, b, target, quarter):
    low, high = sorted((a, b))
    judged = [figures.pace(value, target, quarter, figures.SUM, direction=figures.LOWER)
              for value in (low, high)]
    assert statuses.index(judged[0].status) >= statuses.index(judged[1].status)


def test_a_fifth_quarter_is_refused():
    with pytest.raises(ValueError, match="1–4"):
        figures.expected_share(5, figures.SUM)
    with pytest.raises(ValueError, match="1–4"):
        figures.forecast([], 5, figures.SUM)


# Year-end forecast (moved from tests/goals/test_scoring.py) ---------------------------------


def test_forecast_of_a_count_is_linear_with_a_band():
    # 10 and 14 in Q1 and Q2: 48 at year end, 44 if Q1's pace repeats, 52 if Q2's.
    forecast = figures.forecast([D(10), D(14), None, None], 2, figures.SUM)
    assert forecast == figures.Forecast(D(48), D(44), D(52))
    # A quarter not entered is forecast like those to come.
    assert figures.forecast([D(10), None, D(14), None], 3, figures.SUM).value == 48
    # The whole year entered: the year itself.
    assert figures.forecast([D(10), D(14), D(9), D(7)], 4, figures.SUM) == figures.Forecast(
        D(40), D(40), D(40))
    # Quarters past the basis are not read.
    assert figures.forecast([D(10), D(14), D(90), None], 2, figures.SUM).value == 48


def test_forecast_of_a_rate_or_score_is_the_latest_value():
    assert figures.forecast([D(80), D("85.5"), None, None], 2, figures.LATEST) == \
        figures.Forecast(D("85.5"), D("85.5"), D("85.5"))
    # An average: (80 + 90 + 85 + 85) ÷ 4, between (80 + 90 + 80 + 80) ÷ 4 and 90s to come.
    assert figures.forecast([D(80), D(90), None, None], 2, figures.AVERAGE) == \
        figures.Forecast(D(85), D("82.5"), D("87.5"))
    assert figures.forecast(["미착수", "추진중", None, None], 2, figures.LATEST) == \
        figures.Forecast("추진중")
    assert figures.forecast([None, None, None, None], 4, figures.SUM) is None


def test_a_forecast_skips_quarters_not_measured():
    nm = figures.NOT_MEASURED
    assert figures.forecast([D(10), nm, D(14), None], 3, figures.SUM) == figures.Forecast(
        D(48), D(44), D(52))
    assert figures.forecast([nm, nm, None, None], 2, figures.LATEST) is None


def test_a_milestone_reached_among_numbers_is_forecast_as_it_stands():
    assert figures.forecast([D(1), "구축완료", None, None], 2, figures.SUM) == \
        figures.Forecast("구축완료")


def test_annualised_pace():
    assert figures.annualised(D(24), 2, figures.SUM) == 48
    assert figures.annualised(D(85), 1, figures.LATEST) == 85
    assert figures.annualised("추진중", 2, figures.LATEST) == "추진중"
    assert figures.annualised(None, 2, figures.SUM) is None


@given(quarters=st.lists(st.one_of(st.none(), numbers), min_size=4, max_size=4),
       quarter=st.integers(1, 4), rule=rules)
def test_forecast_lies_in_its_band(quarters, quarter, rule):
    forecast = figures.forecast(quarters, quarter, rule)
    entered = [value for value in quarters[:quarter] if value is not None]
    if not entered:
        assert forecast is None
        return
    assert forecast.low <= forecast.value <= forecast.high
    if quarter == 4 and len(entered) == 4:
        assert forecast.value == figures.rollup(quarters, rule)
        assert forecast.low == forecast.high
