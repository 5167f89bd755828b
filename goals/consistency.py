"""
Contradictions inside a plan: the places where the document says two
different things about one figure. Reads the year's figures from the
selector, like every other reader.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from . import figures
from . import formatting as fmt
from .evaluation import evaluate, histories, schemes_of, soft_targets
from .models import Period


@dataclass(frozen=True)
class Finding:
    where: str
    message: str

    def __str__(self):
        return f"{self.where}: {self.message}"


def find_contradictions(year_figures):
    """
    Every place where the plan says two things about one figure. The kinds:
    the 억원 against the 천원 (_budget); the summary page against the
    indicators (_headlines) and a summary figure no indicator carries
    (_headline_without_indicator); a plan's unit projects against the
    indicator they count towards (_unit_projects), and an indicator no unit
    project of the plan carries (_indicator_outside_plan); confirmed results
    against their parts (_results_add_up); 전년 실적(전년 목표) against 신규 and
    against last year's results table (_baseline), against an indicator last
    year's table does not have (_baseline_without_last_year), in another unit
    than the target (_baseline_unit), and 전년목표 대비 worked out between
    figures of two units (_change_across_units).
    """
    findings = []
    for category in year_figures.categories:
        for program in category.programs:
            where = f"【{category.category.name}】 {program.program.numbered_name}"
            findings += _budget(program, where)
            findings += _headlines(program, where, year_figures.year)
            findings += _headline_without_indicator(program, where)
            for indicator in program.indicators:
                at = f"{where} · {indicator.indicator.measurement}"
                findings += _unit_projects(indicator, at)
                findings += _indicator_outside_plan(program, indicator, at)
                findings += _results_add_up(indicator, at)
                findings += _baseline(indicator, at, year_figures.has_previous_plan)
                findings += _baseline_without_last_year(indicator, at,
                                                        year_figures.has_previous_plan)
                findings += _baseline_unit(indicator, at)
                findings += _change_across_units(indicator, at)
    return findings


def _headline_without_indicator(program, where):
    """A figure of the summary page that is no indicator's target (a unit
    project's only, or nothing's)."""
    findings = []
    for headline in program.headlines:
        if headline.indicator_id:
            continue
        unit = next((figure for figure in program.unit_projects
                     if figure.unit_project.id == headline.unit_project_id), None)
        if unit is not None and unit.unit_project.indicator_id:
            continue
        findings.append(Finding(where, _(
            "요약의 %(headline)s은(는) 어느 성과지표의 목표도 아닙니다(성과지표 표에 없는 값).")
            % {"headline": fmt.quantity(headline.figure, headline.unit, headline.label)}))
    return findings


def _indicator_outside_plan(program, figure, where):
    """An indicator of a program with a three-year plan that no unit project
    of the plan counts towards: its target is nowhere in the plan."""
    if not program.unit_projects or figure.unit_projects:
        return []
    return [Finding(where, _(
        "3개년 추진계획에 이 지표(%(target)s)를 채우는 단위사업이 없습니다(계획의 단위: %(units)s).")
        % {"target": fmt.quantity(figure.target, figure.indicator.unit) or "-",
           "units": ", ".join(dict.fromkeys(unit.unit_project.unit or "-"
                                            for unit in program.unit_projects))})]


def _baseline_without_last_year(figure, where, has_previous_plan):
    """전년 실적(전년 목표) stated for an indicator that last year's results
    table does not have (it continues no indicator of last year)."""
    indicator = figure.indicator
    stated = indicator.baseline_actual is not None or indicator.baseline_target is not None
    if not has_previous_plan or indicator.is_new or not stated or indicator.previous_id:
        return []
    return [Finding(where, _(
        "전년 실적(전년 목표) %(baseline)s이(가) 전년도 실적표의 어느 지표에도 없습니다.")
        % {"baseline": fmt.baseline(figure.baseline_actual, figure.baseline_target,
                                    figure.baseline_unit)})]


def _baseline_unit(figure, where):
    """Last year's figures in another unit than this year's target (50건
    against 53회(50회))."""
    unit, last = figure.indicator.unit, figure.baseline_unit
    if not unit or not last or unit == last or (
            figure.baseline_actual is None and figure.baseline_target is None):
        return []
    return [Finding(where, _(
        "목표는 %(target)s인데 전년 실적(전년 목표)은 다른 단위로 %(baseline)s입니다.")
        % {"target": fmt.quantity(figure.target, unit) or unit,
           "baseline": fmt.baseline(figure.baseline_actual, figure.baseline_target, last)})]


def _change_across_units(figure, where):
    """전년목표 대비 (동일, …%증) worked out between figures of two units."""
    change = figure.change
    unit, last = figure.indicator.unit, figure.baseline_unit
    if (change is None or change.kind == figures.NEW or not unit or not last or unit == last
            or figure.baseline_target is None):
        return []
    return [Finding(where, _(
        "전년목표 대비 '%(change)s'은(는) 단위가 다른 두 값(%(target)s, %(last)s)을 견준 것입니다.")
        % {"change": fmt.change(change), "target": fmt.quantity(figure.target, unit),
           "last": fmt.quantity(figure.baseline_target, last)})]


def _budget(program, where):
    stated = program.program.stated_budget_eok
    won = program.program.budget_won
    if stated is None:
        return []
    if won is None:
        return [Finding(where, _("총괄표에는 사업비 %(eok)s억원이 있는데, 사업개요에 사업비(천원)가 없습니다.")
                        % {"eok": fmt.number(stated)})]
    if stated != figures.won_to_eok(won):
        return [Finding(where, _(
            "총괄표의 사업비는 %(stated)s억원인데, 사업개요의 %(cheon)s천원은 %(eok)s억원입니다.")
            % {"stated": fmt.number(stated), "cheon": fmt.cheon(won), "eok": fmt.eok(won)})]
    return []


def _headlines(program, where, year):
    findings = []
    indicators = {figure.indicator.id: figure for figure in program.indicators}
    units = {figure.unit_project.id: figure for figure in program.unit_projects}
    for headline in program.headlines:
        if headline.indicator_id in indicators:
            figure = indicators[headline.indicator_id]
            target, unit, name = figure.target, figure.indicator.unit, figure.indicator.measurement
        elif headline.unit_project_id in units:
            figure = units[headline.unit_project_id]
            target, unit, name = figure.target, figure.unit_project.unit, figure.unit_project.name
        else:
            continue
        if headline.figure != target:
            findings.append(Finding(where, _(
                "요약 목표는 %(headline)s인데, %(name)s의 %(year)s년 목표는 %(target)s입니다.")
                % {"headline": fmt.quantity(headline.figure, headline.unit), "name": name,
                   "year": year, "target": fmt.quantity(target, unit) or "-"}))
    return findings


def _unit_projects(indicator, where):
    """The unit projects that count towards an indicator add up to its target."""
    findings = []
    units = indicator.unit_projects
    if not units:
        return findings
    if len({unit.unit_project.unit for unit in units}) > 1:
        return [Finding(where, _("단위가 서로 다른 단위사업이 한 지표에 집계됩니다."))]
    unit = units[0].unit_project.unit
    for year, target in sorted(indicator.targets.items()):
        parts = [unit_figure.targets.get(year) for unit_figure in units]
        if all(part is None for part in parts) or target is None:
            continue
        total = figures.combine(parts, indicator.indicator.rollup)
        if total != target:
            shown = fmt.unit_total(figures.total_by_unit((part, unit) for part in parts))
            findings.append(Finding(where, _(
                "%(year)s년 단위사업 계획의 계는 %(total)s인데, 성과지표 목표는 %(target)s입니다.")
                % {"year": year, "total": shown,
                   "target": fmt.quantity(target, indicator.indicator.unit)}))
    return findings


def _results_add_up(indicator, where):
    """A confirmed result of an indicator matches its unit projects' results."""
    units = indicator.unit_projects
    own = indicator.results.get(Period.YEAR)
    if own is None or not units:
        return []
    parts = [unit.results.get(Period.YEAR) for unit in units]
    if all(part is None for part in parts):
        return []
    total = figures.combine([part.figure if part else None for part in parts],
                            indicator.indicator.rollup)
    if total != own.figure:
        return [Finding(where, _("단위사업 실적의 합은 %(total)s인데, 지표 실적은 %(own)s입니다.")
                        % {"total": fmt.number(total), "own": fmt.number(own.figure)})]
    return []


def _baseline(figure, where, has_previous_plan):
    """전년 실적(전년 목표) agrees with last year's results, and 신규 means new."""
    indicator = figure.indicator
    stated = indicator.baseline_actual is not None or indicator.baseline_target is not None
    shown = fmt.baseline(figure.baseline_actual, figure.baseline_target, figure.baseline_unit)
    if indicator.is_new:
        if stated or indicator.previous_id:
            return [Finding(where, _("신규 지표인데 전년 실적(전년 목표) 칸에 값이 있습니다: %(baseline)s.")
                            % {"baseline": shown})]
        return []
    if figure.baseline_target is None and has_previous_plan:
        return [Finding(where, _("신규 지표가 아닌데 전년 목표가 없습니다."))]
    if stated and indicator.previous_id:
        linked = fmt.baseline(figure.linked_result, figure.linked_target, indicator.previous.unit)
        if (figure.linked_result, figure.linked_target) != (
                indicator.baseline_actual, indicator.baseline_target):
            return [Finding(where, _(
                "전년 실적(전년 목표)은 %(stated)s인데, 전년도 실적표의 값은 %(linked)s입니다.")
                % {"stated": shown, "linked": linked})]
    return []


def find_evaluation_problems(year_figures):
    """What makes the year's evaluation schemes unusable: 배점 that do not add
    up to the total, grade bands that overlap, are out of order or leave a
    total without a grade, and methods that cannot be applied (too few past
    years, 최고목표 = 최저목표) where the scheme names no fallback."""
    findings = []
    past = None
    for scheme in schemes_of(year_figures.institution, year_figures.year):
        past = histories(year_figures) if past is None else past
        where = _("평가 체계 %(scheme)s") % {"scheme": scheme}
        findings += [Finding(where, problem)
                     for problem in evaluate(year_figures, scheme, past=past).problems]
    return findings


def find_soft_targets(year_figures):
    """Targets below last year's result or below 기준치: warnings, not
    contradictions (evaluators question them first)."""
    places = {figure.indicator.id: f"【{category.category.name}】 {program.program.numbered_name}"
              f" · {figure.indicator.measurement}"
              for category in year_figures.categories for program in category.programs
              for figure in program.indicators}
    return [Finding(places[soft.indicator.id], soft.message)
            for soft in soft_targets(year_figures)]
