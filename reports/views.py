from django.contrib import messages
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from goals import access
from goals.consistency import find_contradictions
from goals.models import Plan
from goals.selectors import year_figures
from kpi_site.security import accepts_upload

from . import exports
from .forms import ExportForm, WorkbookForm
from .importer import ImportFailed, import_workbook
from .models import Export


@require_POST
def start_export(request, code, year):
    """Ask for a year's report. It is made in the background: the answer is
    the export to follow (a new one, or the one already made or being made
    of the same data), as JSON for the page's script or as its page."""
    institution = access.institution_or_404(request.user, code)
    form = ExportForm(request.POST)
    try:
        if not form.is_valid():
            raise exports.ExportRefused(" ".join(
                str(error) for errors in form.errors.values() for error in errors))
        export, joined = exports.request_export(request.user, institution, year,
                                                **form.request(request.user, institution))
    except exports.ExportRefused as refusal:
        if wants_json(request):
            return JsonResponse({"error": refusal.message}, status=refusal.status)
        return render(request, "reports/export.html", {
            "institution": institution, "plan": Plan.objects.filter(
                institution=institution, year=year).first(), "error": refusal.message},
            status=refusal.status)
    if wants_json(request):
        return JsonResponse(export_state(export, joined), status=202)
    return redirect("reports:export", code, year, export.pk)


def export_page(request, code, year, pk):
    """An export's progress without JavaScript: where it stands (the user
    reloads it, no page refreshes itself), then its file."""
    export = exports.refreshed(export_or_404(request.user, code, year, pk))
    plan = Plan.objects.filter(institution=export.institution, year=year).first()
    return render(request, "reports/export.html", {
        "institution": export.institution, "plan": plan,
        "export": export, "state": export_state(export), "filename": exports.filename(export),
        "quarterly": exports.ExportOptions.from_key(export.options).quarterly,
        # What the report prints otherwise than the document, and why, before
        # it is downloaded: the plan check's findings.
        "findings": find_contradictions(year_figures(export.institution, year)) if plan else []})


def export_status(request, code, year, pk):
    """An export's progress, for the page's script."""
    export = exports.refreshed(export_or_404(request.user, code, year, pk))
    return JsonResponse(export_state(export))


def export_file(request, code, year, pk):
    """A finished export's file; nothing before it is whole."""
    export = export_or_404(request.user, code, year, pk)
    if export.status != Export.Status.READY:
        raise Http404
    try:
        handle = export.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(handle, as_attachment=True, filename=exports.filename(export),
                        content_type=exports.FORMATS[export.format].content_type)


def export_or_404(user, code, year, pk):
    institution = access.institution_or_404(user, code)
    return get_object_or_404(Export.objects.select_related("institution"), pk=pk,
                             institution=institution, year=year)


def export_state(export, joined=False):
    args = (export.institution.code, export.year, export.pk)
    text = exports.message(export)
    if joined and not export.is_finished:
        text = _("같은 자료로 같은 보고서를 먼저 요청한 사람이 있어 함께 받습니다. %(message)s") % {
            "message": text}
    return {
        "id": export.pk, "status": export.status, "finished": export.is_finished,
        "message": text, "page": export.page, "joined": joined,
        "status_url": reverse("reports:export_status", args=args),
        "page_url": reverse("reports:export", args=args),
        "file_url": reverse("reports:export_file", args=args)
        if export.status == Export.Status.READY else None,
    }


def wants_json(request):
    return "application/json" in request.headers.get("Accept", "")


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
            if outcome.last_year_note:
                messages.success(request, outcome.last_year_note)
            for warning in outcome.warnings:
                messages.warning(request, _("목표 난이도 경고: %(warning)s") % {"warning": warning})
            return redirect("goals:overview", institution.code, outcome.plan.year)
    return render(request, "reports/upload.html", {
        "institution": institution, "form": form, "problems": problems},
        status=400 if problems else 200)
