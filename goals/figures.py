"""
The figures of the goal book, computed one way for every screen and export.

Pure Python, no Django: the selector feeds these functions and the dashboard,
the PDF, the XLSX and any API print what they return. A value is a Decimal for
a number, a str for a qualitative state (구축완료, 상시), NOT_MEASURED for a
quarter in which the indicator is not measured (해당 없음 / 측정 전), or None
when nothing is known. Korean words for the kinds live in goals.formatting.
"""

from dataclasses import dataclass
from functools import lru_cache
from decimal import ROUND_HALF_UP, Decimal
from typing import Optional, Union
from collections.abc import Iterable, Sequence



class NotMeasured:
    """해당 없음 / 측정 전: the value of a quarter in which the indicator is not
    measured (a satisfaction survey once a year, a score before its survey).
    It was entered, so the quarter is complete, but it is not 0: roll-ups
    skip it and the pace is judged on what came before it."""

    _instance = None

    def __new__(cls):
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self):
        return "NOT_MEASURED"

    def __reduce__(self):
        return (NotMeasured, ())


NOT_MEASURED = NotMeasured()

Value = Optional[Union[Decimal, str, NotMeasured]]

HUNDRED = Decimal(100)
QUARTERS = (1, 2, 3, 4)

# Direction of an indicator.
HIGHER = "higher"
LOWER = "lower"

# How an indicator's quarters roll up to its year.
SUM = "sum"
LATEST = "latest"
AVERAGE = "average"

# Kinds of change against last year's target.
INCREASE = "increase"
DECREASE = "decrease"
SAME = "same"
NEW = "new"
CHANGED = "changed"  # a qualitative target that changed (구축완료 → 상시)

# Pace of an indicator at a quarter.
AHEAD = "ahead"
ON_TRACK = "on_track"
BEHIND = "behind"
NOT_ENTERED = "not_entered"  # the quarter has no value: nothing to judge, whatever came before
UNMEASURED = "unmeasured"  # not measured yet this year (측정 전), and nothing before it
NO_TARGET = "no_target"

# An indicator's standing once its year is over: the target met or not.
ACHIEVED = "achieved"
NOT_ACHIEVED = "not_achieved"

# Percentage points above the expected pace that count as ahead of it.
AHEAD_MARGIN = Decimal(10)


def is_number(value: Value) -> bool:
    return isinstance(value, Decimal)


def is_known(value: Value) -> bool:
    """A number or a state: something a roll-up counts."""
    return value is not None and value is not NOT_MEASURED


def round_half_up(value: Decimal, places: int = 0) -> Decimal:
    """Round as Korean public reports do: 0.5 goes up (7.142 → 7.1, 0.285 → 0.29)."""
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


# Achievement ---------------------------------------------------------------


def achievement(target: Value, actual: Value, direction: str = HIGHER,
                steps: Sequence[str] = ()) -> Optional[Decimal]:
    """
    Achievement rate (달성률) in percent, unrounded and not capped at 100.

    Higher is better: actual / target × 100 (82 against 56 → 146.4).
    Lower is better: (2 − actual / target) × 100, floored at 0, so meeting the
    target is 100 and reaching zero is 200.
    A target of 0 is met (100) or missed (0); nothing divides by zero.
    Qualitative: reaching the target state is 100; before it, the share of the
    way along `steps` (미착수 → 추진중 → 구축완료), or 0 without steps.
    """
    if target is None or actual is None:
        return None
    if isinstance(target, str) or isinstance(actual, str):
        if not (isinstance(target, str) and isinstance(actual, str)):
            return None
        return _milestone_achievement(target, actual, steps)
    if direction == LOWER:
        if target == 0:
            return HUNDRED if actual == 0 else Decimal(0)
        return max(Decimal(0), (2 - actual / target) * HUNDRED)
    if target == 0:
        return HUNDRED if actual >= 0 else Decimal(0)
    return actual / target * HUNDRED


def _milestone_achievement(target: str, actual: str, steps: Sequence[str]) -> Decimal:
    if actual == target:
        return HUNDRED
    if target in steps and actual in steps:
        goal = steps.index(target)
        if goal == 0:
            return HUNDRED
        return Decimal(steps.index(actual)) / Decimal(goal) * HUNDRED
    return Decimal(0)


# Change against last year's target ----------------------------------------


@dataclass(frozen=True)
class Change:
    """전년목표 대비: the kind, and the percentage where one can be computed."""

    kind: str
    percent: Optional[Decimal] = None


def change(this_target: Value, last_target: Value, is_new: bool = False) -> Optional[Change]:
    """
    (this year's target − last year's target) / last year's target × 100, one
    decimal: 60 against 56 → 7.1 증. Without a last-year target, or for an
    indicator planned as new, the change is 신규.
    """
    if is_new or last_target is None:
        return Change(NEW)
    if this_target is None:
        return None
    if not (is_number(this_target) and is_number(last_target)):
        return Change(SAME if this_target == last_target else CHANGED)
    difference = this_target - last_target
    if difference == 0:
        return Change(SAME)
    kind = INCREASE if difference > 0 else DECREASE
    if last_target == 0:
        return Change(kind)
    return Change(kind, round_half_up(abs(difference) / last_target * HUNDRED, 1))


# Quarters and the year -----------------------------------------------------


def rollup(quarter_values: Iterable[Value], rule: str) -> Value:
    """
    The year so far from its quarters, skipping quarters not entered or not
    measured. SUM adds counts; LATEST takes the last entered value (a rate, a
    score, a milestone); AVERAGE takes the mean of the entered values.
    """
    entered = [value for value in quarter_values if is_known(value)]
    if not entered:
        return None
    if rule == LATEST or not all(is_number(value) for value in entered):
        return entered[-1]
    if rule == AVERAGE:
        return sum(entered) / len(entered)
    return sum(entered)


def combine(values: Iterable[Value], rule: str) -> Value:
    """One period's value of an indicator made of unit projects: counts add up,
    other values are averaged; qualitative values stand alone. Not measured
    when every part says so; a part without a value leaves it unknown."""
    values = list(values)
    entered = [value for value in values if is_known(value)]
    if not entered:
        if values and all(value is NOT_MEASURED for value in values):
            return NOT_MEASURED
        return None
    if not all(is_number(value) for value in entered):
        return entered[-1] if len(entered) == 1 else None
    if rule == SUM:
        return sum(entered)
    return sum(entered) / len(entered)


def total(values: Iterable[Optional[Decimal]]) -> Optional[Decimal]:
    """The sum of the values that are known; None when none is."""
    known = [value for value in values if value is not None]
    return sum(known) if known else None


def mean(values: Iterable[Optional[Decimal]]) -> Optional[Decimal]:
    """The mean of the values that are known, such as achievement rates across
    a category; None when none is."""
    known = [value for value in values if value is not None]
    return sum(known) / len(known) if known else None


@dataclass(frozen=True)
class UnitTotal:
    """계 of unit projects: one sum per unit in order of appearance, and the
    qualitative targets beside them (135명/16회; 6회, 상시)."""

    sums: tuple  # ((Decimal, unit), ...)
    states: tuple  # (str, ...)

    def is_empty(self) -> bool:
        return not self.sums and not self.states


def total_by_unit(items: Iterable[tuple]) -> UnitTotal:
    """Sum (value, unit) pairs unit by unit; a str value is a state, not a number."""
    sums: dict = {}
    states: list = []
    for value, unit in items:
        if value is None:
            continue
        if isinstance(value, str):
            if value not in states:
                states.append(value)
            continue
        sums[unit] = sums.get(unit, Decimal(0)) + value
    return UnitTotal(tuple((value, unit) for unit, value in sums.items()), tuple(states))


# Pace -----------------------------------------------------------------------


@dataclass(frozen=True)
class Pace:
    status: str
    progress: Optional[Decimal] = None  # the year so far against the annual target, %
    expected: Optional[Decimal] = None  # where it should be by this quarter, %


def expected_share(quarter: int, rule: str) -> Decimal:
    """
    What share of the annual target should stand at the end of `quarter`.
    Counts accumulate in a straight line (Q2 → 50%); a rate, a score or a
    milestone is judged against the target itself, whatever the quarter.
    """
    if quarter not in QUARTERS:
        raise ValueError(f"quarter must be 1–4, not {quarter!r}")
    if rule == SUM:
        return HUNDRED * quarter / 4
    return HUNDRED


def final_status(rate: Optional[Decimal]) -> str:
    """At the year's end, whether the target was met: ACHIEVED from an
    achievement rate (unrounded, either direction) of 100 up, NOT_ACHIEVED
    below it (99.6 is not met, though printed 100%), NOT_ENTERED without a
    result. Pace (ahead, on track) says nothing once the year is over."""
    if rate is None:
        return NOT_ENTERED
    return ACHIEVED if rate >= HUNDRED else NOT_ACHIEVED


def pace(so_far: Value, target: Value, quarter: int, rule: str,
         direction: str = HIGHER, steps: Sequence[str] = ()) -> Pace:
    """
    Where an indicator stands at the end of `quarter` against its annual target:
    ahead, on track or behind its pace, or not yet entered.
    """
    if target is None:
        return Pace(NO_TARGET)
    if so_far is None:
        return Pace(NOT_ENTERED, expected=expected_share(quarter, rule))
    expected = expected_share(quarter, rule)
    if isinstance(target, str) or isinstance(so_far, str):
        # A milestone moves along its steps through the year.
        expected = HUNDRED * quarter / 4 if steps else HUNDRED
        progress = achievement(target, so_far, steps=steps)
        return _pace_from(progress, expected)
    if direction == LOWER:
        allowance = target * expected / HUNDRED
        used = HUNDRED if target == 0 and so_far == 0 else (
            so_far / target * HUNDRED if target else None)
        if so_far > allowance:
            status = BEHIND
        elif so_far <= allowance * (1 - AHEAD_MARGIN / HUNDRED) and allowance > 0:
            status = AHEAD
        else:
            status = ON_TRACK
        return Pace(status, used, expected)
    progress = achievement(target, so_far)
    return _pace_from(progress, expected)


def so_far(quarters: dict, quarter: int, rule: str, confirmed: Value = None) -> Value:
    """The year so far at the end of `quarter` ({1–4: value}); at the end of
    Q4 a confirmed year stands for its quarters."""
    if quarter == 4 and is_known(confirmed):
        return confirmed
    return rollup([quarters.get(q) for q in QUARTERS if q <= quarter], rule)


def cumulative(quarters: dict, rule: str, confirmed: Value = None) -> dict:
    """so_far() at the end of every quarter, {1–4: value}, in one pass (the
    selector asks it of every indicator and unit project of a year)."""
    made = {}
    last = None
    total = Decimal(0)
    count = 0
    numbers = True
    for quarter in QUARTERS:
        value = quarters.get(quarter)
        if value is not None and value is not NOT_MEASURED:
            last = value
            count += 1
            numbers = numbers and isinstance(value, Decimal)
            if numbers:
                total += value
        if not count:
            made[quarter] = None
        elif rule == LATEST or not numbers:
            made[quarter] = last
        elif rule == AVERAGE:
            made[quarter] = total / count
        else:
            made[quarter] = total
    if is_known(confirmed):
        made[4] = confirmed
    return made


def pace_at(quarters: dict, quarter: int, target: Value, rule: str, direction: str = HIGHER,
            steps: Sequence[str] = (), confirmed: Value = None) -> Pace:
    """
    Where an indicator stands at the end of `quarter`, from its quarters. A
    quarter without a value is not entered, whatever came before it (a
    missing Q2 is not "behind"); a quarter not measured is judged on the year
    so far, or is 측정 전 when nothing was measured yet.
    """
    this = quarters.get(quarter)
    if target is not None and this is None and not (quarter == 4 and is_known(confirmed)):
        return Pace(NOT_ENTERED, expected=expected_share(quarter, rule))
    year_so_far = so_far(quarters, quarter, rule, confirmed)
    if target is not None and year_so_far is None:
        return Pace(UNMEASURED)
    return pace(year_so_far, target, quarter, rule, direction, steps)


# Values that may be typing mistakes ------------------------------------------

# A quarter's value this many times the annual target is probably a typo
# (500건 for 50건).
UNLIKELY_TIMES_TARGET = 3
ABOVE_TARGET = "above_target"
DROP = "drop"


def unlikely(value: Value, target: Value, previous: Value, rule: str,
             is_count: bool) -> list:
    """
    Why a quarter's value looks like a mistake, as a list of reasons (empty
    when it does not): more than UNLIKELY_TIMES_TARGET times the annual target,
    or lower than the quarter before in a count kept as a running total (a
    count whose year is its latest value). It is for the user to confirm,
    not a refusal.
    """
    if not is_number(value):
        return []
    reasons = []
    if is_number(target) and target > 0 and value > target * UNLIKELY_TIMES_TARGET:
        reasons.append(ABOVE_TARGET)
    if is_count and rule == LATEST and is_number(previous) and value < previous:
        reasons.append(DROP)
    return reasons


def _pace_from(progress: Optional[Decimal], expected: Decimal) -> Pace:
    if progress is None:
        return Pace(NOT_ENTERED, expected=expected)
    if progress < expected:
        return Pace(BEHIND, progress, expected)
    if progress >= expected + AHEAD_MARGIN:
        return Pace(AHEAD, progress, expected)
    return Pace(ON_TRACK, progress, expected)


# Year-end forecast ------------------------------------------------------------


@dataclass(frozen=True)
class Forecast:
    """The year's result expected at year end, and the band it may fall in."""

    value: Value
    low: Optional[Decimal] = None
    high: Optional[Decimal] = None


def forecast(quarter_values: Sequence[Value], quarter: int, rule: str) -> Optional[Forecast]:
    """
    The year's result at year end from the quarters entered up to `quarter`.

    Linear by default: each quarter still to come (or not entered) is taken to
    bring what the entered ones brought on average, so a count at 24 after Q1
    and Q2 (10 and 14) is forecast at 48; the band runs from the weakest
    entered quarter repeated (44) to the strongest (52). An average rolls up
    the same way. For the roll-up rule LATEST (a rate, a score, a milestone)
    the forecast is the latest value, and the band has no width.
    """
    if quarter not in QUARTERS:
        raise ValueError(f"quarter must be 1–4, not {quarter!r}")
    entered = [value for value in list(quarter_values)[:quarter] if is_known(value)]
    if not entered:
        return None
    if rule == LATEST or not all(is_number(value) for value in entered):
        latest = entered[-1]
        return Forecast(latest, latest, latest) if is_number(latest) else Forecast(latest)
    so_far = sum(entered)
    still_to_come = len(QUARTERS) - len(entered)
    average = so_far / len(entered)
    value, low, high = (so_far + each * still_to_come
                        for each in (average, min(entered), max(entered)))
    if rule == AVERAGE:
        value, low, high = (each / len(QUARTERS) for each in (value, low, high))
    return Forecast(value, low, high)


def annualised(so_far: Value, quarter: int, rule: str) -> Value:
    """The year's result if the pace so far held to year end: a count at the
    end of `quarter` grows in a straight line (24 after Q2 → 48); a rate, a
    score or a milestone stands as it is."""
    if not is_number(so_far):
        return so_far
    return so_far * HUNDRED / expected_share(quarter, rule)


# Money ----------------------------------------------------------------------

WON_PER_CHEON = 1_000
WON_PER_EOK = 100_000_000


def won_to_cheon(won: Optional[int]) -> Optional[Decimal]:
    return None if won is None else Decimal(won) / WON_PER_CHEON


def won_to_eok(won: Optional[int], places: int = 2) -> Optional[Decimal]:
    """억원 rounded half up: 28,517천원 → 0.29."""
    return None if won is None else round_half_up(Decimal(won) / WON_PER_EOK, places)


# Budget execution (집행) ------------------------------------------------------

# Execution and achievement diverge strongly when one of them is at or above
# DIVERGENCE_HIGH percent while the other is at or below DIVERGENCE_LOW: 90%
# of the budget spent for 30% of the targets, or the other way round.
DIVERGENCE_HIGH = Decimal(90)
DIVERGENCE_LOW = Decimal(30)
SPENT_NOT_ACHIEVED = "spent_not_achieved"
ACHIEVED_NOT_SPENT = "achieved_not_spent"


def executed(amounts: dict, quarter: int) -> Optional[int]:
    """집행액 of the year so far at the end of `quarter`, in 원: the amounts
    ({quarter: 원 or None}) of the quarters up to it added up; None when none
    is known."""
    known = [amounts.get(each) for each in QUARTERS
             if each <= quarter and amounts.get(each) is not None]
    return sum(known) if known else None


def execution_rate(executed_won: Optional[int], budget_won: Optional[int]) -> Optional[Decimal]:
    """집행률 in percent, unrounded: 집행액 ÷ 사업비 × 100; None without an
    amount or a budget (nothing divides by a budget of 0)."""
    if executed_won is None or not budget_won:
        return None
    return Decimal(executed_won) * HUNDRED / Decimal(budget_won)


def divergence(rate: Optional[Decimal], achievement: Optional[Decimal]) -> Optional[str]:
    """SPENT_NOT_ACHIEVED when the budget is (nearly) spent but the targets
    are far from reached, ACHIEVED_NOT_SPENT for the reverse, else None."""
    if rate is None or achievement is None:
        return None
    if rate >= DIVERGENCE_HIGH and achievement <= DIVERGENCE_LOW:
        return SPENT_NOT_ACHIEVED
    if achievement >= DIVERGENCE_HIGH and rate <= DIVERGENCE_LOW:
        return ACHIEVED_NOT_SPENT
    return None


# Plain number formats (the units and words come from goals.formatting) ------


@lru_cache(maxsize=4096)  # a year's tables print the same few numbers many times
def format_number(value: Decimal, places: Optional[int] = None) -> str:
    """Thousands separators; trailing zeros dropped unless `places` is given:
    28517 → 28,517; 94.40 → 94.4; 60.00 → 60."""
    if places is not None:
        value = round_half_up(value, places)
        return f"{value:,.{places}f}"
    text = f"{value:,f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text or "0"


def format_percent_number(value: Optional[Decimal], places: int = 0) -> str:
    """An achievement rate as printed: 146.43 → 146; one decimal for changes,
    where 100.0 prints as 100 and 7.14 as 7.1."""
    if value is None:
        return ""
    rounded = round_half_up(value, places)
    return format_number(rounded)
