"""The workbook goes back in: a year's plan created or updated from the
report's XLSX, all or nothing, with every problem located."""

from decimal import Decimal as D
from io import BytesIO

import pytest
from django.contrib.auth import get_user_model
from openpyxl import load_workbook

from goals.models import (Indicator, Institution, Period, Plan, Program, Result, Target,
                          UnitProject)
from goals.selectors import year_figures
from reports import layout
from reports.document import gather
from reports.importer import ImportFailed, import_workbook
from reports.xlsx import render_xlsx

pytestmark = pytest.mark.django_db


def exported(institution, year=2024):
    return render_xlsx(gather(institution, year))


def every_figure(book):
    """Everything year_figures() says about a plan, without database ids."""
    names = {}
    for program in book.programs:
        for figure in program.indicators:
            names["i", figure.indicator.pk] = figure.indicator.measurement
        for unit in program.unit_projects:
            names["u", unit.unit_project.pk] = unit.unit_project.name
    rows = [("plan", book.year, book.budget_won, book.has_previous_plan, book.status_counts)]
    for category in book.categories:
        rows.append(("category", category.category.order, category.category.name,
                     category.category.is_common, category.budget_won))
        for program in category.programs:
            p = program.program
            rows.append(("program", p.number, p.name, p.purpose, p.period_start, p.period_end,
                         p.target_group, p.budget_won, p.funding_source, p.stated_budget_eok,
                         p.owner_id, p.previous_id, program.budget_cheon, program.budget_eok,
                         program.unit_totals, program.previous_unit_total))
            for f in program.indicators:
                i = f.indicator
                rows.append(("indicator", i.order, i.measurement, i.unit, i.kind, i.direction,
                             i.rollup, i.scale_max, i.steps, i.is_new, i.previous_id, f.target,
                             f.target_note, f.targets, f.quarters, f.cumulative, f.result,
                             f.achievement, f.baseline_actual, f.baseline_target,
                             f.baseline_unit, f.baseline_note, f.change, f.pace, f.plan_totals,
                             f.linked_target, f.linked_result,
                             [names["u", u.unit_project.pk] for u in f.unit_projects]))
            for u in program.unit_projects:
                unit = u.unit_project
                rows.append(("unit", unit.order, unit.group, unit.name, unit.unit, unit.note,
                             names.get(("i", unit.indicator_id)), u.target, u.targets, u.quarters,
                             u.result))
            for h in program.headlines:
                rows.append(("headline", h.order, h.value, h.state, h.unit, h.label,
                             names.get(("i", h.indicator_id)),
                             names.get(("u", h.unit_project_id))))
            for section, lines in program.narratives.items():
                rows += [("narrative", section, n.order, n.level, n.label, n.text) for n in lines]
            rows += [("last year", u.unit_project.name, u.result)
                     for u in program.previous_unit_projects]
    return rows


def delete_plan(plan):
    Result.objects.filter(indicator__program__category__plan=plan).delete()
    Result.objects.filter(unit_project__program__category__plan=plan).delete()
    plan.delete()


def test_an_exported_year_imported_into_an_empty_year_is_the_same_plan(institution):
    before = every_figure(year_figures(institution, 2024, with_text=True))
    workbook = exported(institution)
    delete_plan(institution.plans.get(year=2024))
    outcome = import_workbook(BytesIO(workbook), institution)
    assert outcome.created
    after = every_figure(year_figures(institution, 2024, with_text=True))
    assert len(after) == len(before) > 300
    for old, new in zip(before, after):
        assert old == new
