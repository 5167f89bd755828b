"""
The director's dashboard: a year at a glance, two years side by side, and a
program or an indicator in depth. Every figure comes from year_figures().
"""

from django.db.models import Q
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django_tables2 import RequestConfig

from goals import access, charts
from goals import dashboard as board
from goals import formatting as fmt
from goals.history import result_changes
from goals.models import QUARTERS, Evidence, Indicator, Period, Plan, Program
from goals.selectors import default_quarter, year_figures
from goals.tables import CategoryTable, ComparisonTable, IndicatorTable


def plan_years(institution):
    return list(Plan.objects.filter(institution=institution).order_by("year")
                .values_list("year", flat=True))


def _latest_plan(institution):
    return Plan.objects.filter(institution=institution).order_by("-year").first()


def overview(request, code, year):
    plan = access.plan_or_404(request.user, code, year)
    institution = plan.institution
    quarter = board.QuarterForm.quarter(request.GET, default_quarter(year))
    book = year_figures(institution, year, quarter)
    filters = board.OverviewFilters(board.with_quarter(request.GET, quarter), book)
    table = IndicatorTable(filters.filter(board.overview_rows(book)),
                           caption=_("성과지표별 현황 (%(quarter)s분기 말 진도 기준)")
                           % {"quarter": quarter})
    RequestConfig(request, paginate=False).configure(table)
    return render(request, "goals/overview.html", {
        "institution": institution, "plan": plan, "book": book, "quarter": quarter,
        "years": plan_years(institution), "filters": filters, "table": table,
        "categories": CategoryTable(board.category_rows(book), caption=_("분야별 합계")),
        "statuses": [(status, fmt.pace(status), book.status_counts[status])
                     for status in board.STATUSES],
        "chart": charts.bar_chart(
            "achievement-by-category", _("분야별 평균 달성률"), board.achievement_bars(book),
            reference=100, reference_text=_("목표 100%")),
        "nav_section": "overview",
    })


def _program_figures(book, pk):
    found = next((program for program in book.programs if program.program.pk == pk), None)
    if found is None:
        raise Http404
    return found


def program(request, code, year, pk):
    plan = access.plan_or_404(request.user, code, year)
    quarter = board.QuarterForm.quarter(request.GET, default_quarter(year))
    book = year_figures(plan.institution, year, quarter, with_text=True, programs=[pk])
    figures = _program_figures(book, pk)
    years, total, lines = board.three_year_plan(figures)
    return render(request, "goals/program.html", {
        "institution": plan.institution, "plan": plan, "book": book, "program": figures,
        "period": fmt.period_text(figures.program.period_start, figures.program.period_end),
        "owner": board.owner_name(figures.program.owner),
        "plan_years": years, "plan_total": total, "plan_lines": lines,
        "has_groups": any(line.group for line in lines),
        "contents": board.labelled(figures.narratives["contents"]),
        "contents_labelled": any(n.label for n in figures.narratives["contents"]),
        "quarter_lines": board.quarter_lines(figures),
        "submissions": board.submission_states(figures),
        "quarters": [Period(quarter).label for quarter in QUARTERS],
        "plan_charts": board.plan_charts(f"plan-{pk}", figures.program.name,
                                         figures.unit_totals if figures.has_plan_total else {}),
        "nav_section": "overview",
    })


def indicator(request, code, year, pk):
    plan = access.plan_or_404(request.user, code, year)
    institution = plan.institution
    quarter = board.QuarterForm.quarter(request.GET, default_quarter(year))
    book = year_figures(institution, year, quarter, programs=of_indicator(pk))
    found = next(((program, figure) for program in book.programs
                  for figure in program.indicators if figure.indicator.pk == pk), None)
    if found is None:
        raise Http404
    program, figure = found
    years = _past_years(institution, figure)
    return render(request, "goals/indicator.html", {
        "institution": institution, "plan": plan, "book": book, "program": program,
        "figure": figure, "quarter": quarter,
        "quarter_rows": board.quarter_paces(program, figure),
        "pace_chart": board.pace_chart(figure, quarter),
        "years": years,
        "years_chart": board.years_chart(figure, years),
        "plan_charts": board.plan_charts(f"plan-{pk}", figure.indicator.measurement,
                                         figure.plan_totals),
        "quarter_form": board.QuarterForm(board.with_quarter(request.GET, quarter)),
        "unit_lines": board.unit_quarter_lines(figure.unit_projects),
        "evidence": Evidence.objects.filter(
            Q(indicator=figure.indicator) | Q(unit_project__indicator=figure.indicator)),
        "changes": result_changes(figure.indicator),
        "notes": board.notes(figure),
        "nav_section": "overview",
    })


def of_indicator(pk):
    """The program of indicator `pk`, for year_figures(programs=...)."""
    return Program.objects.filter(indicators=pk).values("pk")


def _past_years(institution, figure):
    """This year's figures of the indicator and those of the indicators it
    continues, up to three years back: [(year, IndicatorFigures)], oldest first."""
    years = [(figure.indicator.program.category.plan.year, figure)]
    while len(years) < 3 and years[0][1].indicator.previous_id:
        previous_id = years[0][1].indicator.previous_id
        year = years[0][0] - 1
        earlier = next((item for item in year_figures(
            institution, year, programs=of_indicator(previous_id)).indicators
            if item.indicator.pk == previous_id), None)
        if earlier is None:
            break
        years.insert(0, (year, earlier))
    return years


def compare(request, code):
    institution = access.institution_or_404(request.user, code)
    years = plan_years(institution)
    data = request.GET if request.GET or len(years) < 2 else {"a": years[-2], "b": years[-1]}
    form = board.CompareForm(data, years)
    context = {"institution": institution, "form": form, "years": years,
               "plan": _latest_plan(institution), "nav_section": "compare"}
    if len(years) >= 2 and form.is_valid():
        earlier, later = sorted((form.cleaned_data["a"], form.cleaned_data["b"]))
        earlier_book = year_figures(institution, earlier)
        later_book = year_figures(institution, later)
        program_pairs, indicator_pairs = board.pair_years(
            earlier_book, later_book, _links_between(institution, earlier, later))
        table = ComparisonTable(
            board.comparison_rows(indicator_pairs, earlier_book, later_book), earlier, later,
            caption=_("%(earlier)s년과 %(later)s년의 성과지표") % {
                "earlier": earlier, "later": later})
        RequestConfig(request, paginate=False).configure(table)
        context.update(earlier=earlier_book, later=later_book, table=table, program_pairs=program_pairs,
                       continued=sum(1 for pair in indicator_pairs if pair.earlier and pair.later),
                       new=sum(1 for pair in indicator_pairs if not pair.earlier),
                       dropped=sum(1 for pair in indicator_pairs if not pair.later))
    return render(request, "goals/compare.html", context)


def _links_between(institution, earlier, later):
    """Program and indicator links (id → previous id) of the years strictly
    between `earlier` and `later`: how a 2022 indicator reaches 2024."""
    links = {"program": {}, "indicator": {}}
    if later - earlier > 1:
        between = {"category__plan__institution": institution,
                   "category__plan__year__gt": earlier, "category__plan__year__lt": later}
        links["program"] = dict(Program.objects.filter(**between)
                                .values_list("id", "previous_id"))
        links["indicator"] = dict(Indicator.objects.filter(
            **{f"program__{key}": value for key, value in between.items()})
            .values_list("id", "previous_id"))
    return links
