"""
The year's overview, read from a year's figures: a row per indicator, the
totals per category, and the bars of achievement by category.

Nothing here computes a figure. The rows take every number from the
selector's YearFigures, all at the year's basis quarter, and write it with
goals.formatting; beside each written cell they keep a sort key made of the
same number, so a column sorts by value (9회 before 10회), not by its text. A
result that counts a value not approved yet carries the mark 미승인.
"""

from dataclasses import dataclass, field
from decimal import Decimal
from html import escape
from typing import Optional

from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import charts, evaluation, figures
from . import formatting as fmt
from .models import Submission
from .selectors import plan_years, year_figures
from .people import display_name

# Pace statuses in the order a director reads them: what needs attention first.
STATUSES = (figures.BEHIND, figures.NOT_ENTERED, figures.ON_TRACK, figures.AHEAD,
            figures.UNMEASURED, figures.NO_TARGET)
# Where a row's values stand, in the order a director reads them: what is not
# approved first; a year confirmed by planning staff last.
CONFIRMED = "confirmed"
STANDINGS = (Submission.Status.DRAFT, Submission.Status.RETURNED, Submission.Status.SUBMITTED,
             Submission.Status.APPROVED, CONFIRMED)
STANDING_LABELS = {**dict(Submission.Status.choices), CONFIRMED: gettext_lazy("확정")}
NO_OWNER = "none"


@dataclass
class Overview:
    """What the overview page reads: the year's figures and the years there
    are plans for."""

    book: object  # YearFigures
    years: list
    evaluation: object = None  # goals.evaluation.Evaluation under the default scheme


def read(plan, quarter, shown):
    """The overview of `plan` read at `quarter` (None: the year's default),
    counting the values `shown` allows, with the expected evaluation of those
    same figures under the institution's default scheme."""
    book = year_figures(plan.institution, plan.year, quarter, shown=shown)
    return Overview(book, plan_years(plan.institution), evaluation.of_book(book))


def url_for_pk(viewname, *args, query=""):
    """pk → the URL of `viewname` (with `query`), reversing once: reverse()
    costs tens of microseconds, which adds up over the rows of a
    500-indicator table."""
    head, _sep, tail = reverse(viewname, args=(*args, 0)).rpartition("/0/")
    suffix = f"?{query}" if query else ""
    return lambda pk: f"{head}/{pk}/{tail}{suffix}"


def number_key(value):
    """A sort key for a figure: nothing first, then states (구축완료), then numbers by size."""
    if not figures.is_number(value):
        return (0, Decimal(0)) if value is None else (1, Decimal(0))
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


def status_badge(status, label):
    return format_html('<span class="status status--{}">{}</span>', status, label)


def unapproved_mark(text=fmt.UNAPPROVED):
    return format_html(' <span class="mark mark--unapproved">{}</span>', text)


def marked(text, mark=fmt.UNAPPROVED):
    """`text` with the mark of a value not approved yet: 35회 미승인."""
    return format_html("{}{}", text, unapproved_mark(mark))


def link(url, text):
    # Written without format_html: this runs for every row of a 500-indicator table.
    return mark_safe(f'<a href="{escape(url)}">{escape(text)}</a>')


class _Writer:
    """Writes the cells of the overview's rows. What is the same on many rows
    (a status badge, a translated word, a change) is written once."""

    def __init__(self):
        self.badges = {status: status_badge(status, fmt.pace(status)) for status in STATUSES}
        self.standings = {status: status_badge(status, STANDING_LABELS[status])
                          for status in STANDINGS}
        self.progress_title = escape(_("진도율/기대 진도"))
        self.mark = unapproved_mark()
        self.changes = {}

    def pace(self, pace):
        """지연 30%/50%: the status, and the year so far against where it should be."""
        badge = self.badges[pace.status]
        if pace.progress is None:
            return badge
        return mark_safe(f'{badge} <span class="muted" title="{self.progress_title}">'
                         f'{fmt.rate(pace.progress)}/{fmt.rate(pace.expected)}</span>')

    def result(self, figure):
        text = fmt.quantity(figure.result, figure.indicator.unit, figure.result_note)
        if not text:
            return fmt.EMPTY
        if figure.result_is_unapproved:
            return mark_safe(escape(text) + self.mark)
        return text

    def execution(self, item):
        """집행률 of a program, a category or the year, marked where it counts an
        amount not approved, and flagged where it diverges from achievement."""
        text = fmt.rate(item.execution_rate)
        if item.execution_rate is not None and item.execution_is_unapproved:
            text = marked(text)
        flag = getattr(item, "divergence", None)
        if flag:
            text = format_html('{} <span class="mark mark--divergence">{}</span>', text,
                               fmt.divergence(flag))
        return text

    def change(self, change):
        if change not in self.changes:
            self.changes[change] = fmt.change(change)
        return self.changes[change]


@dataclass
class TableRow:
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


def overview_rows(book, query="", evaluated=None):
    """Every indicator of the year, in the plan's order; a program without
    indicators still gets its line. Links carry `query` (the basis and the
    values shown). `evaluated` (goals.evaluation.Evaluation) gives each its
    year-end forecast and expected 득점."""
    plan = book.plan
    scored = evaluated.by_indicator if evaluated is not None else {}
    places = evaluated.scheme.places if evaluated is not None and evaluated.scheme else 2
    program_url = url_for_pk("goals:program", plan.institution.code, plan.year, query=query)
    indicator_url = url_for_pk("goals:indicator", plan.institution.code, plan.year, query=query)
    writer = _Writer()
    rows = []
    for category in book.categories:
        order = category.category.order
        for program_figures in category.programs:
            program = program_figures.program
            quarter_status = program_figures.quarter_status(book.quarter)
            shared_cells = {
                "category": category.category.name,
                "program": link(program_url(program.pk), program.numbered_name),
                "owner": display_name(program.owner) or fmt.EMPTY,
                "budget": fmt.eok(program.budget_won),
                "execution": writer.execution(program_figures),
            }
            shared_keys = {
                "category": order,
                "program": (order, program.number),
                "owner": display_name(program.owner),
                "budget": program.budget_won if program.budget_won is not None else -1,
                "execution": number_key(program_figures.execution_rate),
            }
            for figure in program_figures.indicators or [None]:
                row = TableRow(dict(shared_cells), dict(shared_keys), category=category,
                          program=program_figures, figure=figure)
                standing = (CONFIRMED if figure is not None and figure.is_confirmed
                            and book.quarter == 4 else quarter_status)
                row.cells["standing"] = writer.standings[standing]
                row.keys["standing"] = STANDINGS.index(standing)
                if figure is not None:
                    _write_indicator(row, figure, indicator_url(figure.indicator.pk), writer)
                    _write_expected(row, figure, scored.get(figure.indicator.pk), book.quarter,
                                    places)
                else:
                    row.cells.update(dict.fromkeys(
                        ("indicator", "target", "result", "achievement", "pace", "baseline",
                         "change", "forecast", "points"), fmt.EMPTY))
                    row.keys.update(indicator="", target=number_key(None),
                                    result=number_key(None), achievement=number_key(None),
                                    pace=(len(STATUSES), 0), baseline=number_key(None),
                                    change=change_key(None), forecast=number_key(None),
                                    points=number_key(None))
                rows.append(row)
    return rows


def _write_indicator(row, figure, url, writer):
    indicator = figure.indicator
    unit = indicator.unit
    pace = figure.pace
    row.cells.update(
        indicator=link(url, indicator.measurement),
        target=fmt.quantity(figure.target, unit, figure.target_note) or fmt.EMPTY,
        result=writer.result(figure),
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
        achievement=number_key(figure.achievement),
        pace=(STATUSES.index(pace.status), pace.progress or 0),
        baseline=number_key(figure.baseline_actual),
        change=change_key(figure.change),
    )
    row.row_class = (f"row--{pace.status} row--unapproved" if figure.result_is_unapproved
                     else f"row--{pace.status}")


def _write_expected(row, figure, scored, quarter, places):
    """연말 예상 (the forecast, from the evaluation where the indicator is
    evaluated, else from the selector) and 예상 득점 of the default scheme."""
    forecast = scored.forecast if scored is not None and scored.item else figure.forecast_at(
        quarter)
    value = forecast.value if forecast else None
    row.cells["forecast"] = fmt.quantity(value, figure.indicator.unit) or fmt.EMPTY
    row.keys["forecast"] = number_key(value)
    points = scored.points if scored is not None and scored.item else None
    if points is not None:
        row.cells["points"] = f"{fmt.score(points, places)}/{fmt.score(scored.weight, places)}"
    else:
        row.cells["points"] = fmt.EMPTY
    row.keys["points"] = number_key(points)


def category_rows(book, evaluated=None):
    """Totals per category, then the year's: budget, statuses, achievement,
    집행률, and the expected 득점 (the year's: total and grade) of
    `evaluated` (goals.evaluation.Evaluation)."""
    writer = _Writer()
    rows = []
    expected = _expected_by_category(book, evaluated)
    for item in book.categories + [book]:
        is_total = item is book
        counts = item.status_counts
        row = TableRow(cells={
            "category": _("합계") if is_total else item.category.name,
            "programs": fmt.number(Decimal(len(item.programs))),
            "indicators": fmt.number(Decimal(len(item.indicators))),
            "budget": fmt.eok(item.budget_won),
            "achievement": _average(item),
            "execution": writer.execution(item),
            "points": expected.get(None if is_total else item.category.pk, fmt.EMPTY),
            **{status: fmt.number(Decimal(counts[status])) for status in STATUSES},
        }, row_class="total" if is_total else "")
        rows.append(row)
    return rows


def _expected_by_category(book, evaluated):
    """{category pk: 예상 득점/배점; None: 예상 총점 (등급)} as written."""
    if evaluated is None or evaluated.scheme is None or not evaluated.evaluated:
        return {}
    places = evaluated.scheme.places
    written = {}
    for category in evaluated.categories:
        if category.evaluated:
            written[category.category.pk] = (f"{fmt.score(category.points, places)}/"
                                             f"{fmt.score(category.weight, places)}")
    total = fmt.score(evaluated.total, places)
    written[None] = f"{total} ({evaluated.grade})" if evaluated.grade else total
    return written


def _average(item):
    text = fmt.rate(item.average_achievement)
    return marked(text, fmt.UNAPPROVED_INCLUDED) if item.achievement_is_unapproved else text


def achievement_bars(book):
    """The bars of the achievement-by-category chart; a bar that counts a
    value not approved says so in its text."""
    bars = []
    for category in book.categories:
        average = category.average_achievement
        text = fmt.rate(average) if average is not None else _("실적 없음")
        if category.achievement_is_unapproved:
            text = f"{text} ({fmt.UNAPPROVED_INCLUDED})"
        bars.append(charts.Bar(category.category.name, average, text))
    return bars


def achievement_chart(book):
    return charts.bar_chart("achievement-by-category", _("분야별 평균 달성률"),
                            achievement_bars(book), reference=100,
                            reference_text=_("목표 100%"))
