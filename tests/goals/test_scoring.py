"""The evaluation's arithmetic (goals.scoring): worked examples of every
method, and properties. The year-end forecast is in tests/goals/test_figures_pace.py."""

import ast
import inspect
from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from goals import figures, scoring
from goals.scoring import Rule


def r(value, places=2):
    return scoring.rounded(value, places)


# 목표대비실적 -------------------------------------------------------------------


@pytest.mark.parametrize("target, actual, cap, score", [
    ("50", "45", "100", "90.00"),  # behind the target
    ("50", "53", "110", "106.00"),  # ahead, under the cap
    ("56", "82", "110", "110.00"),  # 146% is capped at 110%
    ("56", "82", "100", "100.00"),  # ... or at 100%
    ("80", "88.3", "110", "110.00"),  # 110.375% → the cap
    ("82", "94.4", "120", "115.12"),
])
def test_target_method_higher_is_better(target, actual, cap, score):
    assert r(scoring.target_score(D(target), D(actual), figures.HIGHER, D(cap))) == D(score)


@pytest.mark.parametrize("target, actual, score", [
    ("10", "12.5", "80.00"),  # 목표 ÷ 실적: 12.5 accidents against a ceiling of 10
    ("10", "10", "100.00"),
    ("10", "8", "110.00"),  # 125% capped at 110%
    ("10", "0", "110.00"),  # none at all: the cap, not a division by zero
    ("0", "0", "100.00"),  # a ceiling of 0 met
    ("0", "1", "0.00"),  # ... or missed
])
def test_target_method_lower_is_better(target, actual, score):
    assert r(scoring.target_score(D(target), D(actual), figures.LOWER, D(110))) == D(score)


def test_a_milestone_scores_100_or_0():
    assert scoring.target_score("구축완료", "구축완료") == 100
    assert scoring.target_score("구축완료", "추진중") == 0
    assert scoring.target_score("구축완료", D(1)) is None  # no number against a state


def test_target_method_without_target_or_result():
    assert scoring.target_score(None, D(3)) is None
    assert scoring.target_score(D(3), None) is None
    score = scoring.evaluate(Rule(), None, D(3))
    assert (score.score, score.problem) == (None, scoring.NO_TARGET)
    score = scoring.evaluate(Rule(), D(3), None)
    assert (score.score, score.problem) == (None, scoring.NO_RESULT)


# 목표부여(편차) --------------------------------------------------------------------

# 2019–2023 results of a count; 2024's result is 60.
PAST = [D(40), D(44), D(50), D(52), D(56)]


def test_baseline_is_the_better_of_last_year_and_the_three_year_average():
    assert scoring.baseline(PAST) == 56  # 56 against (50 + 52 + 56) ÷ 3 = 52.67
    assert r(scoring.baseline([D(60), D(58), D(50)])) == D("56.00")  # the average wins
    assert scoring.baseline([D(60), D(58), D(50)], figures.LOWER) == 50
    with pytest.raises(ValueError):
        scoring.baseline([])


def test_deviation_worked_example_main_program():
    # σ of 40, 44, 50, 52, 56 (n − 1) = √40.8 = 6.3875; k = 2 for 주요사업:
    # 최고목표 = 56 + 2σ = 68.77, 최저목표 = 56 − 2σ = 43.23,
    # 평점 = 20 + 80 × (60 − 43.23) ÷ (68.77 − 43.23) = 72.52.
    bounds = scoring.deviation_bounds(PAST, k_high=D(2), k_low=D(2))
    assert r(bounds.sigma, 4) == D("6.3875")
    assert (r(bounds.baseline), r(bounds.best), r(bounds.worst)) == (
        D("56.00"), D("68.77"), D("43.23"))
    score = scoring.evaluate(Rule(method=scoring.DEVIATION, k_high=D(2)), D(60), D(60), PAST)
    assert score.method == scoring.DEVIATION and score.problem is None
    assert r(score.score) == D("72.52")


def test_deviation_worked_example_other_program():
    # k = 1 otherwise: 최고목표 = 56 + σ = 62.39; 평점 = 20 + 80 × 16.77 ÷ 19.16 = 90.03.
    score = scoring.evaluate(Rule(method=scoring.DEVIATION), D(60), D(60), PAST)
    assert r(score.bounds.best) == D("62.39")
    assert r(score.score) == D("90.03")


def test_deviation_clips_to_20_and_100():
    rule = Rule(method=scoring.DEVIATION)
    assert scoring.evaluate(rule, D(60), D(70), PAST).score == 100
    assert scoring.evaluate(rule, D(60), D(30), PAST).score == 20
    assert scoring.evaluate(rule, D(60), D(30), PAST, figures.HIGHER).score == 20


def test_deviation_lower_is_better_is_mirrored():
    # Accidents 12, 10, 11, 9, 8: 기준치 = min(8, 9.33) = 8, σ = 1.5811,
    # 최고목표 = 8 − σ = 6.42, 최저목표 = 8 + 2σ = 11.16; 7 accidents earn
    # 20 + 80 × (11.16 − 7) ÷ (11.16 − 6.42) = 90.20.
    accidents = [D(12), D(10), D(11), D(9), D(8)]
    score = scoring.evaluate(Rule(method=scoring.DEVIATION), D(8), D(7), accidents,
                             figures.LOWER)
    assert (r(score.bounds.baseline), r(score.bounds.best), r(score.bounds.worst)) == (
        D("8.00"), D("6.42"), D("11.16"))
    assert r(score.score) == D("90.20")
    assert scoring.evaluate(Rule(method=scoring.DEVIATION), D(8), D(12), accidents,
                            figures.LOWER).score == 20


def test_ratio_variant():
    # 기준치 50: 최고목표 = 50 × 1.2 = 60, 최저목표 = 50 × 0.8 = 40; 55 earns
    # 20 + 80 × 15 ÷ 20 = 80; with 1.1 the 최고목표 is 55, reached: 100.
    past = [D(40), D(45), D(50)]
    rule = Rule(method=scoring.RATIO, years=3)
    score = scoring.evaluate(rule, D(55), D(55), past)
    assert (score.bounds.best, score.bounds.worst) == (D(60), D(40))
    assert score.score == 80
    assert scoring.evaluate(Rule(method=scoring.RATIO, years=3, ratio_high=D("1.1")),
                            D(55), D(55), past).score == 100
    lower = scoring.ratio_bounds(past, figures.LOWER)
    assert (lower.baseline, lower.best, lower.worst) == (D(45), D("36.0"), D("54.0"))


def test_too_little_history_says_so_and_falls_back():
    # 2023 is the first year on record: one year where five are needed.
    rule = Rule(method=scoring.DEVIATION, cap=D(110))
    score = scoring.evaluate(rule, D(60), D(82), [None, None, None, None, D(82)])
    assert score.problem == scoring.SHORT_HISTORY
    assert (score.years, score.needed) == (1, 5)
    assert score.method == scoring.TARGET  # the scheme's fallback: 목표대비실적
    assert score.score == 110
    strict = Rule(method=scoring.DEVIATION, fallback=scoring.NO_FALLBACK)
    score = scoring.evaluate(strict, D(60), D(82), [D(82)])
    assert (score.score, score.method, score.problem) == (
        None, scoring.DEVIATION, scoring.SHORT_HISTORY)


def test_flat_history_gives_equal_bounds_and_falls_back():
    score = scoring.evaluate(Rule(method=scoring.DEVIATION), D(5), D(6), [D(5)] * 5)
    assert score.bounds.is_flat
    assert score.problem == scoring.FLAT_BOUNDS
    assert (score.method, score.score) == (scoring.TARGET, D(100))
    assert scoring.evaluate(Rule(method=scoring.RATIO, years=1), D(1), D(1), [D(0)]).problem \
        == scoring.FLAT_BOUNDS


def test_deviation_without_a_result_keeps_its_bounds():
    score = scoring.evaluate(Rule(method=scoring.DEVIATION), D(60), None, PAST)
    assert score.problem == scoring.NO_RESULT and score.score is None
    assert r(score.bounds.best) == D("62.39")


# 득점, total, grade ---------------------------------------------------------------

MOHW = [("S", D(95)), ("A", D(85)), ("B", D(75)), ("C", D(65)), ("D", D(0))]


def test_points_total_and_grade_of_a_published_sheet():
    # A published 지방공기업 sheet: 배점 8 × 평점 64.26 → 5.14.
    assert r(scoring.points(D(8), D("64.26"))) == D("5.14")
    assert scoring.rounded(scoring.points(D(8), D("64.26")), 2, scoring.DOWN) == D("5.14")
    assert scoring.rounded(D("5.149"), 2, scoring.DOWN) == D("5.14")
    assert scoring.rounded(D("5.145"), 2) == D("5.15")
    assert scoring.points(D(8), None) is None
    assert scoring.total([D("80.5"), D("5.14"), None], bonus=D(1), penalty=D("0.65")) == \
        D("85.99")


@pytest.mark.parametrize("score, label", [
    ("95", "S"), ("94.99", "A"), ("85", "A"), ("84.99", "B"), ("75", "B"), ("65", "C"),
    ("64.99", "D"), ("0", "D"), ("-2", "D"), ("103", "S"),
])
def test_grade_bands_of_the_ministry(score, label):
    assert scoring.grade(D(score), MOHW) == label


def test_band_problems():
    assert scoring.band_problems(MOHW) == []
    assert scoring.band_problems([]) == [scoring.NO_BANDS]
    assert scoring.band_problems([("A", D(85)), ("S", D(95)), ("D", D(0))]) == [
        scoring.UNORDERED_BANDS]
    assert scoring.band_problems([("A", D(85)), ("B", D(85)), ("D", D(0))]) == [
        scoring.UNORDERED_BANDS]  # two bands from 85: they overlap
    assert scoring.band_problems([("A", D(85)), ("B", D(65))]) == [scoring.NOT_FROM_ZERO]
    assert scoring.band_problems([("A", D(85)), ("A", D(0))]) == [scoring.DUPLICATE_LABEL]


# Properties ------------------------------------------------------------------------

numbers = st.decimals(min_value=0, max_value=10**6, places=2, allow_nan=False,
                      allow_infinity=False)
positive = st.decimals(min_value=D("0.01"), max_value=10**6, places=2)
caps = st.decimals(min_value=100, max_value=200, places=0)
directions = st.sampled_from([figures.HIGHER, figures.LOWER])
histories = st.lists(numbers, min_size=5, max_size=5)
methods = st.sampled_from([scoring.TARGET, scoring.DEVIATION, scoring.RATIO])
ks = st.decimals(min_value=0, max_value=3, places=1)


@given(target=numbers, a=numbers, b=numbers, cap=caps, direction=directions)
def test_target_score_is_monotone_and_bounded(target, a, b, cap, direction):
    low, high = sorted((a, b))
    at_low = scoring.target_score(target, low, direction, cap)
    at_high = scoring.target_score(target, high, direction, cap)
    assert 0 <= at_low <= cap and 0 <= at_high <= cap
    if direction == figures.HIGHER:
        assert at_high >= at_low
    else:
        assert at_high <= at_low


@given(history=histories, a=numbers, b=numbers, direction=directions, k_high=ks,
       method=methods, cap=caps)
def test_every_method_is_monotone_and_bounded(history, a, b, direction, k_high, method, cap):
    rule = Rule(method=method, k_high=k_high, cap=cap, years=5)
    target = history[-1]
    low, high = sorted((a, b))
    at_low = scoring.evaluate(rule, target, low, history, direction)
    at_high = scoring.evaluate(rule, target, high, history, direction)
    assert at_low.method == at_high.method  # the same rule for both results
    if at_low.score is None:
        assert at_high.score is None
        return
    bound = cap if at_low.method == scoring.TARGET else 100
    floor = 0 if at_low.method == scoring.TARGET else rule.floor
    for score in (at_low.score, at_high.score):
        assert floor <= score <= bound
    if direction == figures.HIGHER:
        assert at_high.score >= at_low.score
    else:
        assert at_high.score <= at_low.score


@given(history=histories, direction=directions, k_high=ks,
       k_low=st.decimals(min_value=D("0.1"), max_value=3, places=1))
def test_bounds_lie_either_side_of_the_baseline(history, direction, k_high, k_low):
    bounds = scoring.deviation_bounds(history, direction, k_high, k_low)
    if direction == figures.HIGHER:
        assert bounds.worst <= bounds.baseline <= bounds.best
    else:
        assert bounds.best <= bounds.baseline <= bounds.worst


@st.composite
def bands(draw):
    """Grade bands best first, lower bounds falling to 0."""
    lowers = sorted(draw(st.sets(st.decimals(min_value=1, max_value=100, places=1),
                                 min_size=0, max_size=5)), reverse=True)
    lowers.append(D(0))
    return [(f"band{index}", lower) for index, lower in enumerate(lowers)]


@given(bands=bands(), a=st.decimals(min_value=-20, max_value=120, places=2),
       b=st.decimals(min_value=-20, max_value=120, places=2))
def test_grade_bands_cover_every_total_in_order(bands, a, b):
    assert scoring.band_problems(bands) == []
    labels = [label for label, _lower in bands]
    low, high = sorted((a, b))
    assert labels.index(scoring.grade(high, bands)) <= labels.index(scoring.grade(low, bands))


def test_the_scoring_module_does_not_import_django():
    tree = ast.parse(inspect.getsource(scoring))
    imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import)
                for alias in node.names}
    imported |= {node.module for node in ast.walk(tree)
                 if isinstance(node, ast.ImportFrom) and node.module}
    assert not any(name.startswith("django") for name in imported)
