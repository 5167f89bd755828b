"""The staff member's quarter: enter, attach evidence, use the Excel sheet, submit."""

from typing import NamedTuple

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from goals import access, entry, entry_sheet, parsing, quarter_page, review
from goals import execution as spending
from goals.forms import EvidenceForm, ExecutionForm, QuarterForm, QuarterRows, SheetUploadForm
from goals.models import Evidence, Period, Program, Submission
from goals.selectors import default_quarter, quarter_figures
from kpi_site.security import accepts_upload

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def staff_plan(user, code, year):
    """The plan, for a member of its institution who enters results."""
    return access.plan_for(user, code, year, access.can_enter_results)


def start(request, code, year):
    plan = staff_plan(request.user, code, year)
    return redirect("goals:entry", plan.institution.code, plan.year, default_quarter(plan.year))


def page(request, code, year, quarter):
    plan = staff_plan(request.user, code, year)
    return render_page(request, plan, access.quarter_or_404(quarter))


def render_page(request, plan, quarter, bound=None, sheet_problems=None, status=200):
    """The entry page; `bound` holds a form sent back with its problems,
    {program id: QuarterForm or EvidenceForm}."""
    bound = bound or {}
    book = quarter_figures(plan, quarter, owned_programs(plan, request.user))
    sections = []
    program_quarters = quarter_page.program_quarters(book, quarter, owner=request.user)
    evidence = Evidence.objects.filter(
        program__in=[each.program for each in program_quarters], quarter=quarter
    ).select_related("uploaded_by", "indicator", "unit_project").order_by("uploaded_at", "pk")
    evidence_of = {}
    for file in evidence:
        evidence_of.setdefault(file.program_id, []).append(file)
    for program_quarter in program_quarters:
        program_id = program_quarter.program.pk
        sections.append({
            "quarter": program_quarter,
            "form": bound.get(("values", program_id)) or QuarterRows(program_quarter),
            "evidence_form": (bound.get(("evidence", program_id))
                              or EvidenceForm(program_quarter)),
            "evidence": evidence_of.get(program_id, []),
            "execution_form": (bound.get(("execution", program_id))
                               or ExecutionForm(program_quarter.figures, quarter)),
        })
    returned = [each for each in program_quarters if each.status == Submission.Status.RETURNED]
    # Returned in another quarter: said here too, with the way there.
    returned_elsewhere = [
        ReturnedQuarter(each.program, number, submission.comment)
        for each in book.programs for number, submission in sorted(each.submissions.items())
        if submission.status == Submission.Status.RETURNED and number != quarter]
    return render(request, "goals/entry.html", {
        "returned": returned, "returned_elsewhere": returned_elsewhere,
        "due": review.due_of(plan, quarter),
        "institution": plan.institution, "plan": plan, "quarter": quarter,
        "quarters": Period.values[:4], "sections": sections,
        "sheet_form": bound.get("sheet") or SheetUploadForm(),
        "reason_form": bound.get("reason") or PageReasonForm(prefix="page"),
        "ready": [each for each in program_quarters if each.is_open and not each.missing],
        "any_open": any(each.is_open for each in program_quarters),
        "sheet_problems": sheet_problems, "not_measured": parsing.NOT_MEASURED_TEXT,
    }, status=status)


class ReturnedQuarter(NamedTuple):
    program: Program
    quarter: int
    comment: str


class PageReasonForm(forms.Form):
    """The reason given once for every change the whole-page 저장 makes."""

    reason = forms.CharField(label=_("변경 사유(선택)"), required=False, max_length=80,
                             help_text=_("이미 저장된 값을 고칠 때 적으면 변경 이력에 남습니다."))


@require_POST
def save_all(request, code, year, quarter):
    """One 저장 for every program of the page: all or nothing, each program's
    problems beside its fields."""
    plan = staff_plan(request.user, code, year)
    access.quarter_or_404(quarter)
    book = quarter_figures(plan, quarter, owned_programs(plan, request.user))
    forms_of = {}
    sent = {name.split("-", 1)[0] for name in request.POST}
    for program_quarter in quarter_page.program_quarters(book, quarter, owner=request.user):
        # The programs whose inputs the page sent (those open when it was read:
        # one locked since is refused with its reason, and nothing is saved).
        if f"p{program_quarter.program.pk}" in sent:
            forms_of[program_quarter.program] = QuarterForm(program_quarter, request.POST)
    reason_form = PageReasonForm(request.POST, prefix="page")
    valid = reason_form.is_valid()
    valid = all([form.is_valid() for form in forms_of.values()]) and valid
    if valid:
        outcome = entry.save_quarters(
            request.user, quarter, {program: form.entries() for program, form in forms_of.items()},
            source=entry.SOURCE_FORM, reason=reason_form.cleaned_data["reason"])
        if outcome.ok:
            if outcome.changed:
                messages.success(request, _("값 %(count)s개를 저장했습니다.") % {
                    "count": outcome.changed})
            else:
                messages.info(request, _("바뀐 값이 없습니다."))
            return _back(plan, quarter)
        for program, form in forms_of.items():
            keys = {line.key for line in form.program_quarter.lines}
            form.show(entry.Outcome(
                [problem for problem in outcome.problems
                 if (problem.program == program if isinstance(problem, entry.ProgramProblem)
                     else problem.entry.where in keys)],
                warnings=[warning for warning in outcome.warnings
                          if warning.entry.where in keys]))
        if not outcome.problems:
            messages.warning(request, _(
                "확인이 필요한 값이 있어 아직 아무것도 저장하지 않았습니다. 값이 맞으면 "
                "'이 값이 맞습니다'를 선택하고, 아니면 고친 뒤 다시 저장하세요."))
            return render_page(request, plan, quarter, bound=_bound(forms_of, reason_form))
    failed = [program.name for program, form in forms_of.items() if form.errors]
    messages.error(request, _("저장하지 못했습니다. 아무 값도 저장되지 않았습니다. 고칠 곳이 있는 "
                              "사업: %(programs)s") % {"programs": ", ".join(failed) or "-"})
    return render_page(request, plan, quarter, bound=_bound(forms_of, reason_form),
                       status=400)


def _bound(forms_of, reason_form):
    bound = {("values", program.pk): form for program, form in forms_of.items()}
    bound["reason"] = reason_form
    return bound


def submit_all(request, code, year, quarter):
    """모두 제출: a page that names the programs that will be submitted (and
    locked for their owner) and those that cannot be; posting it submits
    each, recorded on its own."""
    plan = staff_plan(request.user, code, year)
    access.quarter_or_404(quarter)
    book = quarter_figures(plan, quarter, owned_programs(plan, request.user))
    mine = quarter_page.program_quarters(book, quarter, owner=request.user)
    ready = [pq for pq in mine if pq.is_open and not pq.missing]
    not_ready = [pq for pq in mine if pq.is_open and pq.missing]
    if request.method == "POST":
        if not ready:
            messages.error(request, _("제출할 수 있는 사업이 없습니다. 빈 값을 모두 채운 사업만 "
                                      "제출할 수 있습니다."))
            return _back(plan, quarter)
        done, refused = [], []
        for pq in ready:
            try:
                entry.submit(request.user, pq.program, quarter)
            except entry.Refused as refusal:
                refused.append(f"{pq.program.name}: {refusal.message}")
            else:
                done.append(pq.program.name)
        if done:
            messages.success(request, _("%(quarter)s분기를 제출했습니다: %(programs)s") % {
                "quarter": quarter, "programs": ", ".join(done)})
        for message in refused:
            messages.error(request, message)
        return _back(plan, quarter)
    return render(request, "goals/submit_all.html", {
        "institution": plan.institution, "plan": plan, "quarter": quarter,
        "ready": ready, "not_ready": not_ready,
    })


def owned_programs(plan, user):
    return Program.objects.filter(category__plan=plan, owner=user).values("pk")


def _back(plan, quarter, program=None):
    url = reverse("goals:entry", args=[plan.institution.code, plan.year, quarter])
    return redirect(f"{url}#program-{program.pk}" if program else url)


def owned_program(user, code, year, quarter, program_id):
    """The plan and one of its programs that `user` enters results for: 404
    for what is not there, 403 for someone else's program."""
    plan = staff_plan(user, code, year)
    access.quarter_or_404(quarter)
    program = access.program_or_404(plan, program_id)
    access.require(access.can_enter(user, program))
    return plan, program


def program_quarter(plan, quarter, program):
    book = quarter_figures(plan, quarter, [program.pk])
    return next(each for each in quarter_page.program_quarters(book, quarter)
                if each.program.pk == program.pk)


@require_POST
def save(request, code, year, quarter, program_id):
    plan, program = owned_program(request.user, code, year, quarter, program_id)
    form = QuarterForm(program_quarter(plan, quarter, program), request.POST)
    if form.is_valid():
        outcome = entry.save_quarter(request.user, program, quarter, form.entries(),
                                     reason=form.cleaned_data["reason"])
        if outcome.ok:
            if outcome.changed:
                messages.success(request, _("%(program)s: 값 %(count)s개를 저장했습니다.") % {
                    "program": program.name, "count": outcome.changed})
            else:
                messages.info(request, _("%(program)s: 바뀐 값이 없습니다.") % {
                    "program": program.name})
            return _back(plan, quarter, program)
        form.show(outcome)
        if not outcome.problems:
            messages.warning(request, _(
                "%(program)s: 확인이 필요한 값이 있어 아직 저장하지 않았습니다. 값이 맞으면 "
                "'이 값이 맞습니다'를 선택하고, 아니면 고친 뒤 다시 저장하세요.")
                % {"program": program.name})
            return render_page(request, plan, quarter, bound={("values", program.pk): form})
    messages.error(request, _("%(program)s: 저장하지 못했습니다. 표시된 칸을 고치세요. "
                              "아무 값도 저장되지 않았습니다.") % {"program": program.name})
    return render_page(request, plan, quarter, bound={("values", program.pk): form},
                       status=400)


@require_POST
def save_execution(request, code, year, quarter, program_id):
    """집행액 of the program's quarter, saved on its own (goals.execution)."""
    plan, program = owned_program(request.user, code, year, quarter, program_id)
    figures = program_quarter(plan, quarter, program).figures
    form = ExecutionForm(figures, quarter, request.POST)
    if form.is_valid():
        data = form.cleaned_data
        outcome = spending.save_execution(request.user, program, quarter, data["amount"],
                                          version=data["version"] or 0, reason=data["reason"])
        if outcome.ok:
            if outcome.changed:
                messages.success(request, _("%(program)s: 집행액을 저장했습니다.") % {
                    "program": program.name})
            else:
                messages.info(request, _("%(program)s: 바뀐 집행액이 없습니다.") % {
                    "program": program.name})
            return _back(plan, quarter, program)
        if outcome.conflict is not None:
            # Saving again is then a deliberate overwrite of what is stored now.
            form.data = form.data.copy()
            form.data[form.add_prefix("version")] = outcome.conflict.version
        form.add_error("amount", outcome.problem)
    messages.error(request, _("%(program)s: 집행액을 저장하지 못했습니다.") % {
        "program": program.name})
    return render_page(request, plan, quarter, bound={("execution", program.pk): form},
                       status=400)


@require_POST
def submit(request, code, year, quarter, program_id):
    plan, program = owned_program(request.user, code, year, quarter, program_id)
    try:
        entry.submit(request.user, program, quarter)
    except entry.Refused as refusal:
        messages.error(request, f"{program.name}: {refusal.message}")
    else:
        messages.success(request, _("%(program)s %(quarter)s분기를 제출했습니다.") % {
            "program": program.name, "quarter": quarter})
    return _back(plan, quarter, program)


@accepts_upload("EVIDENCE_MAX_BYTES")
@require_POST
def add_evidence(request, code, year, quarter, program_id):
    plan, program = owned_program(request.user, code, year, quarter, program_id)
    form = EvidenceForm(program_quarter(plan, quarter, program), request.POST, request.FILES)
    if form.is_valid():
        try:
            evidence = entry.add_evidence(request.user, program, quarter,
                                          form.cleaned_data["file"], form.cleaned_data["key"])
        except entry.Refused as refusal:
            form.add_error("file", refusal.message)
        else:
            messages.success(request, _("증빙 '%(name)s'을(를) 올렸습니다.") % {
                "name": evidence.name})
            return _back(plan, quarter, program)
    return render_page(request, plan, quarter, bound={("evidence", program.pk): form},
                       status=400)


@require_POST
def delete_evidence(request, pk):
    evidence = get_object_or_404(
        Evidence.objects.select_related("program__category__plan__institution"), pk=pk)
    plan = evidence.program.category.plan
    if not access.can_read(request.user, plan.institution):
        raise Http404
    try:
        entry.delete_evidence(request.user, evidence)
    except entry.Refused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, _("증빙 '%(name)s'을(를) 지웠습니다.") % {"name": evidence.name})
    return _back(plan, evidence.quarter, evidence.program)


def sheet(request, code, year, quarter):
    plan = staff_plan(request.user, code, year)
    access.quarter_or_404(quarter)
    book = quarter_figures(plan, quarter, owned_programs(plan, request.user))
    content = entry_sheet.build(plan, quarter,
                                quarter_page.program_quarters(book, quarter, owner=request.user),
                                request.user)
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(
        True, entry_sheet.file_name(plan, quarter))
    return response


@accepts_upload("ENTRY_SHEET_MAX_BYTES")
@require_POST
def upload_sheet(request, code, year, quarter):
    plan = staff_plan(request.user, code, year)
    access.quarter_or_404(quarter)
    form = SheetUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return render_page(request, plan, quarter, bound={"sheet": form}, status=400)
    book = quarter_figures(plan, quarter)
    problems, changed = entry_sheet.upload(
        request.user, plan, quarter, form.cleaned_data["file"],
        quarter_page.program_quarters(book, quarter), reason=form.cleaned_data["reason"],
        confirm=form.cleaned_data["confirm"])
    if problems:
        messages.error(request, _("엑셀 파일에 고칠 곳이 %(count)s군데 있습니다. 아무 값도 "
                                  "저장되지 않았습니다.") % {"count": len(problems)})
        return render_page(request, plan, quarter, bound={"sheet": form},
                           sheet_problems=problems, status=400)
    messages.success(request, _("엑셀 파일에서 값 %(count)s개를 저장했습니다.") % {
        "count": changed})
    return _back(plan, quarter)
