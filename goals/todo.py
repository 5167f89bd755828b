"""
What each role has to do in the open quarter, for the landing page: staff
their programs and where each stands (반려 with its comment first), the
approver what waits for approval, what was returned and what is missing,
the director how far the quarter has come and which indicators are behind.
Counts for the navigation (반려 1, 승인 대기 3) come from one query each.
"""

from dataclasses import dataclass, field

from django.db.models import Count

from . import access, figures, quarter_page, review, roles
from .models import Plan, Program, Submission
from .selectors import EVERYTHING, default_quarter, year_figures

RETURNED, SUBMITTED = Submission.Status.RETURNED, Submission.Status.SUBMITTED


@dataclass
class Todo:
    plan: object
    quarter: int
    mine: list = field(default_factory=list)  # staff: ProgramQuarter of my programs
    returned_elsewhere: list = field(default_factory=list)  # staff: Submission of other quarters
    waiting: list = field(default_factory=list)  # approver: submitted ProgramQuarter
    waiting_elsewhere: list = field(default_factory=list)  # approver: Submission, other quarters
    returned: list = field(default_factory=list)  # approver: returned, waiting for a fix
    missing: list = field(default_factory=list)  # approver: not submitted yet
    progress: dict = None  # director: {status: count} of the quarter's programs
    behind: list = field(default_factory=list)  # director: IndicatorFigures behind pace
    is_staff: bool = False
    is_approver: bool = False
    is_director: bool = False
    due: object = None  # review.Due of the quarter

    @property
    def overdue(self):
        """Programs not submitted by the due date, with their owners (approver)."""
        if not self.due or not self.due.is_past:
            return []
        return self.missing + self.returned

    @property
    def total(self):
        return sum(self.progress.values()) if self.progress else 0


def quarter_book(plan, quarter, programs=None):
    return year_figures(plan.institution, plan.year, quarter, shown=EVERYTHING, for_entry=True,
                        programs=programs)


def read(user, plan, quarter=None):
    """The to-do list of `user` in `plan` for `quarter` (the open one by default)."""
    quarter = quarter or default_quarter(plan.year)
    todo = Todo(plan, quarter, due=review.due_of(plan, quarter),
                is_staff=roles.has_role(user, roles.STAFF),
                is_approver=access.can_approve(user, plan.institution),
                is_director=roles.has_role(user, roles.DIRECTOR))
    submissions = Submission.objects.filter(program__category__plan=plan).select_related(
        "program__owner")
    if todo.is_staff:
        owned = plan_programs(plan).filter(owner=user).values("pk")
        book = quarter_book(plan, quarter, owned)
        todo.mine = sorted(quarter_page.program_quarters(book, quarter, owner=user),
                           key=lambda pq: ORDER.index(pq.status))
        todo.returned_elsewhere = list(submissions.filter(
            program__owner=user, status=RETURNED).exclude(quarter=quarter))
    if todo.is_approver or todo.is_director:
        book = quarter_book(plan, quarter)
        quarters = quarter_page.program_quarters(book, quarter)
        todo.progress = {status: 0 for status in Submission.Status.values}
        for pq in quarters:
            todo.progress[pq.status] += 1
        if todo.is_approver:
            todo.waiting = [pq for pq in quarters if pq.status == SUBMITTED]
            todo.returned = [pq for pq in quarters if pq.status == RETURNED]
            todo.missing = [pq for pq in quarters if pq.status == Submission.Status.DRAFT]
            todo.waiting_elsewhere = list(submissions.filter(status=SUBMITTED)
                                          .exclude(quarter=quarter))
        if todo.is_director:
            shown, _refusal = access.shown_values(user, plan.institution)
            shown_book = year_figures(plan.institution, plan.year, quarter, shown=shown)
            todo.behind = [figure for figure in shown_book.indicators
                           if figure.pace.status == figures.BEHIND]
    return todo


# Staff see what needs them first.
ORDER = [RETURNED, Submission.Status.DRAFT, SUBMITTED, Submission.Status.APPROVED]


def plan_programs(plan):
    return Program.objects.filter(category__plan=plan)


def navigation_counts(user):
    """[(label, count, kind)] for the header: the user's returned quarters and,
    for an approver, the quarters waiting for approval, in the open plans of
    their institutions."""
    counts = []
    open_plans = Submission.objects.filter(
        program__category__plan__status=Plan.Status.CONFIRMED,
        program__category__plan__institution__in=access.institutions_of(user))
    if roles.has_role(user, roles.STAFF):
        returned = open_plans.filter(program__owner=user, status=RETURNED).count()
        if returned:
            counts.append(("returned", returned))
    if roles.has_role(user, roles.APPROVER):
        waiting = open_plans.filter(status=SUBMITTED).aggregate(count=Count("pk"))["count"]
        if waiting:
            counts.append(("submitted", waiting))
    return counts
