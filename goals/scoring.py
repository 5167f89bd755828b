"""
The arithmetic of the evaluation (경영평가): the 평점 a result earns by its
indicator's method, 득점 from 배점, the total and the grade.

Pure Python, no Django, like goals.figures. The formulas follow published
descriptions of the 평가편람 methods; their parameters (caps, k, ratios, the
years of history, the grade bands) come from an evaluation scheme, which is
data set from the year's 편람, never from here.

- 목표대비실적 (TARGET): 평점 = min(실적 ÷ 목표, cap) × 100 for higher-is-better,
  min(목표 ÷ 실적, cap) × 100 for lower-is-better; a milestone (구축완료) scores
  100 when reached and 0 otherwise.
- 목표부여(편차) (DEVIATION): 기준치 = max(전년 실적, 최근 3년 평균) (min for
  lower-is-better); σ = the standard deviation of the last five years'
  results (the sample's, n − 1, as a spreadsheet's STDEV); 최고목표 = 기준치 +
  k·σ, 최저목표 = 기준치 − 2σ (mirrored for lower-is-better); 평점 = 20 + 80 ×
  (실적 − 최저목표) ÷ (최고목표 − 최저목표), clipped to [20, 100].
- Its ratio variant (RATIO): 최고목표 = 기준치 × 1.2 (or 1.1), 최저목표 = 기준치
  × 0.8, mirrored around 기준치 for lower-is-better.
- 득점 = 배점 × 평점 ÷ 100; total = Σ득점 + 가점 − 감점; the grade is the best
  band whose lower bound the total reaches.

Where a method cannot be applied (too few past years, 최고목표 = 최저목표, a
qualitative result) the Score says why, and the scheme's fallback applies.
"""

from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from typing import Optional
from collections.abc import Sequence

from .figures import HIGHER, HUNDRED, LOWER, Value, is_number

# Methods.
TARGET = "target"  # 목표대비실적
DEVIATION = "deviation"  # 목표부여(편차)
RATIO = "ratio"  # 목표부여(편차), ratio variant
HISTORY_METHODS = (DEVIATION, RATIO)
NO_FALLBACK = "none"  # a method that cannot be applied gives no 평점

# Rounding of 평점 and 득점.
HALF_UP = "half_up"  # 반올림
DOWN = "down"  # 절사

# Why a method gave no 평점, or fell back.
NO_TARGET = "no_target"
NO_RESULT = "no_result"
QUALITATIVE = "qualitative"  # a state (구축완료) where the method needs numbers
SHORT_HISTORY = "short_history"
FLAT_BOUNDS = "flat_bounds"  # 최고목표 = 최저목표

# Problems of grade bands.
NO_BANDS = "no_bands"
UNORDERED_BANDS = "unordered_bands"  # a better band's lower bound is not higher
NOT_FROM_ZERO = "not_from_zero"  # the lowest band does not reach down to 0
DUPLICATE_LABEL = "duplicate_label"

RECENT_YEARS = 3  # the average in 기준치


@dataclass(frozen=True)
class Rule:
    """How one indicator is scored: its method and the method's parameters."""

    method: str = TARGET
    cap: Decimal = HUNDRED  # 목표대비실적: the highest 실적 ÷ 목표 that counts, in %
    k_high: Decimal = Decimal(1)  # 최고목표 = 기준치 + k_high·σ (2 for 주요사업)
    k_low: Decimal = Decimal(2)  # 최저목표 = 기준치 − k_low·σ
    ratio_high: Decimal = Decimal("1.2")  # 최고목표 = 기준치 × ratio_high
    ratio_low: Decimal = Decimal("0.8")  # 최저목표 = 기준치 × ratio_low
    years: int = 5  # past years the method needs
    floor: Decimal = Decimal(20)  # the lowest 평점 of the 편차 methods
    fallback: str = TARGET  # where the method cannot be applied: TARGET or NO_FALLBACK


@dataclass(frozen=True)
class Bounds:
    """What a 편차 method sets from the past years."""

    baseline: Decimal  # 기준치
    best: Decimal  # 최고목표
    worst: Decimal  # 최저목표
    sigma: Optional[Decimal] = None  # σ, for the standard-deviation variant

    @property
    def is_flat(self) -> bool:
        return self.best == self.worst


@dataclass(frozen=True)
class Score:
    """평점 of a result, by the method that gave it, and why it is missing or
    came from the fallback."""

    score: Optional[Decimal]
    method: str  # the method that gave the 평점 (the fallback's, where it fell back)
    bounds: Optional[Bounds] = None
    problem: Optional[str] = None
    years: int = 0  # past years known, for a 편차 method
    needed: int = 0  # past years it needs


# 목표대비실적 ---------------------------------------------------------------------


def target_score(target: Value, actual: Value, direction: str = HIGHER,
                 cap: Decimal = HUNDRED) -> Optional[Decimal]:
    """
    평점 by 목표대비실적, unrounded: min(실적 ÷ 목표, cap) × 100, or min(목표 ÷
    실적, cap) × 100 for lower-is-better. A milestone target (구축완료) is 100
    when reached and 0 otherwise. Nothing divides by zero: a target of 0 is
    met (100) or missed (0); no accidents against a positive ceiling is the cap.
    """
    if target is None or actual is None:
        return None
    if not (is_number(target) and is_number(actual)):
        if is_number(target) or is_number(actual):
            return None
        return HUNDRED if actual == target else Decimal(0)
    if direction == LOWER:
        if actual == 0:
            return cap if target > 0 else HUNDRED
        if target == 0:
            return Decimal(0)
        return min(target / actual * HUNDRED, cap)
    if target == 0:
        return HUNDRED
    return min(actual / target * HUNDRED, cap)


# 목표부여(편차) -------------------------------------------------------------------


def baseline(history: Sequence[Decimal], direction: str = HIGHER) -> Decimal:
    """기준치: the better of last year's result and the average of the last
    three years (max for higher-is-better, min for lower-is-better).
    `history` runs from the oldest year to last year."""
    if not history:
        raise ValueError("기준치 needs at least last year's result")
    last = history[-1]
    recent = history[-RECENT_YEARS:]
    average = sum(recent, Decimal(0)) / len(recent)
    return min(last, average) if direction == LOWER else max(last, average)


def standard_deviation(values: Sequence[Decimal]) -> Decimal:
    """The sample standard deviation (n − 1); 0 for fewer than two values."""
    if len(values) < 2:
        return Decimal(0)
    mean = sum(values, Decimal(0)) / len(values)
    variance = sum(((value - mean) ** 2 for value in values), Decimal(0)) / (len(values) - 1)
    return variance.sqrt()


def deviation_bounds(history: Sequence[Decimal], direction: str = HIGHER,
                     k_high: Decimal = Decimal(1), k_low: Decimal = Decimal(2),
                     years: int = 5) -> Bounds:
    """최고/최저목표 from 기준치 and σ of the last `years` years."""
    base = baseline(history, direction)
    sigma = standard_deviation(list(history[-years:]))
    if direction == LOWER:
        return Bounds(base, base - k_high * sigma, base + k_low * sigma, sigma)
    return Bounds(base, base + k_high * sigma, base - k_low * sigma, sigma)


def ratio_bounds(history: Sequence[Decimal], direction: str = HIGHER,
                 high: Decimal = Decimal("1.2"), low: Decimal = Decimal("0.8")) -> Bounds:
    """최고/최저목표 as shares of 기준치, mirrored around it for lower-is-better
    (1.2 and 0.8 become 0.8 and 1.2)."""
    base = baseline(history, direction)
    if direction == LOWER:
        return Bounds(base, base * (2 - high), base * (2 - low))
    return Bounds(base, base * high, base * low)


def position_score(actual: Decimal, bounds: Bounds, floor: Decimal = Decimal(20)
                   ) -> Optional[Decimal]:
    """평점 = floor + (100 − floor) × (실적 − 최저) ÷ (최고 − 최저), clipped to
    [floor, 100]; None where 최고목표 = 최저목표. The same formula serves both
    directions: for lower-is-better 최고목표 lies below 최저목표."""
    if bounds.is_flat:
        return None
    share = (actual - bounds.worst) / (bounds.best - bounds.worst)
    return min(HUNDRED, max(floor, floor + (HUNDRED - floor) * share))


def bounds_for(rule: Rule, history: Sequence[Decimal], direction: str = HIGHER
               ) -> Optional[Bounds]:
    """The bounds `rule` sets from `history`, or None when its method sets none
    or the history is too short."""
    if rule.method not in HISTORY_METHODS or len(history) < max(rule.years, 1):
        return None
    if rule.method == RATIO:
        return ratio_bounds(history, direction, rule.ratio_high, rule.ratio_low)
    return deviation_bounds(history, direction, rule.k_high, rule.k_low, rule.years)


# One indicator -------------------------------------------------------------------


def evaluate(rule: Rule, target: Value, actual: Value, history: Sequence[Value] = (),
             direction: str = HIGHER) -> Score:
    """
    평점 of `actual` by `rule`. `history` holds the past years' results, oldest
    first, up to last year (None for a year not known). A 편차 method that
    cannot be applied says why and gives the fallback's 평점 (목표대비실적), or
    none when the scheme names no fallback.
    """
    if rule.method not in HISTORY_METHODS:
        return _by_target(rule, target, actual, direction)
    known = [value for value in history if is_number(value)]
    problem = None
    bounds = None
    if isinstance(actual, str) or isinstance(target, str):
        problem = QUALITATIVE
    elif len(known) < max(rule.years, 1):
        problem = SHORT_HISTORY
    else:
        bounds = bounds_for(rule, known, direction)
        if bounds.is_flat:
            problem = FLAT_BOUNDS
    if problem is not None:
        if rule.fallback == NO_FALLBACK:
            return Score(None, rule.method, bounds, problem, len(known), rule.years)
        fallback = _by_target(rule, target, actual, direction)
        return Score(fallback.score, fallback.method, bounds, problem, len(known), rule.years)
    if actual is None:
        return Score(None, rule.method, bounds, NO_RESULT, len(known), rule.years)
    return Score(position_score(actual, bounds, rule.floor), rule.method, bounds, None,
                 len(known), rule.years)


def _by_target(rule: Rule, target: Value, actual: Value, direction: str) -> Score:
    if target is None:
        return Score(None, TARGET, problem=NO_TARGET)
    if actual is None:
        return Score(None, TARGET, problem=NO_RESULT)
    score = target_score(target, actual, direction, rule.cap)
    return Score(score, TARGET, problem=None if score is not None else QUALITATIVE)


# 득점, total, grade ----------------------------------------------------------------


def rounded(value: Optional[Decimal], places: int = 2, mode: str = HALF_UP
            ) -> Optional[Decimal]:
    """A 평점, 득점 or total as the scheme rounds it: 5.1408 → 5.14."""
    if value is None:
        return None
    return value.quantize(Decimal(1).scaleb(-places),
                          rounding=ROUND_DOWN if mode == DOWN else ROUND_HALF_UP)


def points(weight: Decimal, score: Optional[Decimal]) -> Optional[Decimal]:
    """득점 = 배점 × 평점 ÷ 100 (8 × 64.26 → 5.1408)."""
    if score is None:
        return None
    return weight * score / HUNDRED


def total(earned: Sequence[Optional[Decimal]], bonus: Decimal = Decimal(0),
          penalty: Decimal = Decimal(0)) -> Decimal:
    """Σ득점 + 가점 − 감점; an indicator without 평점 earns nothing."""
    return sum((value for value in earned if value is not None), Decimal(0)) + bonus - penalty


def grade(score: Decimal, bands: Sequence[tuple]) -> Optional[str]:
    """The label of the best band whose lower bound `score` reaches. `bands`
    are (label, lower bound), best first; a score below every bound (a
    penalty past zero) is in the lowest band."""
    if not bands:
        return None
    for label, lower in bands:
        if score >= lower:
            return label
    return bands[-1][0]


def band_problems(bands: Sequence[tuple]) -> list:
    """What is wrong with grade bands given best first as (label, lower
    bound): none, lower bounds that do not fall from band to band (a band
    overlapping or ranked above a better one), a lowest band that does not
    reach down to 0, a label used twice."""
    if not bands:
        return [NO_BANDS]
    problems = []
    lowers = [lower for _label, lower in bands]
    if any(later >= earlier for earlier, later in zip(lowers, lowers[1:])):
        problems.append(UNORDERED_BANDS)
    if min(lowers) != 0:
        problems.append(NOT_FROM_ZERO)
    labels = [label for label, _lower in bands]
    if len(set(labels)) != len(labels):
        problems.append(DUPLICATE_LABEL)
    return problems
