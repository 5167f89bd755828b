"""
The director's dashboard: a year at a glance, two years side by side, and a
program or an indicator in depth. Every figure comes from year_figures(),
read at one basis quarter and counting the values the reader may see; the
choices travel in the query string (q, values) from page to page.
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django_tables2 import RequestConfig

from goals import access, charts, comparison, evaluation
from goals import program_lines as lines
from goals import formatting as fmt
from goals import overview as board
from goals.forms import BasisForm, CompareForm, OverviewFilters, ValuesForm, kept_query
from goals.models import QUARTERS, Period
from goals.printed import printed
from goals.selectors import indicator_in_depth, latest_plan, plan_years, year_figures
from goals.tables import CategoryTable, ComparisonTable, IndicatorTable
from goals.people import display_name


class _Choices:
    """What the query string asks of a dashboard page: the basis quarter and
    the values shown, as far as the reader may have them."""

    def __init__(self, request, institution):
        asked = ValuesForm.include_unapproved(request.GET)
        self.quarter = BasisForm.asked_quarter(request.GET)
        self.shown, refusal = access.shown_values(request.user, institution, asked)
        if refusal:
            messages.warning(request, refusal)
        self.include_unapproved = None if refusal else asked
        self.may_choose_values = access.may_include_unapproved(request.user, institution)

    def kept(self, quarter):
        """The query string that keeps the choices across links."""
        return kept_query(quarter, self.include_unapproved)

    def exports_unapproved(self, book):
        return book.shown.unapproved and self.may_choose_values


def overview(request, code, year):
    plan = access.plan_or_404(request.user, code, year)
    choices = _Choices(request, plan.institution)
    page = board.read(plan, choices.quarter, choices.shown)
    book = page.book
    kept = choices.kept(book.quarter)
    filters = OverviewFilters(request.GET, book, may_choose_values=choices.may_choose_values)
    table = IndicatorTable(filters.filter(board.overview_rows(book, kept, page.evaluation)),
                           caption=_("성과지표별 현황 (%(quarter)s분기 말 기준)")
                           % {"quarter": book.quarter})
    RequestConfig(request, paginate=False).configure(table)
    return render(request, "goals/overview.html", {
        "institution": plan.institution, "plan": plan, "book": book, "quarter": book.quarter,
        "years": page.years, "filters": filters, "table": table, "kept": kept,
        # A report made from the page holds what the page shows: the basis
        # asked for, and the values not approved yet if the page shows them.
        "download_quarter": choices.quarter,
        "download_unapproved": choices.exports_unapproved(book),
        "categories": CategoryTable(board.category_rows(book, page.evaluation),
                                    caption=_("분야별 합계")),
        "expected": page.evaluation,
        "statuses": [(status, fmt.pace(status), book.status_counts[status])
                     for status in board.STATUSES],
        "chart": board.achievement_chart(book),
        "nav_section": "overview",
    })


def program(request, code, year, pk):
    plan = access.plan_or_404(request.user, code, year)
    choices = _Choices(request, plan.institution)
    if not BasisForm(request.GET).is_valid():
        # No form on this page to say it beside: a basis or values the address
        # asks for and no one has (q=7) is said at the top.
        messages.warning(request, _("주소의 기준 분기나 표시할 값을 알 수 없어 기본값으로 "
                                    "보여 드립니다."))
    book = year_figures(plan.institution, year, choices.quarter, shown=choices.shown,
                        with_text=True, programs=[pk])
    figures = next((program for program in book.programs if program.program.pk == pk), None)
    if figures is None:
        raise Http404
    shown = printed(figures, year, closed=plan.is_closed)
    return render(request, "goals/program.html", {
        "institution": plan.institution, "plan": plan, "book": book, "program": figures,
        "printed": shown,
        "kept": choices.kept(book.quarter),
        "period": fmt.period_text(figures.program.period_start, figures.program.period_end),
        "owner": display_name(figures.program.owner),
        "quarter_lines": lines.quarter_lines(figures),
        "quarters": [Period(quarter).label for quarter in QUARTERS],
        "plan_charts": charts.plan_charts(
            f"plan-{pk}", figures.program.name,
            dict(zip(shown.plan.years, shown.plan.totals)) if shown.plan.totals else {}),
        "nav_section": "overview",
    })


def indicator(request, code, year, pk):
    plan = access.plan_or_404(request.user, code, year)
    choices = _Choices(request, plan.institution)
    found = indicator_in_depth(plan, pk, choices.quarter, choices.shown)
    if found is None:
        raise Http404
    figure = found.figure
    # The year's expected evaluation, read as the page's figures are (basis, values shown).
    expected = evaluation.default_evaluation(plan.institution, plan.year, found.book.quarter,
                                             choices.shown)
    return render(request, "goals/indicator.html", {
        "expected": expected, "scored": expected.by_indicator.get(pk) if expected else None,
        "institution": plan.institution, "plan": plan, "book": found.book,
        "program": found.program, "figure": figure, "quarter": found.book.quarter,
        "kept": choices.kept(found.book.quarter),
        "values_query": kept_query(include_unapproved=choices.include_unapproved),
        "quarter_rows": lines.quarter_paces(found.program, figure),
        "so_far_label": fmt.so_far_label(figure.indicator.rollup),
        "pace_chart": charts.pace_chart(figure, found.book.quarter),
        "years": found.years,
        "years_chart": charts.years_chart(figure, found.years),
        "plan_charts": charts.plan_charts(f"plan-{pk}", figure.indicator.measurement,
                                          figure.plan_totals),
        "quarter_form": BasisForm(request.GET, quarter=found.book.quarter,
                                  shown=choices.shown,
                                  may_choose_values=choices.may_choose_values),
        "unit_lines": lines.unit_quarter_lines(figure.unit_projects),
        "evidence": found.evidence,
        "changes": found.changes,
        "notes": lines.notes(figure),
        "nav_section": "overview",
    })


def compare(request, code):
    institution = access.institution_or_404(request.user, code)
    choices = _Choices(request, institution)
    years = plan_years(institution)
    data = request.GET
    if "a" not in data and "b" not in data and len(years) >= 2:
        data = data.copy()
        data.update({"a": years[-2], "b": years[-1]})
    form = CompareForm(data, years, shown=choices.shown,
                       may_choose_values=choices.may_choose_values)
    context = {"institution": institution, "form": form, "years": years,
               "plan": latest_plan(institution), "nav_section": "compare",
               "kept": choices.kept(None)}
    if len(years) >= 2 and form.is_valid():
        pair = comparison.read(institution, form.cleaned_data["a"], form.cleaned_data["b"],
                               choices.shown)
        table = ComparisonTable(
            comparison.comparison_rows(pair, choices.kept(None)), pair.earlier.year,
            pair.later.year, caption=_("%(earlier)s년과 %(later)s년의 성과지표") % {
                "earlier": pair.earlier.year, "later": pair.later.year})
        RequestConfig(request, paginate=False).configure(table)
        context.update(comparison=pair, earlier=pair.earlier, later=pair.later, table=table)
    return render(request, "goals/compare.html", context)
