"""
What an approver reads beside a submitted quarter: when it was last returned
or approved, and what its values became since then (a resubmission after a
return, a quarter reopened and submitted again), read from the history
django-simple-history keeps of every Submission and Result.
"""

from dataclasses import dataclass
from datetime import date, datetime
from typing import Optional

from django.db.models import Q
from django.utils.timezone import localtime

from . import figures
from . import formatting as fmt
from .models import Result, Submission, due_dates
from .people import display_name


@dataclass
class Steps:
    """A program's quarter as its history tells it."""

    returned_at: Optional[datetime] = None  # the last return
    approved_at: Optional[datetime] = None  # the last approval
    submitted_at: Optional[datetime] = None  # the last submission
    submissions: list = None  # every submission's time, oldest first
    returned_comment: str = ""  # why it was last returned

    @property
    def since(self):
        """The step the approver compares with: the later of the last return
        and the last approval, as (label key, when), or None."""
        stamps = [(when, kind) for when, kind in ((self.returned_at, "returned"),
                                                   (self.approved_at, "approved")) if when]
        if not stamps:
            return None
        when, kind = max(stamps)
        return kind, when


def steps_of(program_ids, quarter):
    """{program id: Steps} of the programs' `quarter`, from one query."""
    found = {}
    records = (Submission.history.filter(program_id__in=list(program_ids), quarter=quarter)
               .order_by("history_date", "history_id").values_list(
                   "program_id", "status", "history_date", "comment"))
    previous = {}
    for program_id, status, when, comment in records:
        steps = found.setdefault(program_id, Steps(submissions=[]))
        if status != previous.get(program_id):  # a move, not a save in the same state
            if status == Submission.Status.RETURNED:
                steps.returned_at, steps.returned_comment = when, comment
            elif status == Submission.Status.APPROVED:
                steps.approved_at = when
            elif status == Submission.Status.SUBMITTED:
                steps.submitted_at = when
                steps.submissions.append(when)
        previous[program_id] = status
    return found


@dataclass(frozen=True)
class ValueChange:
    """An input whose value or note differs from what it was at a step."""

    subject: str
    old: str
    new: str
    old_note: str
    new_note: str
    who: str
    when: datetime


def changes_since(program_quarters, since):
    """{program id: [ValueChange]}: each input of the programs' quarter whose
    value or note is not what it was at `since[program id]`; one query."""
    owners = {}
    for pq in program_quarters:
        if pq.program.pk not in since:
            continue
        for line in pq.lines:
            owners[("i" if line.is_indicator else "u", line.owner.pk)] = (
                pq.program.pk, line.name, line.unit)
    if not owners or not program_quarters:
        return {}
    quarter = program_quarters[0].quarter
    indicator_ids = [pk for kind, pk in owners if kind == "i"]
    unit_ids = [pk for kind, pk in owners if kind == "u"]
    records = (Result.history.filter(Q(indicator_id__in=indicator_ids)
                                     | Q(unit_project_id__in=unit_ids), period=quarter)
               .select_related("history_user").order_by("history_date", "history_id"))
    before, now = {}, {}
    for record in records:
        key = ("i", record.indicator_id) if record.indicator_id else ("u", record.unit_project_id)
        program_id = owners[key][0]
        state = None if record.history_type == "-" else record
        if record.history_date <= since[program_id]:
            before[key] = state
        now[key] = (state, record)
    changes = {}
    for key, (state, record) in now.items():
        program_id, subject, unit = owners[key]
        old = before.get(key)
        old_shown = (_shown(old, unit), old.note) if old else ("", "")
        new_shown = (_shown(state, unit), state.note) if state else ("", "")
        if old_shown == new_shown or record.history_date <= since[program_id]:
            continue
        user = record.history_user
        changes.setdefault(program_id, []).append(ValueChange(
            subject, old_shown[0], new_shown[0], old_shown[1], new_shown[1],
            display_name(user),
            record.history_date))
    return changes




def _shown(record, unit):
    if record.not_measured:
        return fmt.number(figures.NOT_MEASURED)
    if record.value is not None:
        return fmt.quantity(record.value, unit)
    return record.state


def d_day(due, today=None):
    """D-3 before the due date, D-day on it, D+2 after it."""
    today = today or date.today()
    days = (due - today).days
    if days == 0:
        return "D-day"
    return f"D-{days}" if days > 0 else f"D+{-days}"


def is_late(submitted_at, due):
    """A submission after the due date (its local day is later)."""
    return submitted_at is not None and localtime(submitted_at).date() > due


@dataclass
class Due:
    """A quarter's due date as pages show it."""

    date: date
    today: date

    @property
    def d_day(self):
        return d_day(self.date, self.today)

    @property
    def is_past(self):
        return self.today > self.date


def due_of(plan, quarter, today=None):
    return Due(due_dates(plan)[quarter], today or date.today())
