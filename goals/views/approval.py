"""The approver's quarter: where each program stands, what is missing, and the steps."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django import forms
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from goals import access, entry, notify, quarter_page, review
from goals import formatting as fmt
from goals.forms import CommentForm
from goals.models import Evidence, Period, Program, QuarterDue, Submission, quarter_start
from goals.selectors import default_quarter, quarter_figures

DONE = {
    "approve": gettext_lazy("%(program)s %(quarter)s분기를 승인했습니다. 값이 잠겼습니다."),
    "return": gettext_lazy("%(program)s %(quarter)s분기를 반려했습니다."),
    "reopen": gettext_lazy("%(program)s %(quarter)s분기를 재개했습니다."),
}


def approver_plan(user, code, year):
    return access.plan_for(user, code, year, access.can_approve)


def start(request, code, year):
    plan = approver_plan(request.user, code, year)
    return redirect("goals:approval", plan.institution.code, plan.year,
                    default_quarter(plan.year))


def page(request, code, year, quarter):
    plan = approver_plan(request.user, code, year)
    return render_page(request, plan, access.quarter_or_404(quarter))


def render_page(request, plan, quarter, bound=None, status=200, due_form=None):
    """The approval page; `bound` is a comment form sent back with its problem,
    as (program id, step, form)."""
    book = quarter_figures(plan, quarter)
    program_quarters = quarter_page.program_quarters(book, quarter)
    steps = (Submission.history.filter(program_id__in=[each.program.pk
                                                       for each in program_quarters],
                                        quarter=quarter)
             .select_related("history_user").order_by("-history_date"))
    steps_of = {}
    for step in steps:
        steps_of.setdefault(step.program_id, []).append(step)
    moves = review.steps_of([each.program.pk for each in program_quarters], quarter)
    # What a submitted quarter's values became since it was returned or last approved.
    since = {program_id: move.since[1] for program_id, move in moves.items()
             if move.since and any(each.program.pk == program_id
                                   and each.status == Submission.Status.SUBMITTED
                                   for each in program_quarters)}
    changes = review.changes_since(program_quarters, since)
    due = review.due_of(plan, quarter)
    evidence_of = {}
    for file in Evidence.objects.filter(
            program__in=[each.program.pk for each in program_quarters], quarter=quarter
    ).select_related("uploaded_by", "indicator", "unit_project").order_by("uploaded_at", "pk"):
        evidence_of.setdefault(file.program_id, []).append(file)
    sections = []
    for program_quarter in program_quarters:
        program_id = program_quarter.program.pk
        forms = {name: CommentForm(prefix=f"{name}{program_id}") for name in ("return", "reopen")}
        if bound and bound[0] == program_id:
            forms[bound[1]] = bound[2]
        move = moves.get(program_id)
        sections.append({"quarter": program_quarter, "forms": forms,
                         "steps": steps_of.get(program_id, []),
                         "since": move.since if move and program_id in since else None,
                         "returned_comment": move.returned_comment if move else "",
                         "changes": changes.get(program_id, []),
                         "evidence": evidence_of.get(program_id, []),
                         "late": bool(move and review.is_late(move.submitted_at, due.date))})
    counts = {status: 0 for status in Submission.Status.values}
    for program_quarter in program_quarters:
        counts[program_quarter.status] += 1
    # ?status=submitted: only what waits for approval (or another state).
    shown_status = request.GET.get("status")
    if shown_status in Submission.Status.values:
        sections = [section for section in sections
                    if section["quarter"].status == shown_status]
    return render(request, "goals/approval.html", {
        "institution": plan.institution, "plan": plan, "quarter": quarter,
        "quarters": Period.values[:4], "sections": sections,
        "counts": [(Submission.Status(status).label, status, count)
                   for status, count in counts.items()],
        "counts_by": counts, "due": due, "shown_status": shown_status,
        "due_form": due_form or DueForm(initial={"due_date": due.date}),
        "may_set_due": access.can_keep_plan(request.user, plan.institution),
    }, status=status)


class DueForm(forms.Form):
    due_date = forms.DateField(label=_lazy("제출 기한"),
                               widget=forms.DateInput(attrs={"type": "date"}))


@require_POST
def set_due(request, code, year, quarter):
    """The approver or an administrator sets the quarter's due date; one
    before the quarter starts is refused and nothing changes."""
    plan = access.plan_for(request.user, code, year, access.can_keep_plan)
    access.quarter_or_404(quarter)
    form = DueForm(request.POST)
    if form.is_valid():
        due = form.cleaned_data["due_date"]
        if due < quarter_start(plan.year, quarter):
            form.add_error("due_date", _("제출 기한은 분기가 시작하기 전(%(start)s)일 수 없습니다.") % {
                "start": fmt.day(quarter_start(plan.year, quarter))})
        else:
            row = QuarterDue.objects.filter(plan=plan, quarter=quarter).first() or QuarterDue(
                plan=plan, quarter=quarter)
            row.due_date, row.updated_by = due, request.user
            row._history_user = request.user
            row.save()
            messages.success(request, _("%(quarter)s분기 제출 기한을 %(date)s(으)로 정했습니다.") % {
                "quarter": quarter, "date": fmt.day(due)})
            return redirect("goals:approval", plan.institution.code, plan.year, quarter)
    if not access.can_approve(request.user, plan.institution):
        messages.error(request, " ".join(form.errors.get("due_date", [])) or _("날짜를 확인하세요."))
        return redirect("goals:todo_quarter", plan.institution.code, plan.year, quarter)
    return render_page(request, plan, quarter, status=400, due_form=form)


@require_POST
def remind(request, code, year, quarter):
    """Remind the owners of the programs not submitted yet; a reminder to
    nobody is refused and nothing is sent."""
    plan = approver_plan(request.user, code, year)
    access.quarter_or_404(quarter)
    try:
        sent = notify.remind(plan, quarter)
    except notify.NobodyToRemind as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, _("담당자 %(count)s명에게 알림을 보냈습니다: %(programs)s") % {
            "count": len({program.owner_id for program in sent}),
            "programs": ", ".join(program.name for program in sent)})
    return redirect("goals:approval", plan.institution.code, plan.year, quarter)


@require_POST
def approve_many(request, code, year, quarter):
    """Approve the submitted programs ticked on the page, each recorded on its
    own; all or nothing: one that is not this plan's or not submitted changes none."""
    plan = approver_plan(request.user, code, year)
    access.quarter_or_404(quarter)
    url = reverse("goals:approval", args=[plan.institution.code, plan.year, quarter])
    asked = request.POST.getlist("program")
    if not asked:
        messages.error(request, _("승인할 사업을 고르세요."))
        return redirect(url)
    if not all(pk.isdigit() for pk in asked):
        messages.error(request, _("알 수 없는 사업이 있습니다. 아무것도 승인하지 않았습니다."))
        return redirect(url)
    programs = list(Program.objects.select_related("category__plan__institution")
                    .filter(pk__in=asked, category__plan=plan).order_by("category__order", "number"))
    if len(programs) != len(set(asked)):
        messages.error(request, _("이 계획의 사업이 아닌 것이 있습니다. 아무것도 승인하지 않았습니다."))
        return redirect(url)
    try:
        with transaction.atomic():
            for program in programs:
                try:
                    entry.approve(request.user, program, quarter)
                except entry.Refused as refusal:
                    raise entry.Refused(f"{program.name}: {refusal.message}") from refusal
    except entry.Refused as refusal:
        messages.error(request, _("%(problem)s 아무것도 승인하지 않았습니다.") % {
            "problem": refusal.message})
        return redirect(url)
    messages.success(request, _("%(quarter)s분기 %(count)s개 사업을 승인했습니다: %(programs)s") % {
        "quarter": quarter, "count": len(programs),
        "programs": ", ".join(program.name for program in programs)})
    return redirect(url)


@require_POST
def step(request, code, year, quarter, program_id, action):
    plan = approver_plan(request.user, code, year)
    access.quarter_or_404(quarter)
    if action not in DONE:
        raise Http404
    program = access.program_or_404(plan, program_id)
    form = CommentForm(request.POST, prefix=f"{action}{program_id}")
    form.is_valid()
    comment = form.cleaned_data.get("comment", "")
    try:
        if action == "approve":
            entry.approve(request.user, program, quarter)
        elif action == "return":
            entry.return_quarter(request.user, program, quarter, comment)
        else:
            entry.reopen(request.user, program, quarter, comment)
    except entry.Refused as refusal:
        if refusal.field == "comment":
            form.add_error("comment", refusal.message)
            return render_page(request, plan, quarter, bound=(program.pk, action, form),
                               status=400)
        messages.error(request, f"{program.name}: {refusal.message}")
    else:
        messages.success(request, DONE[action] % {"program": program.name, "quarter": quarter})
    url = reverse("goals:approval", args=[plan.institution.code, plan.year, quarter])
    return redirect(f"{url}#program-{program.pk}")
