"""
The expected evaluation (경영평가) of a year, read once for every page.

`evaluation()` reads the year's figures from year_figures(), the scheme, and
each indicator's past results with a fixed number of queries, and runs every
number through goals.scoring: per indicator its method, 기준치 and 최고/최저목표,
the 평점 at the current pace and at year end (the forecast), 득점; per category
and in total the expected score and grade; the indicators that cost the most
points. The same reads serve the target simulator and the difficulty warnings
of the plan check, the admin and the plan import.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Optional

from django.utils.translation import gettext as _

from . import figures, scoring
from . import formatting as fmt
from .models import PAST_YEARS, Adjustment, EvaluationScheme, Indicator, PastResult, Plan
from .selectors import APPROVED_ONLY, year_figures, year_values

MOVERS = 5  # the indicators that cost the most points, shown first


# Past years --------------------------------------------------------------------------


def histories(book):
    """{indicator id: {year: value}}: each indicator's results of the years
    before the plan's, up to PAST_YEARS back. A year comes from the plan that
    holds it (through the indicators this one continues), last year's from
    the selector's 전년 실적 (as the plan states it, or last year's result),
    and any other from the past results entered for the indicator or the
    ones it continues."""
    year = book.year
    chain = {row[0]: row for row in Indicator.objects.filter(
        program__category__plan__institution=book.institution,
        program__category__plan__year__gte=year - PAST_YEARS,
        program__category__plan__year__lte=year).order_by().values_list(
        "id", "previous_id", "rollup", "program__category__plan__year")}
    lines = {}  # indicator id → [(year, ancestor id)], itself first
    for figure in book.indicators:
        line, current = [], figure.indicator.id
        while current in chain and len(line) <= PAST_YEARS:
            line.append((chain[current][3], current))
            current = chain[current][1]
        lines[figure.indicator.id] = line
    ancestors = {ancestor for line in lines.values() for _year, ancestor in line[1:]}
    members = {member for line in lines.values() for _year, member in line}
    past = defaultdict(dict)
    for indicator_id, past_year, value in PastResult.objects.filter(
            indicator__in=members).order_by().values_list("indicator_id", "year", "value"):
        past[indicator_id][past_year] = value
    # Read as the selector reads a year.
    held = year_values({ancestor: chain[ancestor][2] for ancestor in ancestors})

    series = {}
    for figure in book.indicators:
        line = lines[figure.indicator.id]
        values = {}
        for _year, member in line:
            for past_year, value in past[member].items():
                values.setdefault(past_year, value)
        for past_year, ancestor in line[1:]:
            value = held[ancestor]
            if figures.is_number(value):
                values[past_year] = value
        if figure.baseline_actual is not None and not figure.indicator.is_new:
            values[year - 1] = figure.baseline_actual
        series[figure.indicator.id] = {past_year: values[past_year]
                                       for past_year in sorted(values)
                                       if year - PAST_YEARS <= past_year < year}
    return series


def known_history(history, year):
    """The numbers of the consecutive years up to last year, oldest first: a
    method's five years are the last five, not any five."""
    values = []
    for past_year in range(year - 1, year - PAST_YEARS - 1, -1):
        if past_year not in history:
            break
        values.insert(0, history[past_year])
    return values


# One indicator --------------------------------------------------------------------------


@dataclass
class IndicatorEvaluation:
    figure: object  # selectors.IndicatorFigures
    item: Optional[object]  # the scheme's SchemeIndicator; None: not evaluated
    target: figures.Value  # the target the scheme evaluates against
    history: dict  # year → value
    now: Optional[scoring.Score] = None  # 평점 at the current pace
    forecast: Optional[figures.Forecast] = None
    expected: Optional[scoring.Score] = None  # 평점 at year end (the forecast)
    score_now: Optional[Decimal] = None  # 평점 at the current pace, rounded as the scheme says
    score: Optional[Decimal] = None  # 평점 at year end, rounded
    score_low: Optional[Decimal] = None  # the forecast band's 평점
    score_high: Optional[Decimal] = None
    points_now: Optional[Decimal] = None
    points: Optional[Decimal] = None  # expected 득점

    @property
    def indicator(self):
        return self.figure.indicator

    @property
    def weight(self):
        return self.item.weight if self.item else None

    @property
    def bounds(self):
        return self.expected.bounds if self.expected else None

    @property
    def lost(self):
        """Points the indicator is expected to leave on the table: (100 −
        평점) ÷ 100 × 배점."""
        if self.item is None:
            return None
        return self.item.weight - (self.points or Decimal(0))

    @property
    def note(self):
        return problem_text(self.expected)


def problem_text(score):
    """Why a 평점 is missing or came from the fallback, in Korean."""
    if score is None or score.problem is None:
        return ""
    fell_back = _("목표대비실적으로 대체") if score.method == scoring.TARGET else _("평점 없음")
    if score.problem == scoring.SHORT_HISTORY:
        words = {"years": score.years, "needed": score.needed, "then": fell_back}
        if not score.years:
            return _("과거 실적 없음(%(needed)s년 필요): %(then)s") % words
        return _("과거 실적 %(years)s년뿐(%(needed)s년 필요): %(then)s") % words
    if score.problem == scoring.FLAT_BOUNDS:
        return _("최고목표와 최저목표가 같음(과거 실적에 변동이 없음): %(then)s") % {"then": fell_back}
    if score.problem == scoring.QUALITATIVE:
        return _("정성 목표는 편차 방식으로 평가할 수 없음: %(then)s") % {"then": fell_back}
    if score.problem == scoring.NO_TARGET:
        return _("목표 없음")
    return _("실적 미입력")


def _evaluate_indicator(figure, item, scheme, history, year, quarter):
    if scheme is not None and scheme.target_basis == EvaluationScheme.TargetBasis.ORIGINAL:
        target = figure.original_target
    else:
        target = figure.target
    row = IndicatorEvaluation(figure, item, target, history)
    if item is None:
        return row
    indicator = figure.indicator
    rule, past = item.rule, known_history(history, year)

    def score(actual):
        return scoring.evaluate(rule, target, actual, past, indicator.direction)

    row.forecast = figure.forecast_at(quarter)
    so_far = (figure.confirmed if figure.is_confirmed
              else figures.annualised(figure.cumulative[quarter], quarter, indicator.rollup))
    row.now = score(so_far)
    row.expected = score(row.forecast.value if row.forecast else None)
    row.score_now, row.score = scheme.rounded(row.now.score), scheme.rounded(row.expected.score)
    if row.forecast and row.forecast.low is not None and row.score is not None:
        row.score_low, row.score_high = sorted(
            scheme.rounded(score(value).score) for value in (row.forecast.low, row.forecast.high))
    row.points_now = _points(scheme, item, row.score_now)
    row.points = _points(scheme, item, row.score)
    return row


def _points(scheme, item, score):
    """득점 from the rounded 평점, rounded again: 8 × 64.26 ÷ 100 → 5.14."""
    return scheme.rounded(scoring.points(item.weight, score))


# The year ------------------------------------------------------------------------------


@dataclass
class CategoryEvaluation:
    category: object
    rows: list

    @property
    def evaluated(self):
        return [row for row in self.rows if row.item]

    @property
    def weight(self):
        return sum((row.weight for row in self.evaluated), Decimal(0))

    @property
    def points(self):
        return figures.total(row.points for row in self.evaluated)

    @property
    def points_now(self):
        return figures.total(row.points_now for row in self.evaluated)


@dataclass
class Evaluation:
    book: object  # selectors.YearFigures
    scheme: Optional[EvaluationScheme]
    schemes: list  # every scheme of the year, to choose from
    categories: list = field(default_factory=list)
    bands: list = field(default_factory=list)
    adjustments: list = field(default_factory=list)
    problems: list = field(default_factory=list)  # what makes the scheme unusable

    @property
    def rows(self):
        return [row for category in self.categories for row in category.rows]

    @property
    def by_indicator(self):
        """{indicator id: IndicatorEvaluation}."""
        return {row.indicator.id: row for row in self.rows}

    @property
    def evaluated(self):
        return [row for row in self.rows if row.item]

    @property
    def bonus(self):
        return sum((item.points for item in self.adjustments
                    if item.kind == Adjustment.Kind.BONUS), Decimal(0))

    @property
    def penalty(self):
        return sum((item.points for item in self.adjustments
                    if item.kind == Adjustment.Kind.PENALTY), Decimal(0))

    @property
    def weight(self):
        return sum((row.weight for row in self.evaluated), Decimal(0))

    @property
    def unscored(self):
        """Evaluated indicators without an expected 평점 (no result yet): they
        count as 0 in the total."""
        return [row for row in self.evaluated if row.points is None]

    @property
    def unscored_weight(self):
        return sum((row.weight for row in self.unscored), Decimal(0))

    def _total(self, attribute):
        earned = [getattr(row, attribute) for row in self.evaluated]
        if self.scheme is None or all(points is None for points in earned):
            return None
        return self.scheme.rounded(scoring.total(earned, self.bonus, self.penalty))

    @property
    def total(self):
        """Σ득점 + 가점 − 감점 at year end, as forecast; None before any 평점."""
        return self._total("points")

    @property
    def total_now(self):
        """The same at the current pace."""
        return self._total("points_now")

    def grade_of(self, total):
        if total is None or self.problems:
            return None
        return scoring.grade(total, [(band.label, band.lower_bound) for band in self.bands])

    @property
    def grade(self):
        return self.grade_of(self.total)

    @property
    def grade_now(self):
        return self.grade_of(self.total_now)

    @property
    def next_band(self):
        """(the next better band, the points still missing to reach it), or None."""
        if self.grade is None:
            return None
        index = [band.label for band in self.bands].index(self.grade)
        if index == 0:
            return None
        better = self.bands[index - 1]
        return better, better.lower_bound - self.total

    @property
    def movers(self):
        """The indicators expected to cost the most points (gap × 배점), first."""
        costly = [row for row in self.evaluated if row.lost and row.lost > 0]
        return sorted(costly, key=lambda row: row.lost, reverse=True)[:MOVERS]


def schemes_of(institution, year):
    return list(EvaluationScheme.objects.filter(institution=institution, year=year)
                .order_by("name"))


def choose(schemes, scheme_id):
    """The scheme `scheme_id` among `schemes`, or the first (by name)."""
    return next((each for each in schemes if each.pk == scheme_id),
                schemes[0] if schemes else None)


def evaluation(institution, year, scheme_id=None, quarter=None, shown=APPROVED_ONLY):
    """The expected evaluation of `institution`'s `year` under the scheme
    `scheme_id` (the year's first scheme by name when not given or unknown:
    the institution's default), with the pace judged at `quarter`, counting
    the values `shown` allows. Raises Plan.DoesNotExist when there is no
    such plan."""
    return of_book(year_figures(institution, year, quarter, shown=shown), scheme_id)


def default_evaluation(institution, year, quarter=None, shown=APPROVED_ONLY):
    """evaluation() under the default scheme, or None without reading the
    year when the year has no scheme (a page that shows it beside other
    figures, such as the indicator page)."""
    schemes = schemes_of(institution, year)
    if not schemes:
        return None
    book = year_figures(institution, year, quarter, shown=shown)
    return evaluate(book, choose(schemes, None), schemes)


def of_book(book, scheme_id=None):
    """The expected evaluation of the year's figures `book` (a whole year, as
    the overview reads it) under the scheme `scheme_id`, or the default."""
    schemes = schemes_of(book.institution, book.year)
    return evaluate(book, choose(schemes, scheme_id), schemes)


def evaluate(book, scheme, schemes=(), past=None):
    """The evaluation of the year's figures `book` under `scheme` (None: no
    scheme, nothing evaluated). `past` is histories(book), if already read."""
    result = Evaluation(book, scheme, list(schemes))
    items = {}
    if scheme is not None:
        # In each model's order within the scheme (its default order goes
        # through the scheme to its institution: joins for nothing).
        scheme_items = list(scheme.items.order_by(
            "indicator__program__category__order", "indicator__program__number",
            "indicator__order"))
        items = {item.indicator_id: item for item in scheme_items}
        result.bands = list(scheme.bands.order_by("order"))
        result.adjustments = list(scheme.adjustments.order_by("kind", "name"))
        result.problems = scheme.problems(scheme_items, result.bands)
    if past is None:
        past = histories(book) if items else {}
    for category in book.categories:
        rows = [_evaluate_indicator(figure, items.get(figure.indicator.id), scheme,
                                    past.get(figure.indicator.id, {}), book.year, book.quarter)
                for program in category.programs for figure in program.indicators]
        result.categories.append(CategoryEvaluation(category.category, rows))
    result.problems += method_problems(result.evaluated)
    return result


def method_problems(rows):
    """Indicators whose method cannot be applied (too few past years, or
    최고목표 = 최저목표) and whose scheme names no fallback: they would get no
    평점. With a fallback the row says so itself (IndicatorEvaluation.note)."""
    return [problem for problem in (_unusable(row.item, row.expected) for row in rows
                                    if row.expected is not None) if problem]


def history_problems(scheme, items):
    """The same for scheme items not saved yet, to refuse them: read from the
    scheme's plan and the indicators' past results."""
    try:
        book = year_figures(scheme.institution, scheme.year)
    except Plan.DoesNotExist:
        return []
    past = histories(book)
    scores = ((item, scoring.evaluate(item.rule, None, None,
                                      known_history(past.get(item.indicator_id, {}), scheme.year),
                                      item.indicator.direction)) for item in items)
    return [problem for problem in (_unusable(item, score) for item, score in scores) if problem]


def _unusable(item, score):
    if item.fallback != scoring.NO_FALLBACK:
        return None
    words = {"name": item.indicator.measurement, "method": item.get_method_display(),
             "needed": score.needed, "known": score.years}
    if score.problem == scoring.SHORT_HISTORY:
        return _("%(name)s: %(method)s 방식에는 최근 %(needed)s년의 실적이 필요한데 %(known)s년뿐입니다. "
                 "과거 실적을 입력하거나 대체 방식을 정하세요.") % words
    if score.problem == scoring.FLAT_BOUNDS:
        return _("%(name)s: 과거 실적에 변동이 없어 최고목표와 최저목표가 같습니다. 평점을 낼 수 없으니 "
                 "대체 방식을 정하세요.") % words
    return None


# Difficulty of targets ------------------------------------------------------------------


@dataclass(frozen=True)
class SoftTarget:
    indicator: Indicator
    message: str


def soft_target(figure, target, history, year):
    """A Korean warning when `target` is softer than last year's result or
    than 기준치 (the better of last year and the three-year average), else
    None. Evaluators question such targets first."""
    if not figures.is_number(target):
        return None
    past = known_history(history, year)
    if not past:
        return None
    indicator = figure.indicator
    lower = indicator.direction == figures.LOWER
    last, base = past[-1], scoring.baseline(past, indicator.direction)
    unit = indicator.unit
    # Last year's result in last year's unit (53회 where this year counts 건:
    # the plan check names that clash).
    words = {"target": fmt.quantity(target, unit),
             "last": fmt.quantity(last, figure.baseline_unit or unit),
             "base": fmt.quantity(scoring.rounded(base), unit)}
    if (target > last) if lower else (target < last):
        return (_("목표(%(target)s)가 전년 실적(%(last)s)보다 높습니다(낮을수록 좋은 지표).") if lower
                else _("목표(%(target)s)가 전년 실적(%(last)s)보다 낮습니다.")) % words
    if (target > base) if lower else (target < base):
        return (_("목표(%(target)s)가 기준치(%(base)s: 전년 실적과 최근 3년 평균 중 낮은 값)보다 "
                  "높습니다(낮을수록 좋은 지표).") if lower
                else _("목표(%(target)s)가 기준치(%(base)s: 전년 실적과 최근 3년 평균 중 높은 값)보다 "
                       "낮습니다.")) % words
    return None


def soft_targets(book, past=None):
    """The year's targets that evaluators would call soft, as SoftTargets."""
    past = histories(book) if past is None else past
    found = []
    for figure in book.indicators:
        message = soft_target(figure, figure.target, past.get(figure.indicator.id, {}),
                              book.year)
        if message:
            found.append(SoftTarget(figure.indicator, message))
    return found


# Target simulator --------------------------------------------------------------------


@dataclass
class Simulation:
    figure: object
    item: Optional[object]
    history: dict
    proposed: figures.Value
    last_year: Optional[Decimal] = None  # 전년 실적
    baseline: Optional[Decimal] = None  # 기준치
    bounds: Optional[scoring.Bounds] = None  # what the method implies
    if_met: Optional[scoring.Score] = None  # 평점 if the result equals the proposed target
    if_last_year: Optional[scoring.Score] = None  # ... if it repeats last year's
    warning: Optional[str] = None

    @property
    def indicator(self):
        return self.figure.indicator


class TargetSimulator:
    """For each indicator of a year's plan (next year's, while planning it):
    기준치, the 최고/최저목표 its method implies, and the 평점 a proposed
    target would likely earn if met and if the result stayed at last year's,
    with the difficulty warning. Reads once; `rows()` tries targets."""

    def __init__(self, institution, year, scheme_id=None):
        self.book = year_figures(institution, year)
        self.schemes = schemes_of(institution, year)
        self.scheme = choose(self.schemes, scheme_id)
        self.items = ({item.indicator_id: item for item in self.scheme.items.all()}
                      if self.scheme else {})
        self.past = histories(self.book)

    def rows(self, proposed=None):
        """`proposed` maps indicator ids to targets; the plan's own targets
        stand for the others."""
        proposed = proposed or {}
        year = self.book.year
        rows = []
        for figure in self.book.indicators:
            indicator = figure.indicator
            item = self.items.get(indicator.id)
            history = self.past.get(indicator.id, {})
            known = known_history(history, year)
            target = proposed.get(indicator.id, figure.target)
            row = Simulation(figure, item, history, target)
            rule = item.rule if item else scoring.Rule()
            if known:
                row.last_year = known[-1]
                row.baseline = scoring.baseline(known, indicator.direction)
                row.bounds = scoring.bounds_for(rule, known, indicator.direction)
            if target is not None:
                row.if_met = scoring.evaluate(rule, target, target, known, indicator.direction)
                if known:
                    row.if_last_year = scoring.evaluate(rule, target, known[-1], known,
                                                        indicator.direction)
            row.warning = soft_target(figure, target, history, year)
            rows.append(row)
        return rows


def target_notes(program):
    """{indicator id: Korean text} to show beside each target of `program` in
    the admin: its revision (변경, with the original) and whether it is soft."""
    plan = program.category.plan
    book = year_figures(plan.institution, plan.year, programs=[program.pk])
    past = histories(book)
    notes = {}
    for figure in book.indicators:
        unit = figure.indicator.unit
        parts = []
        if figure.is_revised:
            parts.append(_("목표 변경: 당초 %(original)s → 변경 %(revised)s.") % {
                "revised": fmt.quantity(figure.target, unit),
                "original": fmt.quantity(figure.original_target, unit) or "-"})
        soft = soft_target(figure, figure.target, past.get(figure.indicator.id, {}), plan.year)
        if soft:
            parts.append(_("난이도 경고: %(warning)s") % {"warning": soft})
        if parts:
            notes[figure.indicator.id] = " ".join(parts)
    return notes
