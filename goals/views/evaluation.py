"""
The evaluation the year is heading for (경영평가): the institution's page,
the province reviewer's read-only page and the target simulator. Every
figure comes from goals.evaluation.
"""

from django.shortcuts import render
from django.urls import reverse

from goals import access
from goals.evaluation import TargetSimulator, evaluation
from goals.forms import EvaluationForm, TargetSimulatorForm, asked_number
from goals.models import QUARTERS


def page(request, code, year):
    """For the director and the institution's own people: with the links to
    keep the scheme and try next year's targets."""
    plan = access.plan_for(request.user, code, year, access.can_read_internal)
    return _render(request, plan, read_only=False)


def review(request, code, year):
    """The same figures, read only, for the province's reviewer (도 담당자)."""
    plan = access.plan_or_404(request.user, code, year)
    return _render(request, plan, read_only=True)


def _render(request, plan, read_only):
    quarter = asked_number(request.GET, "q")
    quarter = quarter if quarter in QUARTERS else None  # the year's basis quarter
    result = evaluation(plan.institution, plan.year, asked_number(request.GET, "scheme"), quarter)
    return render(request, "goals/evaluation.html", {
        "institution": plan.institution, "plan": plan, "result": result,
        # An indicator's page is this and its pk: reversed once, not once a row.
        "indicator_base": reverse("goals:indicator", args=[plan.institution.code, plan.year, 0])
        .removesuffix("0/"),
        "scheme": result.scheme, "quarter": result.book.quarter, "read_only": read_only,
        "form": EvaluationForm(result.schemes, result.scheme, result.book.quarter),
        "nav_section": "evaluation",
    })


def simulator(request, code, year):
    """Next year's targets tried against the scheme, before they are set."""
    plan = access.plan_for(request.user, code, year, access.can_read_internal)
    simulation = TargetSimulator(plan.institution, plan.year, asked_number(request.GET, "scheme"))
    sent = any(name.startswith("t") for name in request.GET)
    form = TargetSimulatorForm(request.GET if sent else None, simulation.book.indicators)
    rows = simulation.rows(form.proposed())
    return render(request, "goals/target_simulator.html", {
        "institution": plan.institution, "plan": plan, "scheme": simulation.scheme,
        "schemes": simulation.schemes, "form": form,
        "rows": [(row, form[f"t{row.indicator.pk}"] if f"t{row.indicator.pk}" in form.fields
                  else None) for row in rows],
        "warnings": sum(1 for row in rows if row.warning),
        "nav_section": "evaluation",
    })
