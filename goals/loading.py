"""
Loading a goal document into the database.

A document (fixtures/*.json) is shaped like the printed report: an
institution, its general status by year, and plans made of categories,
programs, indicators and unit projects, with their targets, results and
text. Cross-references (last year's program or indicator, the indicator a
unit project counts towards) are made by "ref" names. A document loads whole
or not at all.
"""

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from . import parsing
from .figures import WON_PER_CHEON, WON_PER_EOK
from .models import (Category, GeneralStatus, HeadlineTarget, Indicator, Institution, Kind,
                     Narrative, Period, Plan, Program, Result, Rollup, Target, Unit, UnitProject)

MARKERS = {"○": Narrative.Level.ITEM, "-": Narrative.Level.DETAIL, "*": Narrative.Level.NOTE}


class DocumentError(Exception):
    pass


def read_document(path):
    with Path(path).open(encoding="utf-8") as handle:
        return json.load(handle, parse_float=Decimal)


@transaction.atomic
def load_document(data):
    """Create the institution and everything in the document; return the institution."""
    fields = data["institution"]
    if Institution.objects.filter(code=fields["code"]).exists():
        raise DocumentError(_("기관 %(code)s의 문서가 이미 들어 있습니다.") % fields)
    institution = Institution.objects.create(**fields)
    for status in data.get("general_status", []):
        _create_status(institution, status)
    refs = {}
    for plan in sorted(data["plans"], key=lambda plan: plan["year"]):
        load_plan(institution, plan, refs)
    return institution


def _create_status(institution, data):
    shares = data.get("shares", {})
    term = data.get("head_term") or [None, None]
    budget = data.get("budget_eok")
    GeneralStatus.objects.create(
        institution=institution,
        year=data["year"],
        organization=data.get("organization", ""),
        quota=data.get("quota"),
        headcount=data.get("headcount"),
        head_name=data.get("head_name", ""),
        head_term_start=_date(term[0]),
        head_term_end=_date(term[1]),
        budget_won=int(Decimal(budget) * WON_PER_EOK) if budget is not None else None,
        budget_is_final=data.get("budget_is_final", False),
        national_share=shares.get("national"),
        local_share=shares.get("local"),
        other_share=shares.get("other"),
    )


def load_plan(institution, data, refs):
    """Create one year's plan. `refs` maps ref names to the objects made so far."""
    plan = Plan.objects.create(institution=institution, year=data["year"],
                               title=data.get("title", ""), status=Plan.Status.DRAFT,
                               reported_on=data.get("reported_on", ""))
    for order, category_data in enumerate(data["categories"], start=1):
        category = Category.objects.create(plan=plan, order=order, name=category_data["name"],
                                           is_common=category_data.get("is_common", False))
        for number, program_data in enumerate(category_data["programs"], start=1):
            _create_program(category, number, program_data, refs)
    # Close the year only once everything in it is written.
    plan.status = data.get("status", Plan.Status.DRAFT)
    plan.save(update_fields=["status"])
    return plan


def _create_program(category, number, data, refs):
    year = category.plan.year
    period = data.get("period") or [None, None]
    budget = data.get("budget_cheon")
    program = Program.objects.create(
        category=category,
        number=number,
        name=data["name"],
        purpose=data.get("purpose", ""),
        period_start=_date(period[0]),
        period_end=_date(period[1]),
        target_group=data.get("target_group", ""),
        budget_won=int(budget) * WON_PER_CHEON if budget is not None else None,
        funding_source=data.get("funding_source", ""),
        stated_budget_eok=data.get("stated_budget_eok"),
        plan_total=data.get("plan_total", False),
        results_total=data.get("results_total", False),
        printed_title=data.get("printed_title", ""),
        target_label=data.get("target_label", ""),
        contents_label=data.get("contents_label", ""),
        previous=_ref(refs, data.get("previous"), Program),
    )
    _remember(refs, data.get("ref"), program)

    for order, indicator_data in enumerate(data.get("indicators", []), start=1):
        indicator = _create_indicator(program, order, indicator_data, refs)
        _remember(refs, indicator_data.get("ref"), indicator)
        _create_targets(indicator_data.get("targets", {}), indicator=indicator)
        _create_results(indicator_data.get("results", {}), indicator=indicator)

    for order, unit_data in enumerate(data.get("unit_projects", []), start=1):
        unit_project = UnitProject.objects.create(
            program=program, order=order, group=unit_data.get("group", ""),
            name=unit_data["name"], unit=_unit(unit_data["unit"]),
            note=unit_data.get("note", ""),
            indicator=_ref(refs, unit_data.get("indicator"), Indicator))
        if unit_project.indicator and unit_project.indicator.program_id != program.id:
            raise DocumentError(_("단위사업 %(name)s의 지표가 다른 사업에 있습니다.") % unit_data)
        _remember(refs, unit_data.get("ref"), unit_project)
        _create_targets(unit_data.get("targets", {}), unit_project=unit_project)
        _create_results(unit_data.get("results", {}), unit_project=unit_project)

    for order, headline in enumerate(data.get("headlines", []), start=1):
        value, state = _figure(headline.get("value"))
        HeadlineTarget.objects.create(
            program=program, order=order, value=value, state=state,
            unit=headline.get("unit", ""), label=headline.get("label", ""),
            indicator=_ref(refs, headline.get("indicator"), Indicator),
            unit_project=_ref(refs, headline.get("unit_project"), UnitProject))

    for section in Narrative.Section.values:
        _create_narratives(program, section, data.get(section, []))
    if year and program.period_start and program.period_start.year != year:
        raise DocumentError(_("%(name)s의 기간이 계획 연도 밖에 있습니다.") % data)
    return program


def _create_indicator(program, order, data, refs):
    unit = _unit(data.get("unit", ""))
    kind = data.get("kind") or {Unit.PERCENT: Kind.RATE, Unit.POINTS: Kind.SCORE}.get(
        unit, Kind.COUNT)
    rollup = data.get("rollup") or (Rollup.SUM if kind == Kind.COUNT else Rollup.LATEST)
    baseline = data.get("baseline", {})
    indicator = Indicator(
        program=program, order=order, measurement=data["measurement"], unit=unit,
        kind=kind, rollup=rollup, direction=data.get("direction", "higher"),
        scale_max=data.get("scale_max"), steps=data.get("steps", []),
        previous=_ref(refs, data.get("previous"), Indicator),
        is_new=data.get("is_new", False),
        baseline_actual=baseline.get("actual"), baseline_target=baseline.get("target"),
        baseline_unit=_unit(baseline.get("unit", "")),
    )
    indicator.full_clean(exclude=["program"])
    indicator.save()
    return indicator


def _create_targets(targets, **owner):
    for year, figure in targets.items():
        value, state, note = _figure_with_note(figure)
        Target.objects.create(year=int(year), value=value, state=state, note=note, **owner)


def _create_results(results, **owner):
    periods = {"q1": Period.Q1, "q2": Period.Q2, "q3": Period.Q3, "q4": Period.Q4,
               "year": Period.YEAR}
    for period, figure in results.items():
        value, state, note = _figure_with_note(figure)
        result = Result(period=periods[period], value=value, state=state, note=note, **owner)
        result.full_clean()
        result.save()


def _create_narratives(program, section, entries):
    order = 0
    for entry in entries:
        label, lines = (entry["label"], entry["lines"]) if isinstance(entry, dict) else ("", [entry])
        for line in lines:
            order += 1
            marker, _space, text = line.partition(" ")
            if marker not in MARKERS:
                raise DocumentError(_("서술은 ○, -, * 로 시작해야 합니다: %(line)s") % {"line": line})
            Narrative.objects.create(program=program, section=section, order=order,
                                     level=MARKERS[marker], label=label, text=text.strip())


def _figure(raw):
    """A number becomes a value; text becomes a state (구축완료, 상시)."""
    try:
        return parsing.target(raw)
    except parsing.BadValue as error:
        raise DocumentError(str(error)) from None


def _figure_with_note(raw):
    if isinstance(raw, dict):
        value, state = _figure(raw.get("value", raw.get("state")))
        return value, state, raw.get("note", "")
    value, state = _figure(raw)
    return value, state, ""


def _unit(unit):
    if unit and unit not in Unit.values:
        raise DocumentError(_("알 수 없는 단위입니다: %(unit)s") % {"unit": unit})
    return unit


def _date(text):
    return date.fromisoformat(text) if text else None


def _ref(refs, name, model):
    if not name:
        return None
    found = refs.get(name)
    if not isinstance(found, model):
        raise DocumentError(_("참조 %(name)s을(를) 찾을 수 없습니다.") % {"name": name})
    return found


def _remember(refs, name, obj):
    if name:
        if name in refs:
            raise DocumentError(_("참조 이름 %(name)s이(가) 두 번 쓰였습니다.") % {"name": name})
        refs[name] = obj
