"""
The year's figures of an institution, built once for every reader.

`year_figures()` reads a plan with a fixed number of queries, however many
programs and indicators it has, and runs every number through goals.figures.
The dashboard, the PDF, the XLSX and the consistency check all read what it
returns, so a number cannot differ between the screen and an export.

Every value has a standing: its program's quarter is a draft, submitted,
returned or approved (a year confirmed by planning staff stands approved).
`Shown` says which values the figures count; by default only approved ones.
The figures of a year are read at one quarter, its basis: the year so far,
the achievement, the pace and its status all at the end of that quarter.

The other reads of the dashboard (the years there are plans for, an
indicator's past years, the links between two years) are here too.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import cached_property
from typing import NamedTuple, Optional

from django.db.models import Max, Q

from . import figures, figures_cache
from .history import result_changes
from .models import (Evidence, Execution, GeneralStatus, HeadlineTarget, Indicator, Narrative, Period, Plan, Program, Result, Submission, Target, TargetRevision,
                     UnitProject)

APPROVED = Submission.Status.APPROVED
DRAFT = Submission.Status.DRAFT


@dataclass(frozen=True)
class Shown:
    """
    Which values the figures count. Approved values always (and a year
    confirmed by planning staff); values of a quarter not approved yet (a
    draft, submitted or returned) everywhere when `unapproved`, or only in
    the programs of `owner_id` (staff see their own drafts). Figures made of
    a value not approved carry the mark (IndicatorFigures.unapproved).
    """

    unapproved: bool = False
    owner_id: Optional[int] = None

    def counts(self, status, owner_id=None):
        return (status == APPROVED or self.unapproved
                or (self.owner_id is not None and owner_id == self.owner_id))


APPROVED_ONLY = Shown()
EVERYTHING = Shown(unapproved=True)


class _Standing:
    """Whether the values shown are approved, by quarter, of figures with
    `unapproved` (the quarters whose value shown is not approved yet) and
    `confirmed` (the year as confirmed)."""

    def is_unapproved(self, quarter):
        """The quarter's own value is not approved."""
        return quarter in self.unapproved

    def is_unapproved_at(self, quarter):
        """The year so far at the end of `quarter` counts a value not approved
        (a confirmed year stands for its quarters at Q4)."""
        if quarter == 4 and figures.is_known(self.confirmed):
            return False
        return any(earlier <= quarter for earlier in self.unapproved)


@dataclass
class UnitProjectFigures(_Standing):
    unit_project: UnitProject
    target: figures.Value  # the plan year's
    targets: dict  # year → value or state
    quarters: dict  # 1–4 → value, state or NOT_MEASURED
    result: figures.Value  # the year: confirmed, or rolled up from the quarters
    results: dict  # period → Result, for entry forms and notes
    cumulative: dict = field(default_factory=dict)  # 1–4 → the year so far at that quarter
    unapproved: frozenset = frozenset()
    confirmed: figures.Value = None  # the year as confirmed


@dataclass
class IndicatorFigures(_Standing):
    """An indicator's figures, read at the year's basis quarter: `result`,
    `achievement` and `pace` are all at the end of that quarter."""

    indicator: Indicator
    target: figures.Value  # in force: the revised (변경) target, or the original (당초)
    target_note: str
    targets: dict  # year → value or state
    quarters: dict  # 1–4 → value, state or NOT_MEASURED, its own or made of its unit projects
    cumulative: dict  # 1–4 → the year so far at the end of that quarter
    result: figures.Value  # the year so far at the basis quarter
    result_note: str
    achievement: Optional[Decimal]  # of `result`
    baseline_actual: figures.Value
    baseline_target: figures.Value
    baseline_unit: str
    change: Optional[figures.Change]
    pace: figures.Pace  # at the basis quarter
    unit_projects: list
    results: dict  # period → Result
    quarter: int = 4  # the basis
    year_result: figures.Value = None  # the whole year: confirmed, or all its quarters
    baseline_note: str = ""
    linked_target: figures.Value = None  # last year's indicator's own target and result
    linked_result: figures.Value = None
    is_confirmed: bool = False  # the year's result is confirmed, not rolled up from quarters
    original_target: figures.Value = None  # 당초 목표: the target before any revision
    confirmed: figures.Value = None
    unapproved: frozenset = frozenset()

    @cached_property
    def plan_totals(self):
        """year → figures.UnitTotal of its unit projects' targets."""
        return _unit_totals(self.unit_projects)

    @property
    def is_revised(self):
        """The target was revised during the year (당초 ≠ 변경)."""
        return self.original_target != self.target

    @property
    def result_is_unapproved(self):
        return self.is_unapproved_at(self.quarter)

    @property
    def final_status(self):
        """Met or not, read at the year's end (figures.final_status)."""
        return figures.final_status(self.achievement)

    def pace_at(self, quarter):
        """Where the indicator stood at the end of `quarter` (for a chart of the year)."""
        return _pace(self.indicator, self.quarters, self.target, quarter, self.confirmed)

    def forecast_at(self, quarter):
        """The year-end forecast from the quarters entered up to `quarter`; a
        confirmed year is its own forecast."""
        if self.is_confirmed:
            known = figures.is_number(self.confirmed)
            return figures.Forecast(self.confirmed,
                                    *((self.confirmed, self.confirmed) if known else ()))
        return figures.forecast([self.quarters[q] for q in figures.QUARTERS], quarter,
                                self.indicator.rollup)


@dataclass
class ProgramFigures:
    program: Program
    indicators: list
    unit_projects: list
    submissions: dict  # quarter → SubmissionRow
    headlines: list
    narratives: dict  # section → [Narrative]
    previous_unit_projects: list  # last year's unit projects and their results (추진실적)
    quarter: int = 4  # the basis
    executions: dict = field(default_factory=dict)  # quarter → ExecutionRow, those shown
    execution_unapproved: frozenset = frozenset()  # quarters whose amount is not approved

    @property
    def execution_quarters(self):
        """1–4 → 집행액 in 원 shown, or None."""
        return {quarter: (self.executions[quarter].amount_won
                          if quarter in self.executions else None)
                for quarter in figures.QUARTERS}

    @property
    def executed_won(self):
        """집행액 of the year so far at the basis quarter."""
        return figures.executed(self.execution_quarters, self.quarter)

    @property
    def execution_rate(self):
        """집행률 against the program's budget, at the basis quarter."""
        return figures.execution_rate(self.executed_won, self.program.budget_won)

    @property
    def execution_is_unapproved(self):
        """The amount so far counts a quarter not approved yet."""
        return any(quarter <= self.quarter for quarter in self.execution_unapproved)

    @property
    def execution_lines(self):
        """Per quarter up to the basis: ExecutionLine (the amount, the year so
        far, 집행률, whether its amount is approved)."""
        amounts = self.execution_quarters
        return [ExecutionLine(quarter, amounts[quarter], figures.executed(amounts, quarter),
                              figures.execution_rate(figures.executed(amounts, quarter),
                                                     self.program.budget_won),
                              quarter in self.execution_unapproved)
                for quarter in figures.QUARTERS if quarter <= self.quarter]

    @property
    def achievement(self):
        """The mean achievement of the program's indicators."""
        return figures.mean(figure.achievement for figure in self.indicators)

    @property
    def divergence(self):
        """figures.SPENT_NOT_ACHIEVED, ACHIEVED_NOT_SPENT or None."""
        return figures.divergence(self.execution_rate, self.achievement)

    @cached_property
    def unit_totals(self):
        """year → figures.UnitTotal: the 계 row of the three-year plan."""
        return _unit_totals(self.unit_projects)

    @property
    def budget_won(self):
        return self.program.budget_won

    @property
    def budget_cheon(self):
        return figures.won_to_cheon(self.program.budget_won)

    @property
    def budget_eok(self):
        return figures.won_to_eok(self.program.budget_won)

    @property
    def previous_unit_total(self):
        """계 of last year's unit results (추진실적: 82회)."""
        return figures.total_by_unit((unit.result, unit.unit_project.unit)
                                     for unit in self.previous_unit_projects)

    def quarter_status(self, quarter):
        submission = self.submissions.get(quarter)
        return submission.status if submission else Submission.Status.DRAFT


class _Programs:
    """What a category and a whole year both say about their programs."""

    @property
    def indicators(self):
        return [indicator for program in self.programs for indicator in program.indicators]

    @property
    def budget_won(self):
        """The programs' budgets added up; None when none has a budget."""
        return figures.total(program.program.budget_won for program in self.programs)

    @property
    def status_counts(self):
        return count_statuses(self.indicators)

    @property
    def executed_won(self):
        """The programs' 집행액 so far added up; None when none has any."""
        return figures.total(program.executed_won for program in self.programs)

    @property
    def execution_rate(self):
        """집행률 of the programs with a budget and an amount executed."""
        spending = [program for program in self.programs
                    if program.executed_won is not None and program.program.budget_won]
        return figures.execution_rate(
            figures.total(program.executed_won for program in spending),
            figures.total(program.program.budget_won for program in spending))

    @property
    def execution_is_unapproved(self):
        return any(program.execution_is_unapproved for program in self.programs)

    @property
    def average_achievement(self):
        return figures.mean(figure.achievement for figure in self.indicators)

    @property
    def achievement_is_unapproved(self):
        """The average counts an achievement made of a value not approved."""
        return any(figure.result_is_unapproved for figure in self.indicators
                   if figure.achievement is not None)


@dataclass
class CategoryFigures(_Programs):
    category: object
    programs: list


@dataclass
class YearFigures(_Programs):
    plan: Plan
    quarter: int  # the basis: the quarter the year so far and the pace are read at
    status: Optional[GeneralStatus]
    previous_status: Optional[GeneralStatus]
    has_previous_plan: bool
    categories: list = field(default_factory=list)
    shown: Shown = APPROVED_ONLY

    @property
    def institution(self):
        return self.plan.institution

    @property
    def year(self):
        return self.plan.year

    @property
    def programs(self):
        return [program for category in self.categories for program in category.programs]


STATUSES = (figures.AHEAD, figures.ON_TRACK, figures.BEHIND, figures.NOT_ENTERED,
            figures.UNMEASURED, figures.NO_TARGET)


def count_statuses(indicator_figures):
    counts = dict.fromkeys(STATUSES, 0)
    for figure in indicator_figures:
        counts[figure.pace.status] += 1
    return counts


def quarter_figures(plan, quarter, programs=None):
    """The year's figures as a quarter is entered and approved: every value,
    approved or not, with who saved it and its version."""
    return year_figures(plan.institution, plan.year, quarter, shown=EVERYTHING, for_entry=True,
                        programs=programs)


def default_quarter(year, today=None):
    """The quarter staff and approvers land on: the last one finished, Q4
    for a past year."""
    today = today or date.today()
    if year < today.year:
        return 4
    if year > today.year:
        return 1
    return max(1, (today.month - 1) // 3)


# A plan's latest quarter with an approved value, which its default basis reads.
LATEST_APPROVED = Max("categories__programs__submissions__quarter",
                      filter=Q(categories__programs__submissions__status=APPROVED))


def default_basis(year, latest_approved, today=None):
    """The quarter a year's figures are read at when none is asked for: the
    latest with approved values, or else the quarter of today's date in the
    plan year (Q4 for a past year, Q1 for a coming one)."""
    if latest_approved:
        return latest_approved
    today = today or date.today()
    if year < today.year:
        return 4
    if year > today.year:
        return 1
    return (today.month - 1) // 3 + 1


def year_figures(institution, year, quarter=None, *, shown=APPROVED_ONLY, with_text=False,
                 programs=None, for_entry=False):
    """The year's figures (see build_year_figures), kept once built and
    built again only where what they were read from changed
    (goals.figures_cache). A queryset of `programs` picks them by what
    only the outline changes (their plan, their owner)."""
    return figures_cache.year_figures(build_year_figures, institution, year, quarter,
                                      shown=shown, with_text=with_text, programs=programs,
                                      for_entry=for_entry)


def build_year_figures(institution, year, quarter=None, *, shown=APPROVED_ONLY,
                       with_text=False, programs=None, for_entry=False, within=None):
    """
    Everything about `institution`'s plan for `year`, with its figures read
    at `quarter` (default_basis() when None), counting the values `shown`
    allows. Raises Plan.DoesNotExist when there is no such plan. `with_text`
    adds the programs' narratives (for program pages and the report).
    `for_entry` reads the results as Result objects with who saved them and
    their versions (for the entry and approval pages); other readers get
    plain rows (ResultRow), much cheaper to make.

    `programs` (ids, or a queryset of programs) keeps only those programs and
    the categories holding them, for a page about one program or about one
    owner's programs: their figures are those of the whole year, read at a
    fraction of the cost; the year's and categories' totals then add up only
    them. `within`, the whole year's figures they are to be put in
    (goals.figures_cache), gives the plan, its categories and the basis
    quarter, which are then not read again.
    """
    if within is not None:
        try:
            return _build(within.plan, within.quarter, within.has_previous_plan,
                          {year: within.status, year - 1: within.previous_status},
                          [category.category for category in within.categories],
                          shown=shown, with_text=with_text, programs=programs,
                          for_entry=for_entry)
        except OutlineMoved:  # since `within` was read: read it all
            quarter = within.quarter
    plans = Plan.objects.select_related("institution")
    if quarter is None:
        # Read only when needed: the figures of a few programs at a quarter
        # then depend on nothing of the others' (goals.figures_cache).
        plans = plans.annotate(latest_approved=LATEST_APPROVED)
    plan = plans.get(institution=institution, year=year)
    quarter = quarter or default_basis(year, plan.latest_approved)
    has_previous_plan = Plan.objects.filter(institution=institution, year=year - 1).exists()
    statuses = {status.year: status for status in GeneralStatus.objects.filter(
        institution=institution, year__in=[year, year - 1]).order_by()}
    return _build(plan, quarter, has_previous_plan, statuses,
                  list(plan.categories.order_by("order")),
                  shown=shown, with_text=with_text, programs=programs, for_entry=for_entry)


class OutlineMoved(Exception):
    """A program read is in a category the figures it goes into do not have."""


def basis_of(institution, year):
    """The plan's default basis quarter (default_basis), read on its own."""
    latest = (Plan.objects.filter(institution=institution, year=year)
              .annotate(latest_approved=LATEST_APPROVED).order_by()
              .values_list("latest_approved", flat=True).first())
    return default_basis(year, latest)


def _build(plan, quarter, has_previous_plan, statuses, categories, *, shown, with_text,
           programs, for_entry):
    year = plan.year

    def chosen(path=""):
        """The programs read, reached through `path` ("program__", ...)."""
        condition = Q(**{f"{path}category__plan": plan})
        if programs is not None:
            condition &= Q(**{f"{path}pk__in": programs})
        return condition

    category_by_id = {category.id: category for category in categories}
    programs_read = list(Program.objects.filter(chosen())
                         .select_related("owner", "previous")
                         # Figures are kept (goals.figures_cache): never a password hash.
                         .defer("owner__password")
                         .order_by("category__order", "number"))
    # What the rest reads is named by the ids just read, not by the joins
    # that found them: the same rows, and queries much cheaper for Django to
    # build (a page of one program builds its figures at every request). For
    # the same reason each names its order, or none: the models' default
    # orders go through the program to its plan and institution, four joins.
    program_ids = [program.id for program in programs_read]
    indicators = list(Indicator.objects.filter(program_id__in=program_ids)
                      .select_related("previous").order_by("program_id", "order"))
    # Last year's programs these continue, whole or an indicator at a time:
    # 추진실적, baselines, the standing of last year's values. The same
    # whichever of this year's programs are read with them.
    continued = {program.previous_id for program in programs_read if program.previous_id}
    continued.update(indicator.previous.program_id for indicator in indicators
                     if indicator.previous_id)
    unit_projects = list(UnitProject.objects.filter(program_id__in=[*program_ids, *continued])
                         .order_by("program_id", "order"))
    # This year's indicators and the ones of last year they continue.
    indicator_ids = {indicator.id for indicator in indicators}
    indicator_ids.update(indicator.previous_id for indicator in indicators
                         if indicator.previous_id)
    owners = (Q(indicator_id__in=sorted(indicator_ids))
              | Q(unit_project_id__in=[unit.id for unit in unit_projects]))
    # Targets, submissions and (but on entry pages) results are only read:
    # plain rows are enough, and much cheaper than models.
    # Each target comes with its latest revision (변경), if any, in the same query.
    targets = [TargetRow._make(row) for row in Target.objects.filter(owners).annotate(
        **TargetRevision.latest_of_each()).order_by().values_list(*TargetRow._fields)]
    if for_entry:
        # Entry pages show who saved each value last: joined here, not asked per result.
        results = list(Result.objects.filter(owners).select_related("updated_by")
                       .defer("updated_by__password"))
    else:
        results = [ResultRow._make(row) for row in Result.objects.filter(owners).values_list(
            *ResultRow._fields)]
    # Last year's too: its values count by their standing like this year's.
    submissions = [SubmissionRow._make(row) for row in Submission.objects.filter(
        program_id__in=[*program_ids, *continued]).order_by().values_list(*SubmissionRow._fields)]
    in_plan = Q(program_id__in=program_ids)
    headlines = list(HeadlineTarget.objects.filter(in_plan).order_by("program_id", "order"))
    executions = [ExecutionRow._make(row) for row in Execution.objects.filter(in_plan)
                  .order_by().values_list(*ExecutionRow._fields)]
    narratives = (list(Narrative.objects.filter(in_plan).order_by("program_id", "section", "order"))
                  if with_text else [])

    indicator_by_id = {indicator.id: indicator for indicator in indicators}
    indicator_by_id.update((indicator.previous.id, indicator.previous)
                           for indicator in indicators if indicator.previous)
    standings = _Standings(submissions, indicator_by_id, unit_projects,
                           {program.id: program.owner_id for program in programs_read})
    book = _Book(plan, quarter, targets, standings.counted(results, shown), unit_projects,
                 standings)
    by_program = defaultdict(list)
    for indicator in indicators:
        by_program[indicator.program_id].append(indicator)
    units_by_program = defaultdict(list)
    for unit_project in unit_projects:
        units_by_program[unit_project.program_id].append(unit_project)
    submissions_by_program = defaultdict(dict)
    for submission in submissions:
        submissions_by_program[submission.program_id][submission.quarter] = submission
    executions_by_program = defaultdict(dict)
    for execution in standings.counted_executions(executions, shown):
        executions_by_program[execution.program_id][execution.quarter] = execution
    headlines_by_program = defaultdict(list)
    for headline in headlines:
        headlines_by_program[headline.program_id].append(headline)
    narratives_by_program = defaultdict(lambda: defaultdict(list))
    for narrative in sorted(narratives, key=lambda n: n.order):
        narratives_by_program[narrative.program_id][narrative.section].append(narrative)

    for unit_project in unit_projects:
        if unit_project.indicator_id in indicator_by_id:
            _attach(unit_project, "indicator", indicator_by_id[unit_project.indicator_id])

    programs_by_category = defaultdict(list)
    for program in programs_read:
        # Readers follow .category.plan.institution from a program, and
        # .program from an indicator or unit project: no query, and one
        # category object for all of its programs.
        if program.category_id not in category_by_id:
            raise OutlineMoved
        _attach(program, "category", category_by_id[program.category_id])
        for child in by_program[program.id] + units_by_program[program.id]:
            _attach(child, "program", program)
        unit_figures = [book.unit_project(unit, year) for unit in units_by_program[program.id]]
        previous_units = ([book.unit_project(unit, year - 1)
                           for unit in units_by_program[program.previous_id]]
                          if program.previous_id else [])
        programs_by_category[program.category_id].append(ProgramFigures(
            program=program,
            indicators=[book.indicator(indicator, unit_figures)
                        for indicator in by_program[program.id]],
            unit_projects=unit_figures,
            submissions=submissions_by_program[program.id],
            headlines=headlines_by_program[program.id],
            narratives={section: narratives_by_program[program.id][section]
                        for section in SECTIONS},
            previous_unit_projects=previous_units,
            quarter=quarter,
            executions=executions_by_program[program.id],
            execution_unapproved=standings.unapproved(
                program.id, {each: executions_by_program[program.id].get(each)
                             for each in figures.QUARTERS}),
        ))
    return YearFigures(
        plan=plan, quarter=quarter, status=statuses.get(year),
        previous_status=statuses.get(year - 1), has_previous_plan=has_previous_plan,
        categories=[CategoryFigures(category, programs_by_category[category.id])
                    for category in categories
                    if programs is None or programs_by_category[category.id]],
        shown=shown,
    )


class _Standings:
    """The standing of every value read: its program's quarter's status."""

    def __init__(self, submissions, indicator_by_id, unit_projects, owners):
        self.status = {(submission.program_id, submission.quarter): submission.status
                       for submission in submissions}
        approved = defaultdict(set)
        for submission in submissions:
            if submission.status == APPROVED:
                approved[submission.program_id].add(submission.quarter)
        self.not_approved = {program_id: tuple(quarter for quarter in figures.QUARTERS
                                               if quarter not in quarters)
                             for program_id, quarters in approved.items()}
        self.program_of_indicator = {pk: indicator.program_id
                                     for pk, indicator in indicator_by_id.items()}
        self.program_of_unit = {unit.id: unit.program_id for unit in unit_projects}
        self.owners = owners  # program id → owner id, of the plan's programs

    def program_id(self, result):
        if result.indicator_id:
            return self.program_of_indicator[result.indicator_id]
        return self.program_of_unit[result.unit_project_id]

    def counted(self, results, shown):
        """The results `shown` lets the figures count; a year confirmed by
        planning staff (not entered by the quarter) stands approved."""
        if shown.unapproved:
            return results
        owners, status = self.owners, self.status
        kept = []
        for result in results:
            program_id = self.program_id(result)
            if (result.period == Period.YEAR
                    or shown.counts(status.get((program_id, result.period), DRAFT),
                                    owners.get(program_id))):
                kept.append(result)
        return kept

    def counted_executions(self, executions, shown):
        """The amounts executed `shown` lets the figures count."""
        if shown.unapproved:
            return executions
        return [execution for execution in executions
                if shown.counts(self.status.get((execution.program_id, execution.quarter), DRAFT),
                                self.owners.get(execution.program_id))]

    def unapproved(self, program_id, quarters):
        """The quarters with a value (in {quarter: value}) whose standing is not approved."""
        return frozenset(quarter for quarter in self.not_approved.get(program_id, figures.QUARTERS)
                         if quarters[quarter] is not None)


SECTIONS = Narrative.Section.values


def _attach(obj, name, related):
    """Set `obj.<name>` to the object read already, as select_related does:
    cheaper than assigning it, which checks it and sets the id again."""
    obj._meta.get_field(name).set_cached_value(obj, related)


def _unit_totals(unit_figures):
    years = sorted({year for unit in unit_figures for year in unit.targets})
    return {year: figures.total_by_unit(
        (unit.targets.get(year), unit.unit_project.unit) for unit in unit_figures)
        for year in years}


class _Book:
    """The targets and results read for a plan, indexed by what they belong to."""

    def __init__(self, plan, quarter, targets, results, unit_projects, standings):
        self.plan = plan
        self.quarter = quarter
        self.standings = standings
        self.targets = defaultdict(dict)  # ("i" | "u", id) → {year: Target}
        for target in targets:
            self.targets[_key(target)][target.year] = target
        self.results = defaultdict(dict)  # ("i" | "u", id) → {period: Result}
        for result in results:
            self.results[_key(result)][result.period] = result
        self.units_of_indicator = defaultdict(list)
        for unit_project in unit_projects:
            if unit_project.indicator_id:
                self.units_of_indicator[unit_project.indicator_id].append(unit_project)

    def unit_project(self, unit_project, year):
        results = self.results[("u", unit_project.id)]
        quarters, confirmed = self.unit_periods(unit_project)
        rule = unit_project.rollup
        targets = {target_year: target.figure
                   for target_year, target in self.targets[("u", unit_project.id)].items()}
        cumulative = figures.cumulative(quarters, rule, confirmed)
        return UnitProjectFigures(
            unit_project=unit_project,
            target=targets.get(year),
            targets=targets,
            quarters=quarters,
            result=cumulative[4],
            results=results,
            cumulative=cumulative,
            unapproved=self.standings.unapproved(unit_project.program_id, quarters),
            confirmed=confirmed,
        )

    def periods(self, indicator, parts=None):
        """An indicator's quarters and its confirmed year, from its own results
        or, where it has none, from the unit projects that count towards it
        (`parts`: their UnitProjectFigures when already made)."""
        own = self.results[("i", indicator.id)]
        if parts is None:
            parts = [self.unit_periods(unit) for unit in self.units_of_indicator[indicator.id]]
        else:
            parts = [(unit.quarters, unit.confirmed) for unit in parts]
        quarters = {quarter: _figure(own.get(quarter)) for quarter in figures.QUARTERS}
        confirmed = _figure(own.get(Period.YEAR))
        if not parts:
            return quarters, confirmed
        for quarter in figures.QUARTERS:
            if quarters[quarter] is None:
                quarters[quarter] = figures.combine(
                    [part_quarters[quarter] for part_quarters, _year in parts], indicator.rollup)
        if confirmed is None:
            confirmed = figures.combine([year for _quarters, year in parts], indicator.rollup)
        return quarters, confirmed

    def unit_periods(self, unit_project):
        results = self.results[("u", unit_project.id)]
        return ({quarter: _figure(results.get(quarter)) for quarter in figures.QUARTERS},
                _figure(results.get(Period.YEAR)))

    def year_value(self, indicator):
        """The indicator's year: confirmed, or rolled up from its quarters."""
        quarters, confirmed = self.periods(indicator)
        return figures.so_far(quarters, 4, indicator.rollup, confirmed)

    def indicator(self, indicator, unit_figures):
        year = self.plan.year
        targets = self.targets[("i", indicator.id)]
        target = targets.get(year)
        mine = [unit for unit in unit_figures if unit.unit_project.indicator_id == indicator.id]
        quarters, confirmed = self.periods(indicator, mine)
        cumulative = figures.cumulative(quarters, indicator.rollup, confirmed)
        result = cumulative[self.quarter]
        linked_target, linked_note, linked_result = self.linked(indicator)
        # 전년 실적(전년 목표) as the plan states it, or else last year's own figures.
        if indicator.baseline_actual is not None or indicator.baseline_target is not None:
            baseline_actual, baseline_target = indicator.baseline_actual, indicator.baseline_target
            baseline_unit, baseline_note = indicator.baseline_unit or indicator.unit, ""
        else:
            baseline_actual, baseline_target = linked_result, linked_target
            baseline_unit = indicator.previous.unit if indicator.previous else indicator.unit
            baseline_note = linked_note
        target_figure = target.figure if target else None
        steps = indicator.milestone_steps
        own_result = self.results[("i", indicator.id)].get(Period.YEAR)
        return IndicatorFigures(
            indicator=indicator,
            target=target_figure,
            target_note=target.note if target else "",
            targets={target_year: t.figure for target_year, t in targets.items()},
            quarters=quarters,
            cumulative=cumulative,
            result=result,
            result_note=own_result.note if own_result and self.quarter == 4 else "",
            achievement=figures.achievement(target_figure, result, indicator.direction, steps),
            baseline_actual=baseline_actual,
            baseline_target=baseline_target,
            baseline_unit=baseline_unit,
            change=figures.change(target_figure, baseline_target, indicator.is_new),
            pace=_pace(indicator, quarters, target_figure, self.quarter, confirmed),
            unit_projects=mine,
            results=self.results[("i", indicator.id)],
            quarter=self.quarter,
            year_result=cumulative[4],
            baseline_note=baseline_note,
            linked_target=linked_target,
            linked_result=linked_result,
            original_target=target.original if target else None,
            is_confirmed=figures.is_known(confirmed),
            confirmed=confirmed,
            unapproved=self.standings.unapproved(indicator.program_id, quarters),
        )

    def linked(self, indicator):
        """Last year's target, its note, and result of the indicator this one continues."""
        previous = indicator.previous
        if previous is None:
            return None, "", None
        target = self.targets[("i", previous.id)].get(self.plan.year - 1)
        return (target.figure if target else None, target.note if target else "",
                self.year_value(previous))


class TargetRow(NamedTuple):
    indicator_id: Optional[int]
    unit_project_id: Optional[int]
    year: int
    value: Optional[Decimal]
    state: str
    note: str
    revised_value: Optional[Decimal] = None
    revised_state: Optional[str] = None

    @property
    def is_revised(self):
        return self.revised_value is not None or bool(self.revised_state)

    @property
    def original(self):
        """당초 목표."""
        return self.value if self.value is not None else (self.state or None)

    @property
    def figure(self):
        """The target in force: 변경 where it was revised, 당초 otherwise."""
        if self.is_revised:
            return self.revised_value if self.revised_value is not None else self.revised_state
        return self.original


class ExecutionLine(NamedTuple):
    quarter: int
    amount_won: Optional[int]
    executed_won: Optional[int]  # the year so far
    rate: Optional[Decimal]
    unapproved: bool


class ExecutionRow(NamedTuple):
    """집행액 of a program's quarter as the figures read it."""

    program_id: int
    quarter: int
    amount_won: int
    version: int


class SubmissionRow(NamedTuple):
    """A program's quarter on its way to approval, as the figures read it."""

    program_id: int
    quarter: int
    status: str
    comment: str


class ResultRow(NamedTuple):
    """A result as readers of the figures need it (Result's fields of the same
    names), read as a plain row: a tenth of the cost of a model."""

    indicator_id: Optional[int]
    unit_project_id: Optional[int]
    period: int
    value: Optional[Decimal]
    state: str
    not_measured: bool
    note: str

    @property
    def figure(self):
        if self.not_measured:
            return figures.NOT_MEASURED
        return self.value if self.value is not None else (self.state or None)


def _pace(indicator, quarters, target, quarter, confirmed):
    return figures.pace_at(quarters, quarter, target, indicator.rollup, indicator.direction,
                           indicator.milestone_steps, confirmed)


def _key(row):
    return ("i", row.indicator_id) if row.indicator_id else ("u", row.unit_project_id)


def _figure(result):
    return result.figure if result is not None else None


# The dashboard's other reads ----------------------------------------------------


def plan_years(institution):
    """The years `institution` has a plan for, oldest first."""
    return list(Plan.objects.filter(institution=institution).order_by("year")
                .values_list("year", flat=True))


def latest_plan(institution):
    return Plan.objects.filter(institution=institution).order_by("-year").first()


def of_indicator(pk):
    """The program of indicator `pk`, for year_figures(programs=...)."""
    return Program.objects.filter(indicators=pk).values("pk")


def past_years(institution, figure, shown=APPROVED_ONLY, count=3):
    """This year's figures of the indicator and those of the indicators it
    continues, up to `count` years in all, each read as its year's default:
    [(year, IndicatorFigures)], oldest first."""
    years = [(figure.indicator.program.category.plan.year, figure)]
    while len(years) < count and years[0][1].indicator.previous_id:
        previous_id = years[0][1].indicator.previous_id
        year = years[0][0] - 1
        earlier = next((item for item in year_figures(
            institution, year, shown=shown, programs=of_indicator(previous_id)).indicators
            if item.indicator.pk == previous_id), None)
        if earlier is None:
            break
        years.insert(0, (year, earlier))
    return years


class _UnitRow(NamedTuple):
    id: int
    indicator_id: Optional[int]


def year_values(indicators):
    """{indicator id: its year's value} of `indicators` ({id: roll-up rule})
    as year_figures() reads a year: confirmed, or rolled up from its quarters
    (its own, or its unit projects'), counting every stored value. For the
    past years of the evaluation (goals.evaluation.histories)."""
    if not indicators:
        return {}
    units = [_UnitRow._make(row) for row in UnitProject.objects.filter(
        indicator__in=list(indicators)).order_by().values_list(*_UnitRow._fields)]
    results = [ResultRow._make(row) for row in Result.objects.filter(
        Q(indicator__in=list(indicators)) | Q(unit_project__indicator__in=list(indicators)))
        .values_list(*ResultRow._fields)]
    book = _Book(None, 4, [], results, units, None)
    return {pk: book.year_value(_IndicatorRow(pk, rule)) for pk, rule in indicators.items()}


class _IndicatorRow(NamedTuple):
    id: int
    rollup: str


def links_between(institution, earlier, later):
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


@dataclass
class IndicatorInDepth:
    """What the indicator page reads."""

    book: YearFigures  # the year's figures of the indicator's program
    program: ProgramFigures
    figure: IndicatorFigures
    years: list  # [(year, IndicatorFigures)] of the indicators it continues
    evidence: list
    changes: list  # goals.history.ResultChange of the quarters whose values are shown


def indicator_in_depth(plan, pk, quarter, shown):
    """Indicator `pk` of `plan` read at `quarter`, or None when the plan has
    no such indicator."""
    book = year_figures(plan.institution, plan.year, quarter, shown=shown,
                        programs=of_indicator(pk))
    found = next(((program, figure) for program in book.programs
                  for figure in program.indicators if figure.indicator.pk == pk), None)
    if found is None:
        return None
    program, figure = found
    owner_id = program.program.owner_id
    periods = [period for period in Period.values
               if shown.counts(APPROVED if period == Period.YEAR
                               else program.quarter_status(period), owner_id)]
    # The evidence of the quarters whose values the reader sees, each marked
    # when its quarter is not approved (the owner's drafts, or every value).
    evidence = list(Evidence.objects.filter(
        Q(indicator=figure.indicator) | Q(unit_project__indicator=figure.indicator),
        quarter__in=[period for period in periods if period != Period.YEAR])
        .order_by("quarter", "uploaded_at", "pk"))
    for file in evidence:
        file.is_unapproved = program.quarter_status(file.quarter) != APPROVED
    return IndicatorInDepth(
        book=book, program=program, figure=figure,
        years=past_years(plan.institution, figure, shown),
        evidence=evidence,
        changes=result_changes(figure.indicator, periods=periods),
    )

