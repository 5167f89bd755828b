from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from goals import access
from goals.forms import BasisForm, ValuesForm
from kpi_site.security import accepts_upload

from . import exports
from .forms import WorkbookForm
from .importer import ImportFailed, import_workbook


def download(request, code, year, kind):
    """The year's report as PDF or XLSX, to anyone who may read the institution:
    approved values, or also those not approved yet (marked) for those who may
    ask (?values=all), read at the quarter asked for (?q=2) or the year's default."""
    if kind not in exports.RENDERERS:
        raise Http404
    plan = access.plan_or_404(request.user, code, year)
    quarterly = request.GET.get("quarterly") == "1"
    shown, _refusal = access.shown_values(
        request.user, plan.institution, ValuesForm.include_unapproved(request.GET), export=True)
    data = exports.export(plan, kind, quarterly=quarterly, shown=shown,
                          quarter=BasisForm.asked_quarter(request.GET))
    response = HttpResponse(data, content_type=exports.CONTENT_TYPES[kind])
    response["Content-Disposition"] = content_disposition_header(
        True, exports.filename(plan, kind, quarterly))
    return response


@accepts_upload("PLAN_WORKBOOK_MAX_BYTES")
@require_http_methods(["GET", "POST"])
def upload(request, code):
    """Create or update a year's plan from the report's workbook."""
    institution = access.institution_or_404(request.user, code)
    access.require(access.can_keep_plan(request.user, institution))
    form = WorkbookForm(request.POST or None, request.FILES or None)
    problems = []
    if request.method == "POST" and form.is_valid():
        try:
            outcome = import_workbook(form.cleaned_data["workbook"], institution, request.user)
        except ImportFailed as failure:
            problems = failure.problems
        else:
            counts = outcome.counts
            message = (_("%(year)s년 계획을 만들었습니다(항목 %(created)s개).") if outcome.created
                       else _("%(year)s년 계획을 바꿨습니다(추가 %(created)s, 수정 %(updated)s, "
                              "삭제 %(deleted)s)."))
            messages.success(request, message % {
                "year": outcome.plan.year, "created": counts["created"],
                "updated": counts["updated"], "deleted": counts["deleted"]})
            for warning in outcome.warnings:
                messages.warning(request, _("목표 난이도 경고: %(warning)s") % {"warning": warning})
            return redirect("goals:overview", institution.code, outcome.plan.year)
    return render(request, "reports/upload.html", {
        "institution": institution, "form": form, "problems": problems},
        status=400 if problems else 200)
