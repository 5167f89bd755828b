from datetime import date

from django.http import Http404
from django.shortcuts import redirect, render

from goals import access, roles
from goals.models import Plan


def home(request):
    """Send a user to the year that matters now in their institution."""
    institutions = list(access.institutions_of(request.user)[:2])
    if not institutions:
        return render(request, "goals/no_institution.html", status=403)
    institution = institutions[0]
    plans = Plan.objects.filter(institution=institution)
    plan = (plans.filter(year=date.today().year).first()
            or plans.exclude(status=Plan.Status.DRAFT).order_by("-year").first()
            or plans.order_by("-year").first())
    if plan is None:
        raise Http404
    # Those with work in the quarter land on their to-do list; readers on the overview.
    if plan.status == Plan.Status.CONFIRMED and roles.has_role(
            request.user, roles.STAFF, roles.APPROVER, roles.DIRECTOR):
        return redirect("goals:todo", institution.code, plan.year)
    return redirect("goals:overview", institution.code, plan.year)
