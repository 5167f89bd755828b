"""
Who may see and do what. Views ask these questions and nothing else.

A user sees only the institutions they are a member of: anything of another
institution is a 404, as if it did not exist. Inside their institution,
everyone with a role reads; staff change the results of their own programs;
approvers approve, return and reopen quarters.

What is read of the results is what the institution stands behind: approved
values, unless the approver or the director asks for the values not approved
yet as well (shown_values).
"""

from functools import reduce
from operator import or_

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from . import roles
from .models import Institution, Period, Plan, Program
from .selectors import APPROVED_ONLY, EVERYTHING, Shown


def institutions_of(user):
    if not user.is_authenticated:
        return Institution.objects.none()
    if user.is_superuser:
        return Institution.objects.all()
    return user.institutions.all()


# How each model reaches the institution it belongs to; a result, a target or
# evidence belongs through its indicator or its unit project.
_PROGRAM = "category__plan__institution"
INSTITUTION_PATHS = {
    "institution": ["pk"],
    "generalstatus": ["institution"],
    "plan": ["institution"],
    "category": ["plan__institution"],
    "program": [_PROGRAM],
    "narrative": [f"program__{_PROGRAM}"],
    "indicator": [f"program__{_PROGRAM}"],
    "unitproject": [f"program__{_PROGRAM}"],
    "headlinetarget": [f"program__{_PROGRAM}"],
    "submission": [f"program__{_PROGRAM}"],
    "evidence": [f"program__{_PROGRAM}"],
    "execution": [f"program__{_PROGRAM}"],
    "target": [f"indicator__program__{_PROGRAM}", f"unit_project__program__{_PROGRAM}"],
    "result": [f"indicator__program__{_PROGRAM}", f"unit_project__program__{_PROGRAM}"],
    "user": ["institutions"],
    "pastresult": [f"indicator__program__{_PROGRAM}"],
    "evaluationscheme": ["institution"],
    "quarterdue": ["plan__institution"],
    "schemeindicator": ["scheme__institution"],
    "gradeband": ["scheme__institution"],
    "adjustment": ["scheme__institution"],
    "targetrevision": [f"target__indicator__program__{_PROGRAM}",
                       f"target__unit_project__program__{_PROGRAM}"],
}


def within_institutions(queryset, user):
    """The part of `queryset` that belongs to the institutions `user` is a
    member of: what an administrator may see and choose in the admin."""
    if user.is_superuser:
        return queryset
    ids = institutions_of(user).values("pk")
    paths = INSTITUTION_PATHS[queryset.model._meta.model_name]
    belongs = reduce(or_, (Q(**{f"{path}__in": ids}) for path in paths))
    # A subquery, so that a user of two institutions is listed once.
    scoped = queryset.filter(pk__in=queryset.model._default_manager.filter(belongs).values("pk"))
    if paths == INSTITUTION_PATHS["user"]:
        # A user who is also another institution's, or a superuser, is not
        # for one institution's administrator to keep.
        others = Institution.objects.exclude(pk__in=ids)
        scoped = scoped.exclude(is_superuser=True).exclude(institutions__in=others)
    return scoped


def is_member(user, institution):
    """Asked several times a request: the user's institutions are read once and
    kept on the user object, as roles.has_role() keeps their roles."""
    ids = getattr(user, "_institution_ids", None)
    if ids is None:
        ids = set(institutions_of(user).values_list("pk", flat=True))
        user._institution_ids = ids
    return institution.pk in ids


def can_read(user, institution):
    return is_member(user, institution) and (
        user.is_superuser or roles.has_role(user, *roles.ROLES))


def is_internal(user):
    """One of an institution's own people: any role but the province's reviewer alone."""
    return user.is_superuser or roles.has_role(
        user, roles.STAFF, roles.APPROVER, roles.DIRECTOR, roles.ADMINISTRATOR)


def can_read_internal(user, institution):
    """The institution's own people read its planning pages: the evaluation
    it expects, the target simulator."""
    return is_member(user, institution) and is_internal(user)


def institution_or_404(user, code):
    """The institution with `code`, if `user` may read it; otherwise a 404."""
    institution = get_object_or_404(Institution, code=code)
    if not can_read(user, institution):
        raise Http404
    return institution


def plan_or_404(user, code, year):
    """The plan of the institution with `code` for `year`, if `user` may read
    the institution; otherwise a 404 (the same for a plan that is not there)."""
    plan = (Plan.objects.select_related("institution")
            .filter(institution__code=code, year=year).order_by().first())
    if plan is None or not can_read(user, plan.institution):
        raise Http404
    return plan


def plan_for(user, code, year, allowed):
    """The plan, for a user whom allowed(user, institution) lets do what the
    page does: a 404 to whoever may not read it, a 403 to a reader who may
    not do more."""
    plan = plan_or_404(user, code, year)
    require(allowed(user, plan.institution))
    return plan


def quarter_or_404(quarter):
    """A quarter (1–4) from a URL; the year as a whole is no quarter."""
    if quarter not in Period.values or quarter == Period.YEAR:
        raise Http404
    return quarter


def program_or_404(plan, program_id):
    return get_object_or_404(Program.objects.select_related("category__plan__institution"),
                             pk=program_id, category__plan=plan)


def can_enter(user, program):
    """Staff change the results of the programs they own, and only those."""
    return (roles.has_role(user, roles.STAFF) and program.owner_id == user.pk
            and is_member(user, program.category.plan.institution))


def can_enter_results(user, institution):
    """Staff enter their quarter's results (which ones: can_enter)."""
    return roles.has_role(user, roles.STAFF) and is_member(user, institution)


def can_approve(user, institution):
    return roles.has_role(user, roles.APPROVER) and is_member(user, institution)


def require(allowed):
    if not allowed:
        raise PermissionDenied


def can_keep_plan(user, institution):
    """Planning staff (approvers, administrators) keep the year's plan: its
    structure, targets and budgets, e.g. by uploading the report's workbook."""
    return is_member(user, institution) and (
        user.is_superuser or roles.has_role(user, roles.APPROVER, roles.ADMINISTRATOR))


def may_include_unapproved(user, institution):
    """The approver and the director may read the figures with the values
    not approved yet (marked 미승인); the province's reviewer never does."""
    return roles.has_role(user, roles.APPROVER, roles.DIRECTOR) and is_member(user, institution)


def shown_values(user, institution, include_unapproved=None, *, export=False):
    """
    Which values `user` reads `institution`'s figures with (a
    goals.selectors.Shown), and a message when what was asked for is not
    theirs to have (they get the default).

    `include_unapproved` is what was asked: True, False, or None for the
    default. By default the approver reads every value, staff read their own
    programs' values and the approved values of the others, and everyone
    else reads approved values; an export holds approved values unless asked.
    """
    may = may_include_unapproved(user, institution)
    refusal = None
    if include_unapproved and not may:
        include_unapproved = None
        refusal = (_("검토자에게는 승인된 값만 보입니다.")
                   if roles.has_role(user, roles.REVIEWER)
                   else _("제출 전 값은 승인자와 원장만 볼 수 있습니다. 승인된 값을 보여 드립니다."))
    if include_unapproved is not None:
        return (EVERYTHING if include_unapproved else APPROVED_ONLY), refusal
    if export:
        return APPROVED_ONLY, refusal
    if may and roles.has_role(user, roles.APPROVER):
        return EVERYTHING, refusal
    if roles.has_role(user, roles.STAFF):
        return Shown(owner_id=user.pk), refusal
    return APPROVED_ONLY, refusal

