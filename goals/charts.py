"""
Charts drawn by the app itself: inline SVG built on the server, so nothing
comes from outside a closed network and the picture works without JavaScript.

Every chart is an image with a title and a description that reads out all of
its figures (`role="img"`, `<title>`, `<desc>`), and the pages print the same
figures in a table next to it. The charts only draw: every number and every
text they show is handed to them, already computed by the selector and
written by goals.formatting. The charts of the dashboard's figures (an
indicator's pace and years, a three-year plan) are made at the end; a value
not approved yet says so (미승인) in the text it is read out with.
"""

from dataclasses import dataclass
from decimal import Decimal
from typing import Optional
from collections.abc import Sequence

from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from . import figures
from . import formatting as fmt
from .models import QUARTERS, Period

WIDTH = 640
LABEL_WIDTH = 230
ROW_HEIGHT = 30
BAR_HEIGHT = 18
PLOT_HEIGHT = 180
TOP = 34
BOTTOM = 40


@dataclass(frozen=True)
class Bar:
    label: str
    value: Optional[Decimal]  # the length, in the chart's unit; None draws no bar
    text: str  # the value as the pages print it (146%, 미입력)


@dataclass(frozen=True)
class Band:
    """A range drawn across one group of columns (the year-end forecast)."""

    index: int  # the group it stands over
    low: Decimal
    high: Decimal
    text: str  # how the pages print it (연말 예상 96%(88–104%))


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[Optional[Decimal]]
    texts: Sequence[str]
    css: str  # the colour, from app.css: chart__series--<css>


def bar_chart(chart_id, title, bars, *, reference=None, reference_text=""):
    """Horizontal bars, one a row, with a dashed line at `reference` (100%)."""
    top = TOP - 10
    height = top + ROW_HEIGHT * len(bars) + BOTTOM
    scale = _scale([bar.value for bar in bars] + [reference])
    plot = WIDTH - LABEL_WIDTH - 70
    x = lambda value: LABEL_WIDTH + float(value) / scale * plot  # noqa: E731
    parts = []
    for row, bar in enumerate(bars):
        y = top + row * ROW_HEIGHT
        parts.append(format_html(
            '<text class="chart__label" x="{}" y="{}" text-anchor="end">{}</text>',
            LABEL_WIDTH - 8, _n(y + BAR_HEIGHT - 4), _clip(bar.label, 18)))
        end = LABEL_WIDTH
        if bar.value is not None:
            end = x(bar.value)
            parts.append(format_html(
                '<rect class="chart__bar" x="{}" y="{}" width="{}" height="{}"></rect>',
                LABEL_WIDTH, _n(y), _n(max(end - LABEL_WIDTH, 1)), BAR_HEIGHT))
        parts.append(format_html(
            '<text class="chart__value" x="{}" y="{}">{}</text>',
            _n(end + 6), _n(y + BAR_HEIGHT - 4), bar.text))
    if reference is not None:
        parts.append(_reference_line(x(reference), top - 6, top + ROW_HEIGHT * len(bars),
                                     reference_text))
    description = "; ".join(f"{bar.label}: {bar.text}" for bar in bars)
    return _svg(chart_id, title, description, height, parts)


def column_chart(chart_id, labels, series, *, title, line=None, unit="", band=None):
    """
    Columns grouped by `labels` (quarters, years), one colour a series, an
    optional `line` series drawn across them (the expected pace), and an
    optional `band` over one group (the year-end forecast).
    """
    values = [value for item in list(series) + ([line] if line else []) for value in item.values]
    values += [band.high] if band else []
    scale = _scale(values)
    plot_left, plot_right = 56, WIDTH - 16
    group = (plot_right - plot_left) / max(len(labels), 1)
    column = min(44, (group - 16) / max(len(series), 1))
    baseline = TOP + PLOT_HEIGHT
    y = lambda value: baseline - float(value) / scale * PLOT_HEIGHT  # noqa: E731
    parts = [format_html('<line class="chart__axis" x1="{}" y1="{}" x2="{}" y2="{}"></line>',
                         plot_left, baseline, plot_right, baseline)]
    for tick in (0, scale / 2, scale):
        parts.append(format_html(
            '<text class="chart__tick" x="{}" y="{}" text-anchor="end">{}{}</text>',
            plot_left - 6, _n(y(tick) + 4), _n(tick), unit))
    for index, label in enumerate(labels):
        left = plot_left + group * index + (group - column * len(series)) / 2
        for number, item in enumerate(series):
            value = item.values[index]
            if value is None:
                continue
            top = y(value)
            parts.append(format_html(
                '<rect class="chart__column chart__series--{}" x="{}" y="{}" width="{}" '
                'height="{}"></rect>',
                item.css, _n(left + column * number), _n(top), _n(column - 4),
                _n(max(baseline - top, 1))))
            parts.append(format_html(
                '<text class="chart__value" x="{}" y="{}" text-anchor="middle">{}</text>',
                _n(left + column * number + (column - 4) / 2), _n(top - 4), item.texts[index]))
        parts.append(format_html(
            '<text class="chart__label" x="{}" y="{}" text-anchor="middle">{}</text>',
            _n(plot_left + group * index + group / 2), baseline + 18, label))
    if line is not None:
        points = [(plot_left + group * index + group / 2, y(value))
                  for index, value in enumerate(line.values) if value is not None]
        parts.append(format_html(
            '<polyline class="chart__line chart__series--{}" points="{}"></polyline>', line.css,
            " ".join(f"{_n(px)},{_n(py)}" for px, py in points)))
        parts.extend(format_html(
            '<circle class="chart__point chart__series--{}" cx="{}" cy="{}" r="4"></circle>',
            line.css, _n(px), _n(py)) for px, py in points)
    if band is not None:
        top, bottom = y(band.high), y(band.low)
        parts.append(format_html(
            '<rect class="chart__band" x="{}" y="{}" width="{}" height="{}"></rect>',
            _n(plot_left + group * band.index + 4), _n(top), _n(group - 8),
            _n(max(bottom - top, 2))))
    parts.append(_legend(list(series) + ([line] if line else [])))
    description = "; ".join(
        f"{label}: " + ", ".join(f"{item.name} {item.texts[index] or _('없음')}"
                                 for item in list(series) + ([line] if line else []))
        for index, label in enumerate(labels))
    if band is not None:
        description += f"; {band.text}"
    return _svg(chart_id, title, description, baseline + BOTTOM, parts)


def _legend(series):
    items = []
    x = 56
    for item in series:
        items.append(format_html(
            '<rect class="chart__swatch chart__series--{}" x="{}" y="8" width="12" height="12">'
            '</rect><text class="chart__legend" x="{}" y="18">{}</text>',
            item.css, x, x + 16, item.name))
        x += 24 + 13 * len(item.name)
    return mark_safe("".join(items))


def _reference_line(x, top, bottom, text):
    return format_html(
        '<line class="chart__reference" x1="{}" y1="{}" x2="{}" y2="{}"></line>'
        '<text class="chart__tick" x="{}" y="{}" text-anchor="middle">{}</text>',
        _n(x), top, _n(x), bottom, _n(x), bottom + 14, text)


def _svg(chart_id, title, description, height, parts):
    return format_html(
        '<svg class="chart" id="{id}" role="img" viewBox="0 0 {width} {height}" '
        'width="{width}" height="{height}" aria-labelledby="{id}-title {id}-desc" '
        'xmlns="http://www.w3.org/2000/svg">'
        '<title id="{id}-title">{title}</title><desc id="{id}-desc">{description}</desc>'
        '{parts}</svg>',
        id=chart_id, width=WIDTH, height=_n(height), title=title, description=description,
        parts=format_html_join("", "{}", ((part,) for part in parts)))


def _scale(values):
    """A round top of the axis above every value (at least 1)."""
    top = max([float(value) for value in values if value is not None] + [1.0])
    for step in (1, 2, 2.5, 5, 10):
        magnitude = 10 ** (len(str(int(top))) - 1)
        if step * magnitude >= top:
            return step * magnitude
    return top


def _n(value, places=1):
    """A coordinate for SVG: short, with a dot whatever the locale."""
    text = f"{float(value):.{places}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _clip(text, length):
    return text if len(text) <= length else text[:length - 1] + "…"


# The dashboard's charts --------------------------------------------------------


def _with_mark(text, is_unapproved):
    return f"{text} ({fmt.UNAPPROVED})" if is_unapproved and text else text


def pace_chart(figure, basis=4):
    """An indicator's year so far at each quarter against the pace it should
    keep, and over Q4 the band of the year-end forecast from the quarter
    `basis`."""
    paces = [figure.pace_at(quarter) for quarter in QUARTERS]
    texts = [_with_mark(fmt.rate(pace.progress), figure.is_unapproved_at(quarter))
             if pace.progress is not None else fmt.pace(pace.status)
             for quarter, pace in zip(QUARTERS, paces)]
    return column_chart(
        "pace", [str(Period(quarter).label) for quarter in QUARTERS],
        [Series(_("진도율"), [pace.progress for pace in paces], texts, "result")],
        line=Series(_("기대 진도"), [pace.expected for pace in paces],
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
    return Band(len(QUARTERS) - 1, low, high, _(
        "연말 예상 %(value)s(%(low)s–%(high)s)") % {
        "value": fmt.rate(value), "low": fmt.rate(low), "high": fmt.rate(high)})


def years_chart(figure, years):
    """Targets and results of the years given ([(year, IndicatorFigures)]) that are numbers."""
    unit = figure.indicator.unit
    shown = [(year, item) for year, item in years
             if not isinstance(item.target, str) and not isinstance(item.result, str)]
    if not shown:
        return ""
    return column_chart(
        "years-chart", [str(year) for year, _item in shown],
        [Series(_("목표"), [item.target for _year, item in shown],
                [fmt.quantity(item.target, unit) for _year, item in shown], "target"),
         Series(_("실적"), [item.result for _year, item in shown],
                [_with_mark(fmt.quantity(item.result, unit), item.result_is_unapproved)
                 for _year, item in shown], "result")],
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
        made.append(column_chart(
            f"{chart_id}-{number}", [str(year) for year in years],
            [Series(_("목표 계(%(unit)s)") % {"unit": unit}, values,
                    [fmt.quantity(value, unit) for value in values], "target")],
            title=_("%(name)s: 3개년 목표 계(%(unit)s)") % {"name": name, "unit": unit},
            unit=unit))
    return made
