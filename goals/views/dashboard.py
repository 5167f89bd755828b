from django.shortcuts import render

from goals import access
from goals.selectors import year_figures


def overview(request, code, year):
    plan = access.plan_or_404(request.user, code, year)
    book = year_figures(plan.institution, year)
    return render(request, "goals/overview.html", {
        "institution": plan.institution, "plan": plan, "book": book})
