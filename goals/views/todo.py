"""The landing page: what the user has to do in the open quarter."""

from django.shortcuts import render

from goals import access, roles, todo
from goals.models import Period


def page(request, code, year, quarter=None):
    plan = access.plan_or_404(request.user, code, year)
    access.require(roles.has_role(request.user, roles.STAFF, roles.APPROVER, roles.DIRECTOR))
    if quarter is not None:
        access.quarter_or_404(quarter)
    work = todo.read(request.user, plan, quarter)
    return render(request, "goals/todo.html", {
        "institution": plan.institution, "plan": plan, "quarter": work.quarter,
        "quarters": Period.values[:4], "todo": work, "nav_section": "todo",
        "due": work.due,
    })
