"""
What the dashboard shows, read from a year's figures: the rows of the
overview, its filters, and two years side by side.

Nothing here computes a figure. The rows take every number from the
selector's YearFigures and write it with goals.formatting; beside each
written cell they keep a sort key made of the same number, so a column sorts
by value (9회 before 10회), not by its text.
"""

from dataclasses import dataclass, field
from decimal import Decimal
from html import escape
from typing import Optional

from django import forms
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import charts, figures
from . import formatting as fmt
from .models import QUARTERS, Period, Submission

# Pace statuses in the order a director reads them: what needs attention first.
STATUSES = (figures.BEHIND, figures.NOT_ENTERED, figures.ON_TRACK, figures.AHEAD,
            figures.NO_TARGET)
NO_OWNER = "none"


def url_for_pk(viewname, *args):
    """pk → the URL of `viewname`, reversing once: reverse() costs tens of
    microseconds, which adds up over the rows of a 500-indicator table."""
    head, _sep, tail = reverse(viewname, args=(*args, 0)).rpartition("/0/")
    return lambda pk: f"{head}/{pk}/{tail}"


def number_key(value):
    """A sort key for a figure: nothing first, then states (구축완료), then numbers by size."""
    if value is None:
        return (0, Decimal(0))
    if isinstance(value, str):
        return (1, Decimal(0))
    return (2, value)


def change_key(change):
    """신규 and changed states first, then decreases, 동일 and increases by their percentage."""
    if change is None:
        return (0, Decimal(0))
    if change.kind in (figures.NEW, figures.CHANGED):
        return (1, Decimal(0))
    if change.kind == figures.SAME:
        return (2, Decimal(0))
    percent = change.percent if change.percent is not None else Decimal("Infinity")
    return (2, percent if change.kind == figures.INCREASE else -percent)


def owner_name(user):
    return (user.get_full_name() or user.get_username()) if user else ""


def status_badge(status):
    return format_html('<span class="status status--{}">{}</span>', status, fmt.pace(status))


def link(url, text):
    # Written without format_html: this runs for every row of a 500-indicator table.
    return mark_safe(f'<a href="{escape(url)}">{escape(text)}</a>')


class _Writer:
    """Writes the cells of the overview's rows. What is the same on many rows
    (a status badge, a translated word, a change) is written once."""

    def __init__(self):
        self.badges = {status: status_badge(status) for status in STATUSES}
        self.reaches = {quarter: _("%(quarter)s분기까지") % {"quarter": quarter}
                        for quarter in QUARTERS}
        self.reaches[Period.YEAR] = _("연간")
        self.progress_title = escape(_("진도율/기대 진도"))
        self.changes = {}

    def reach(self, figure):
        """How far the result reaches: the latest quarter entered (2분기까지), or
        the year once it is confirmed (연간); returned as (text, sort key)."""
        if figure.result is None:
            return fmt.EMPTY, 0
        latest = figure.latest_quarter
        period = Period.YEAR if figure.is_confirmed or not latest else latest
        return self.reaches[period], period

    def pace(self, pace):
        """지연 30%/50%: the status, and the year so far against where it should be."""
        badge = self.badges[pace.status]
        if pace.progress is None:
            return badge
        return mark_safe(f'{badge} <span class="muted" title="{self.progress_title}">'
                         f'{fmt.rate(pace.progress)}/{fmt.rate(pace.expected)}</span>')

    def change(self, change):
        if change not in self.changes:
            self.changes[change] = fmt.change(change)
        return self.changes[change]


@dataclass
class Row:
    """A line of a table, written (goals.tables.WrittenTable): its cells, a sort
    key per column, and, on the overview, the indicator it shows with its
    program and category, which the filters read."""

    cells: dict = field(default_factory=dict)  # column → HTML
    keys: dict = field(default_factory=dict)  # column → sort key
    row_class: str = ""
    category: Optional[object] = None  # CategoryFigures
    program: Optional[object] = None  # ProgramFigures
    figure: Optional[object] = None  # IndicatorFigures; None for a program without indicators

    @property
    def status(self):
        return self.figure.pace.status if self.figure else None

    @property
    def owner_id(self):
        return self.program.program.owner_id


def overview_rows(book):
    """Every indicator of the year, in the plan's order; a program without
    indicators still gets its line."""
    plan = book.plan
    program_url = url_for_pk("goals:program", plan.institution.code, plan.year)
    indicator_url = url_for_pk("goals:indicator", plan.institution.code, plan.year)
    writer = _Writer()
    rows = []
    for category in book.categories:
        order = category.category.order
        for program_figures in category.programs:
            program = program_figures.program
            shared_cells = {
                "category": category.category.name,
                "program": link(program_url(program.pk), program.numbered_name),
                "owner": owner_name(program.owner) or fmt.EMPTY,
                "budget": fmt.eok(program.budget_won),
            }
            shared_keys = {
                "category": order,
                "program": (order, program.number),
                "owner": owner_name(program.owner),
                "budget": program.budget_won if program.budget_won is not None else -1,
            }
            for figure in program_figures.indicators or [None]:
                row = Row(dict(shared_cells), dict(shared_keys), category=category,
                          program=program_figures, figure=figure)
                if figure is not None:
                    _write_indicator(row, figure, indicator_url(figure.indicator.pk), writer)
                else:
                    row.cells.update(dict.fromkeys(
                        ("indicator", "target", "result", "reach", "achievement", "pace",
                         "baseline", "change"), fmt.EMPTY))
                    row.keys.update(indicator="", target=number_key(None),
                                    result=number_key(None), reach=0,
                                    achievement=number_key(None),
                                    pace=(len(STATUSES), 0), baseline=number_key(None),
                                    change=change_key(None))
                rows.append(row)
    return rows


def _write_indicator(row, figure, url, writer):
    indicator = figure.indicator
    unit = indicator.unit
    pace = figure.pace
    reach, reached = writer.reach(figure)
    row.cells.update(
        indicator=link(url, indicator.measurement),
        target=fmt.quantity(figure.target, unit, figure.target_note) or fmt.EMPTY,
        result=fmt.quantity(figure.result, unit, figure.result_note) or fmt.EMPTY,
        reach=reach,
        achievement=fmt.rate(figure.achievement),
        pace=writer.pace(pace),
        baseline=fmt.baseline(figure.baseline_actual, figure.baseline_target,
                              figure.baseline_unit, figure.baseline_note),
        change=writer.change(figure.change),
    )
    row.keys.update(
        indicator=indicator.measurement,
        target=number_key(figure.target),
        result=number_key(figure.result),
        reach=reached,
        achievement=number_key(figure.achievement),
        pace=(STATUSES.index(pace.status), pace.progress or 0),
        baseline=number_key(figure.baseline_actual),
        change=change_key(figure.change),
    )
    row.row_class = f"row--{pace.status}"


def category_rows(book):
    """Totals per category, then the year's: budget, statuses, achievement."""
    rows = []
    for item in book.categories + [book]:
        is_total = item is book
        counts = item.status_counts
        row = Row(cells={
            "category": _("합계") if is_total else item.category.name,
            "programs": fmt.number(Decimal(len(item.programs))),
            "indicators": fmt.number(Decimal(len(item.indicators))),
            "budget": fmt.eok(item.budget_won),
            "achievement": fmt.rate(item.average_achievement),
            **{status: fmt.number(Decimal(counts[status])) for status in STATUSES},
        }, row_class="total" if is_total else "")
        rows.append(row)
    return rows


def achievement_bars(book):
    """The bars of the achievement-by-category chart."""
    return [charts.Bar(category.category.name, category.average_achievement,
                       fmt.rate(category.average_achievement)
                       if category.average_achievement is not None else _("실적 없음"))
            for category in book.categories]


@dataclass
class PlanLine:
    """A line of a three-year plan table; `group_span` is the rowspan of its
    group's cell on the group's first line, 0 on the others."""

    name: str
    cells: list
    note: str = ""
    group: str = ""
    group_span: int = 0


def three_year_plan(program):
    """The unit projects' plan for the coming years as the document prints it:
    years, the 계 line (None where the report prints none), then a line per
    unit project, grouped."""
    years = sorted(program.unit_totals)
    total = PlanLine(_("계"), [fmt.unit_total(program.unit_totals[year]) or fmt.EMPTY
                               for year in years]) if program.has_plan_total else None
    lines = []
    for unit in program.unit_projects:
        project = unit.unit_project
        line = PlanLine(project.name, [fmt.quantity(unit.targets.get(year), project.unit)
                                       or fmt.EMPTY for year in years],
                        project.note, project.group)
        if lines and lines[-1].group == project.group:
            first = next(earlier for earlier in reversed(lines) if earlier.group_span)
            first.group_span += 1
        else:
            line.group_span = 1
        lines.append(line)
    return years, total, lines


def quarter_lines(program):
    """This year's values quarter by quarter: each indicator, then each unit project."""
    return [_quarter_line(figure.indicator.measurement, figure.quarters, figure.result,
                          figure.indicator.unit, _("성과지표"))
            for figure in program.indicators] + unit_quarter_lines(program.unit_projects)


def unit_quarter_lines(unit_projects):
    return [_quarter_line(unit.unit_project.name, unit.quarters, unit.result,
                          unit.unit_project.unit, _("단위사업"))
            for unit in unit_projects]


def _quarter_line(name, quarters, result, unit, group):
    return PlanLine(name, [fmt.quantity(quarters[quarter], unit) or fmt.EMPTY
                           for quarter in QUARTERS] + [fmt.quantity(result, unit) or fmt.EMPTY],
                    group=group)


def submission_label(status):
    return Submission.Status(status).label


def submission_states(program):
    """(quarter label, status, status label) of each quarter's submission."""
    return [(Period(quarter).label, program.quarter_status(quarter),
             submission_label(program.quarter_status(quarter))) for quarter in QUARTERS]


def quarter_paces(program, figure):
    """An indicator's quarters: value, the year so far, its pace then, and
    the program's submission of that quarter."""
    unit = figure.indicator.unit
    return [(Period(quarter).label, fmt.quantity(figure.quarters[quarter], unit) or fmt.EMPTY,
             fmt.quantity(figure.cumulative[quarter], unit) or fmt.EMPTY,
             figure.pace_at(quarter), program.quarter_status(quarter),
             submission_label(program.quarter_status(quarter)))
            for quarter in QUARTERS]


def notes(figure):
    """What was noted beside the indicator's values: (where, subject, note)."""
    found = []
    if figure.target_note:
        found.append((_("목표"), figure.indicator.measurement, figure.target_note))
    owners = [(figure.indicator.measurement, figure.results)] + [
        (unit.unit_project.name, unit.results) for unit in figure.unit_projects]
    for subject, results in owners:
        for period, result in sorted(results.items()):
            if result.note:
                found.append((Period(period).label, subject, result.note))
    return found


def labelled(narratives):
    """Narratives grouped by their label, in order: the table form of 사업내용
    (대상 | 내용). [(label, [narrative, ...]), ...]"""
    groups = []
    for narrative in narratives:
        if groups and groups[-1][0] == narrative.label:
            groups[-1][1].append(narrative)
        else:
            groups.append((narrative.label, [narrative]))
    return groups


def with_quarter(query, quarter):
    """The query string with the quarter in use, so the form shows it when the
    address gave none."""
    query = query.copy()
    if not query.get("q"):
        query["q"] = str(quarter)
    return query


class QuarterForm(forms.Form):
    """The quarter the pace is judged at, from the query string."""

    q = forms.TypedChoiceField(label=gettext_lazy("진도 기준 분기"), coerce=int, required=False,
                               choices=[(quarter, Period(quarter).label) for quarter in QUARTERS])

    @classmethod
    def quarter(cls, data, default):
        """The quarter asked for, or `default` (the form reports a bad one)."""
        try:
            return cls.base_fields["q"].clean(data.get("q")) or default
        except forms.ValidationError:
            return default


class OverviewFilters(QuarterForm):
    """The overview's choices, all in the query string: the quarter, and which
    rows to show."""

    category = forms.ChoiceField(label=gettext_lazy("전략 분야"), required=False)
    status = forms.ChoiceField(label=gettext_lazy("진도"), required=False)
    owner = forms.ChoiceField(label=gettext_lazy("담당자"), required=False)

    def __init__(self, data, book):
        super().__init__(data)
        everything = [("", _("전체"))]
        self.fields["category"].choices = everything + [
            (str(category.category.pk), category.category.name) for category in book.categories]
        self.fields["status"].choices = everything + [
            (status, fmt.pace(status)) for status in STATUSES]
        owners = {program.program.owner for program in book.programs}
        named = sorted(((str(owner.pk), owner_name(owner)) for owner in owners if owner),
                       key=lambda choice: choice[1])
        unowned = [(NO_OWNER, _("지정 안 됨"))] if None in owners else []
        self.fields["owner"].choices = everything + named + unowned

    def filter(self, rows):
        """The rows the choices keep; a choice that is not valid filters nothing."""
        self.is_valid()
        category, status, owner = (self.cleaned_data.get(name)
                                   for name in ("category", "status", "owner"))
        if category:
            rows = [row for row in rows if str(row.category.category.pk) == category]
        if status:
            rows = [row for row in rows if row.status == status]
        if owner:
            rows = [row for row in rows
                    if (row.owner_id is None if owner == NO_OWNER else str(row.owner_id) == owner)]
        return rows

    @property
    def is_filtered(self):
        return any(self.data.get(name) for name in ("category", "status", "owner"))


# Two years side by side -------------------------------------------------------


class CompareForm(forms.Form):
    """Two of the institution's years, in either order."""

    a = forms.TypedChoiceField(label=gettext_lazy("비교 연도"), coerce=int)
    b = forms.TypedChoiceField(label=gettext_lazy("기준 연도"), coerce=int)

    def __init__(self, data, years):
        super().__init__(data)
        for name in ("a", "b"):
            self.fields[name].choices = [(year, _("%(year)s년") % {"year": year})
                                         for year in years]

    def clean(self):
        data = super().clean()
        if data.get("a") is not None and data.get("a") == data.get("b"):
            raise forms.ValidationError(_("서로 다른 두 연도를 고르세요."))
        return data


@dataclass
class Pair:
    """A program's or indicator's figures in the earlier year and in the later
    one; either side may be missing (new, or dropped)."""

    earlier: Optional[object]
    later: Optional[object]


def pair_years(earlier, later, links=None):
    """
    Match the programs and indicators of two years' figures through
    Program.previous and Indicator.previous. When the years are not
    consecutive, `links` gives the steps in between: {"program": {id:
    previous_id}, "indicator": {...}}. Returns (program pairs, indicator pairs):
    the later year's order, then what only the earlier year had.
    """
    links = links or {"program": {}, "indicator": {}}
    programs = _pairs([(item.program, item) for item in earlier.programs],
                      [(item.program, item) for item in later.programs], links["program"])
    indicators = _pairs([(item.indicator, item) for item in earlier.indicators],
                        [(item.indicator, item) for item in later.indicators],
                        links["indicator"])
    return programs, indicators


def _pairs(earlier, later, links):
    by_id = {obj.pk: item for obj, item in earlier}
    matched = set()
    pairs = []
    for obj, item in later:
        ancestor = obj.previous_id
        while ancestor is not None and ancestor not in by_id:
            ancestor = links.get(ancestor)
        if ancestor is not None and ancestor not in matched:
            matched.add(ancestor)
            pairs.append(Pair(by_id[ancestor], item))
        else:
            pairs.append(Pair(None, item))
    pairs += [Pair(item, None) for obj, item in earlier if obj.pk not in matched]
    return pairs


CONTINUED = gettext_lazy("계속")
NEW = gettext_lazy("신규")
DROPPED = gettext_lazy("종료")


def comparison_rows(pairs, earlier_book, later_book):
    """The indicator pairs of two years, written for ComparisonTable."""
    urls = {book.year: url_for_pk("goals:indicator", book.plan.institution.code, book.year)
            for book in (earlier_book, later_book)}
    rows = []
    for position, pair in enumerate(pairs):
        row = Row()
        shown = pair.later or pair.earlier
        program = shown.indicator.program
        row.cells["program"] = program.numbered_name
        row.keys["program"] = (pair.later is None, program.category.order, program.number,
                               position)
        for side, figure, book in (("earlier", pair.earlier, earlier_book),
                                   ("later", pair.later, later_book)):
            _write_side(row, side, figure, urls[book.year])
        status = CONTINUED if pair.earlier and pair.later else NEW if pair.later else DROPPED
        row.cells["link"] = str(status)
        row.keys["link"] = str(status)
        rows.append(row)
    return rows


def _write_side(row, side, figure, indicator_url):
    if figure is None:
        row.cells.update({f"{side}_{name}": fmt.EMPTY
                          for name in ("indicator", "target", "result", "achievement")})
        row.keys.update({f"{side}_indicator": "", f"{side}_target": number_key(None),
                         f"{side}_result": number_key(None),
                         f"{side}_achievement": number_key(None)})
        return
    indicator = figure.indicator
    row.cells.update({
        f"{side}_indicator": link(indicator_url(indicator.pk), indicator.measurement),
        f"{side}_target": fmt.quantity(figure.target, indicator.unit, figure.target_note)
        or fmt.EMPTY,
        f"{side}_result": fmt.quantity(figure.result, indicator.unit, figure.result_note)
        or fmt.EMPTY,
        f"{side}_achievement": fmt.rate(figure.achievement),
    })
    row.keys.update({f"{side}_indicator": indicator.measurement,
                     f"{side}_target": number_key(figure.target),
                     f"{side}_result": number_key(figure.result),
                     f"{side}_achievement": number_key(figure.achievement)})


# Charts ----------------------------------------------------------------------


def pace_chart(figure, basis=4):
    """An indicator's year so far at each quarter against the pace it should
    keep, and over Q4 the band of the year-end forecast from the quarter
    `basis`."""
    paces = [figure.pace_at(quarter) for quarter in QUARTERS]
    return charts.column_chart(
        "pace", [str(Period(quarter).label) for quarter in QUARTERS],
        [charts.Series(_("진도율"), [pace.progress for pace in paces],
                       [fmt.rate(pace.progress) if pace.progress is not None else _("미입력")
                        for pace in paces], "result")],
        line=charts.Series(_("기대 진도"), [pace.expected for pace in paces],
                           [fmt.rate(pace.expected) for pace in paces], "pace"),
        title=_("%(name)s: 분기 말 진도율과 기대 진도(연간 목표 대비 %%)")
        % {"name": figure.indicator.measurement}, unit="%", band=forecast_band(figure, basis))


def forecast_band(figure, quarter):
    """The year-end forecast as a share of the annual target, for the pace
    chart: the band from the weakest to the strongest quarter repeated."""
    forecast = figure.forecast_at(quarter)
    if forecast is None or forecast.low is None or not figures.is_number(figure.target):
        return None
    value, low, high = (figures.achievement(figure.target, each)
                        for each in (forecast.value, forecast.low, forecast.high))
    return charts.Band(len(QUARTERS) - 1, low, high, _(
        "연말 예상 %(value)s(%(low)s–%(high)s)") % {
        "value": fmt.rate(value), "low": fmt.rate(low), "high": fmt.rate(high)})


def years_chart(figure, years):
    """Targets and results of the years given ([(year, IndicatorFigures)]) that are numbers."""
    unit = figure.indicator.unit
    shown = [(year, item) for year, item in years
             if not isinstance(item.target, str) and not isinstance(item.result, str)]
    if not shown:
        return ""
    return charts.column_chart(
        "years-chart", [str(year) for year, _item in shown],
        [charts.Series(_("목표"), [item.target for _year, item in shown],
                       [fmt.quantity(item.target, unit) for _year, item in shown], "target"),
         charts.Series(_("실적"), [item.result for _year, item in shown],
                       [fmt.quantity(item.result, unit) for _year, item in shown], "result")],
        unit=unit, title=_("%(name)s: 연도별 목표와 실적") % {"name": figure.indicator.measurement})


def plan_charts(chart_id, name, totals):
    """The three-year plan's 계 ({year: UnitTotal}), one chart a unit: 135명 and
    16회 share no axis."""
    years = sorted(totals)
    by_unit = {}
    for year in years:
        for value, unit in totals[year].sums:
            by_unit.setdefault(unit, {})[year] = value
    made = []
    for number, (unit, per_year) in enumerate(by_unit.items()):
        values = [per_year.get(year) for year in years]
        made.append(charts.column_chart(
            f"{chart_id}-{number}", [str(year) for year in years],
            [charts.Series(_("목표 계(%(unit)s)") % {"unit": unit}, values, [fmt.quantity(value, unit) for value in values],
                           "target")],
            title=_("%(name)s: 3개년 목표 계(%(unit)s)") % {"name": name, "unit": unit},
            unit=unit))
    return made
