"""
Entering a quarter's results, and taking the quarter through approval (the
write service; the quarter as pages show it is goals.quarter_page).

Every result staff write goes through here, whatever the path (the entry page,
the Excel upload): all values are checked first and written only when every
one is good, in one transaction, with who and why kept in the history.

A program's quarter (its Submission row) is the lock. Saving values, adding
evidence and moving the quarter (submit, approve, return, reopen) take it
first, so a read-check-write cannot interleave with another: PostgreSQL locks
the row (select_for_update), SQLite's IMMEDIATE transactions serialize writers.

A form or a sheet carries each value's version as it was read. When the
stored version differs, somebody saved in between: nothing is written and the
user is told who saved what, so nothing is lost silently.

A value that looks like a typing mistake (goals.figures.unlikely: 500건 for a
target of 40건) is not refused but held back with a warning until the user
confirms it; the confirmation is kept in the history's reason.
"""

from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from hashlib import sha256
from typing import Optional

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import access, evidence_files, figures, notify, parsing
from . import formatting as fmt
from .models import (DEFAULT_STEPS, HELD_SUBMISSIONS, Evidence, Indicator, Kind, Plan, Result,
                     Submission, Target, UnitProject)
from .parsing import BadValue, plain
from .people import saved_by

SOURCE_FORM = gettext_lazy("실적 입력 화면")
SOURCE_SHEET = gettext_lazy("엑셀 업로드")

REASON_LENGTH = 100  # django-simple-history's change reason field


# What is entered -----------------------------------------------------------


def key_of(owner):
    """The key of an input in forms and sheets: i19 for an indicator, u10 for a unit project."""
    return f"{'i' if isinstance(owner, Indicator) else 'u'}{owner.pk}"


def _row_key(row):
    """key_of() the owner of a target or result, from its ids alone."""
    return f"i{row.indicator_id}" if row.indicator_id else f"u{row.unit_project_id}"


def inputs_of(indicators, unit_projects):
    """What a program's quarter is entered on: each unit project, and each
    indicator no unit project counts towards (the selector makes the others'
    quarters out of their unit projects)."""
    counted = {unit.indicator_id for unit in unit_projects}
    return [indicator for indicator in indicators if indicator.id not in counted] + list(
        unit_projects)


def steps_of(owner):
    """The states a milestone input can take, in order."""
    if owner.kind != Kind.MILESTONE:
        return []
    return owner.milestone_steps if isinstance(owner, Indicator) else list(DEFAULT_STEPS)


def closed_reason(plan, status):
    """Why staff may not change a program's quarter now, or None."""
    if plan.status == Plan.Status.CLOSED:
        return _("마감된 연도입니다. 실적을 바꿀 수 없습니다.")
    if plan.status != Plan.Status.CONFIRMED:
        return _("확정되지 않은 계획에는 실적을 입력할 수 없습니다.")
    if status == Submission.Status.APPROVED:
        return _("승인된 분기입니다. 값을 바꾸려면 승인자에게 재개를 요청하세요.")
    if status == Submission.Status.SUBMITTED:
        return _("제출한 분기입니다. 값을 바꾸려면 승인자에게 반려를 요청하세요.")
    return None  # a draft, or returned to be corrected


# Saving values -------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    """What was sent for one input: the value as typed (or a sheet's number),
    its note, and the version and value it had when it was read."""

    key: str
    value: object = ""
    note: str = ""
    version: int = 0  # 0: there was no value
    read_value: object = None  # None: not known; any value that differs is a change
    read_note: str = ""
    where: object = None  # the caller's handle on the entry: a form field, a sheet row
    confirmed: object = None  # the value the user confirmed after a warning


@dataclass(frozen=True)
class Problem:
    """Why an entry cannot be saved. A conflict carries what is stored now."""

    entry: Entry
    message: str
    field: str = "value"  # "value" or "note"
    conflict: bool = False
    current: Optional[Result] = None


@dataclass(frozen=True)
class ProgramProblem:
    """Why none of a program's changes can be saved (a locked quarter)."""

    program: object
    message: str
    entries: tuple  # the entries that would have changed something


@dataclass(frozen=True)
class UnlikelyValue:
    """A value that looks like a mistake: held back until the user confirms it."""

    entry: Entry
    message: str
    value: object  # the figure warned about, as the user typed it back (plain)


@dataclass
class Outcome:
    problems: list
    changed: int = 0
    warnings: list = field(default_factory=list)  # UnlikelyValue waiting to be confirmed

    @property
    def ok(self):
        return not self.problems and not self.warnings


def parse(owner, raw):
    """The figure typed for `owner` (goals.parsing): a number, a state, NOT_MEASURED
    or None. Raises BadValue with a Korean message."""
    return parsing.parse(raw, unit=owner.unit, qualitative=owner.kind == Kind.MILESTONE,
                         subject=_("지표") if isinstance(owner, Indicator) else _("단위사업"))


WARNINGS = {
    figures.ABOVE_TARGET: gettext_lazy("연간 목표(%(target)s)의 %(times)s배가 넘습니다."),
    figures.DROP: gettext_lazy("전 분기(%(previous)s)보다 줄었습니다. 누계로 관리하는 값은 "
                               "보통 줄지 않습니다."),
}
CONFIRMED = {
    figures.ABOVE_TARGET: gettext_lazy("목표의 %(times)s배 초과"),
    figures.DROP: gettext_lazy("전 분기보다 감소"),
}


@dataclass
class _Change:
    entry: Entry
    owner: object
    stored: Optional[Result]
    figure: object  # a number, a state or NOT_MEASURED; None clears the value
    note: str
    confirmed: tuple = ()  # the warnings the user confirmed

    def write(self, user, quarter, reason):
        if self.confirmed:
            # The confirmation goes last and is never the part cut off.
            confirmation = _(" [경고 확인: %(what)s]") % {"what": ", ".join(
                str(CONFIRMED[code]) % {"times": figures.UNLIKELY_TIMES_TARGET}
                for code in self.confirmed)}
            reason = reason[:REASON_LENGTH - len(confirmation)] + confirmation
        reason = reason[:REASON_LENGTH]
        if self.figure is None:
            self.stored._history_user = user
            self.stored._change_reason = reason
            self.stored.delete()
            return
        result = self.stored or Result(period=quarter, **{
            "indicator" if isinstance(self.owner, Indicator) else "unit_project": self.owner})
        result.value, result.state, result.not_measured = _columns(self.figure)
        result.note = self.note
        result.is_example = False  # whoever saves it makes it theirs
        result.updated_by = user
        result._history_user = user
        result._change_reason = reason
        result.save()


def _columns(figure):
    """(value, state, not_measured) of a figure as Result stores it."""
    if figure is figures.NOT_MEASURED:
        return None, "", True
    if isinstance(figure, str):
        return None, figure, False
    return figure, "", False


def save_quarter(user, program, quarter, entries, *, source=SOURCE_FORM, reason=""):
    """Save the entries of `program`'s `quarter`: all or nothing. Raises
    PermissionDenied when `user` may not enter the program or an entry is not
    one of its inputs."""
    return save_quarters(user, quarter, {program: entries}, source=source, reason=reason)


def save_quarters(user, quarter, batches, *, source, reason="", write=True):
    """Save several programs' entries ({program: [Entry]}) for `quarter`, all
    or nothing. With write=False only check them. Nothing is written either
    while a value waits for its warning to be confirmed (Outcome.warnings)."""
    for program in batches:
        access.require(access.can_enter(user, program))
    history_reason = f"{source}: {reason}" if reason else str(source)
    with quarters_held():
        return _save_quarters(user, quarter, batches, history_reason, write)


@contextmanager
def quarters_held():
    """A transaction in which the quarters that _locked_submission locks are
    known as held (models.HELD_SUBMISSIONS): each value's lock check reads
    their status from there, not again from the database, and
    goals.versions knows that no approval can come between a check and a
    write."""
    token = HELD_SUBMISSIONS.set({})
    try:
        with transaction.atomic():
            yield
    finally:
        HELD_SUBMISSIONS.reset(token)


def _save_quarters(user, quarter, batches, history_reason, write):
    problems, warnings, changes = [], [], []
    for program, entries in batches.items():
        submission = _locked_submission(program, quarter, user)
        inputs = {key_of(owner): owner for owner in _inputs(program)}
        stored = _stored_results(inputs.values(), quarter, lock=True)
        context = _Context(inputs.values(), program.category.plan.year, quarter)
        mine, seen = [], set()
        for entry in entries:
            owner = inputs.get(entry.key)
            if owner is None:
                raise PermissionDenied
            if entry.key in seen:
                problems.append(Problem(entry, _("같은 항목이 두 번 있습니다.")))
                continue
            seen.add(entry.key)
            change = _check(entry, owner, stored.get(entry.key), problems)
            if change and _warned(change, context, warnings):
                continue
            if change:
                mine.append(change)
        closed = closed_reason(program.category.plan, submission.status)
        if closed and mine:
            problems.append(ProgramProblem(program, closed,
                                           tuple(change.entry for change in mine)))
        changes += mine
    if problems or warnings or not write:
        transaction.set_rollback(True)
        return Outcome(problems, warnings=warnings)
    for change in changes:
        change.write(user, quarter, history_reason)
    return Outcome([], len(changes))


def _check(entry, owner, stored, problems):
    """The change `entry` makes, or None; what is wrong with it goes to `problems`."""
    try:
        figure = parse(owner, entry.value)
    except BadValue as error:
        problems.append(Problem(entry, str(error)))
        return None
    note = (entry.note or "").strip()
    if entry.read_value is not None:
        try:
            if (figure, note) == (parse(owner, entry.read_value),
                                  (entry.read_note or "").strip()):
                return None  # not touched since it was read
        except BadValue:
            pass
    current = (stored.figure, stored.note) if stored else (None, "")
    if (figure, note) == current:
        return None
    found = len(problems)
    if figure is None:  # clearing the value
        if stored is None or (note and note != stored.note):
            problems.append(Problem(entry, _("비고를 남기려면 값을 입력하세요.")))
            return None
    elif figure is not figures.NOT_MEASURED:
        value, state, _not_measured = _columns(figure)
        message = owner.check_value(value, state)
        if message:
            problems.append(Problem(entry, str(message)))
    if entry.version != (stored.version if stored else 0):
        problems.append(Problem(entry, _conflict_message(stored, figure),
                                conflict=True, current=stored))
    if len(problems) > found:
        return None
    return _Change(entry, owner, stored, figure, note)


class _Context:
    """What a value is judged against before it is saved: each input's target
    for the year and its value in the quarter before, read when first asked."""

    def __init__(self, owners, year, quarter):
        self.owners, self.year, self.quarter = list(owners), year, quarter

    @cached_property
    def targets(self):
        indicator_ids = [owner.pk for owner in self.owners if isinstance(owner, Indicator)]
        unit_ids = [owner.pk for owner in self.owners if isinstance(owner, UnitProject)]
        return {_row_key(target): target.figure for target in Target.objects.filter(
            Q(indicator_id__in=indicator_ids) | Q(unit_project_id__in=unit_ids),
            year=self.year).order_by()}

    @cached_property
    def previous(self):
        if self.quarter == 1:
            return {}
        return {key: result.figure
                for key, result in _stored_results(self.owners, self.quarter - 1).items()}


def _warned(change, context, warnings):
    """Whether `change` waits for its warning to be confirmed (added to
    `warnings`); a confirmed warning goes with the change into the history."""
    owner, key = change.owner, key_of(change.owner)
    target = context.targets.get(key)
    previous = context.previous.get(key)
    reasons = figures.unlikely(change.figure, target, previous, owner.rollup,
                               owner.kind == Kind.COUNT)
    if not reasons:
        return False
    try:
        confirmed = parse(owner, change.entry.confirmed) == change.figure
    except BadValue:
        confirmed = False
    if confirmed:
        change.confirmed = tuple(reasons)
        return False
    message = " ".join(str(WARNINGS[reason]) % {
        "target": fmt.quantity(target, owner.unit), "times": figures.UNLIKELY_TIMES_TARGET,
        "previous": fmt.quantity(previous, owner.unit)} for reason in reasons)
    warnings.append(UnlikelyValue(change.entry, _("%(message)s 값이 맞으면 확인하고 저장하세요.") % {
        "message": message}, plain(change.figure)))
    return True


def _conflict_message(stored, yours):
    yours = fmt.number(yours) or _("(빈 값)")
    if stored is None:
        return _("그사이 다른 사람이 이 값을 지웠습니다. 입력한 값 %(yours)s을(를) 확인하고 "
                 "다시 저장하세요.") % {"yours": yours}
    theirs = fmt.number(stored.figure)
    if stored.note:
        theirs = f"{theirs}({stored.note})"
    return _("%(who)s님이 %(when)s에 먼저 %(theirs)s(으)로 저장했습니다. 입력한 값은 "
             "%(yours)s입니다. 확인한 뒤 다시 저장하면 입력한 값으로 바뀝니다.") % {
        "who": saved_by(stored.updated_by),
        "when": formats.date_format(timezone.localtime(stored.updated_at), "Y-m-d H:i"),
        "theirs": theirs, "yours": yours}


def _inputs(program):
    indicators = list(Indicator.objects.filter(program=program).order_by("order"))
    unit_projects = list(UnitProject.objects.filter(program=program).order_by("order"))
    for owner in indicators + unit_projects:
        owner.program = program  # the lock check follows it to the plan: no query
    by_id = {indicator.id: indicator for indicator in indicators}
    for unit in unit_projects:
        if unit.indicator_id in by_id:
            unit.indicator = by_id[unit.indicator_id]
    return inputs_of(indicators, unit_projects)


def _stored_results(owners, quarter, lock=False):
    """{key: Result} of `owners` for `quarter`, each linked to its owner."""
    owners = {key_of(owner): owner for owner in owners}
    indicator_ids = [owner.pk for owner in owners.values() if isinstance(owner, Indicator)]
    unit_ids = [owner.pk for owner in owners.values() if isinstance(owner, UnitProject)]
    results = Result.objects.filter(Q(indicator_id__in=indicator_ids)
                                    | Q(unit_project_id__in=unit_ids), period=quarter)
    if lock:
        results = results.select_for_update(of=("self",))
    stored = {}
    for result in results.select_related("updated_by"):
        key = _row_key(result)
        owner = owners[key]
        if isinstance(owner, Indicator):
            result.indicator = owner
        else:
            result.unit_project = owner
        stored[key] = result
    return stored


def _locked_submission(program, quarter, user):
    """The program's quarter, locked until the transaction ends; created as a
    draft the first time anything is saved in it."""
    # This row alone: the model's default order would join the program, its
    # category, plan and institution, and lock their rows too (on
    # PostgreSQL), so that every save of the institution waited for the others.
    submission = (Submission.objects.select_for_update(of=("self",))
                  .filter(program=program, quarter=quarter).order_by("pk").first())
    if submission is None:
        try:
            with transaction.atomic():
                submission = Submission(program=program, quarter=quarter, updated_by=user)
                submission._history_user = user
                submission.save()
        except IntegrityError:  # created by someone else meanwhile
            submission = Submission.objects.select_for_update(of=("self",)).get(program=program,
                                                                    quarter=quarter)
    submission.program = program
    held = HELD_SUBMISSIONS.get()
    if held is not None:  # within quarters_held(): locked until it ends
        held[program.pk, quarter] = submission
    return submission


def missing_inputs(program, quarter):
    """The inputs of `program` with no value for `quarter`."""
    inputs = _inputs(program)
    stored = _stored_results(inputs, quarter)
    return [owner for owner in inputs if key_of(owner) not in stored]


# Moving the quarter ----------------------------------------------------------------


class Refused(Exception):
    """A step the quarter cannot take now; the message says why, in Korean."""

    def __init__(self, message, field=None):
        super().__init__(message)
        self.message = message
        self.field = field


def submit(user, program, quarter):
    """Staff hand in their program's quarter (draft or returned → submitted).
    Every input needs a value: a blank is not a report (0 or 해당 없음 is), and
    the approver would lock the blanks in."""
    access.require(access.can_enter(user, program))
    with transaction.atomic():
        submission = _locked_submission(program, quarter, user)
        closed = closed_reason(program.category.plan, submission.status)
        if closed:
            raise Refused(closed)
        missing = missing_inputs(program, quarter)
        if missing:
            names = " / ".join(owner.measurement if isinstance(owner, Indicator) else owner.name
                              for owner in missing)
            raise Refused(_("빈 값이 있어 제출할 수 없습니다: %(names)s. 실적이 없으면 0을, "
                            "이번 분기에 측정하지 않으면 '해당 없음'을 입력하세요.")
                          % {"names": names})
        _move(submission, Submission.Status.SUBMITTED, user, "", _("제출"))


def approve(user, program, quarter):
    """An approver accepts a submitted quarter: it is locked."""
    _approver_step(user, program, quarter, Submission.Status.SUBMITTED,
                   _("제출된 분기만 승인할 수 있습니다."),
                   Submission.Status.APPROVED, "", _("승인"))
    notify.quarter_moved(program, quarter, Submission.Status.APPROVED)


def return_quarter(user, program, quarter, comment):
    """An approver sends a submitted quarter back to its owner, saying why:
    returned, the owner corrects it and submits again."""
    comment = _required(comment, _("반려 사유를 적어 주세요."))
    _approver_step(user, program, quarter, Submission.Status.SUBMITTED,
                   _("제출된 분기만 반려할 수 있습니다."),
                   Submission.Status.RETURNED, comment,
                   _("반려: %(comment)s") % {"comment": comment})
    notify.quarter_moved(program, quarter, Submission.Status.RETURNED, comment)


def reopen(user, program, quarter, reason):
    """An approver unlocks an approved quarter so that it can be corrected."""
    reason = _required(reason, _("재개 사유를 적어 주세요."))
    _approver_step(user, program, quarter, Submission.Status.APPROVED,
                   _("승인된 분기만 재개할 수 있습니다."),
                   Submission.Status.DRAFT, reason, _("재개: %(reason)s") % {"reason": reason})


def _required(text, message):
    text = (text or "").strip()
    if not text:
        raise Refused(message, field="comment")
    return text


def _approver_step(user, program, quarter, expected, refusal, status, comment, reason):
    access.require(access.can_approve(user, program.category.plan.institution))
    with transaction.atomic():
        submission = _locked_submission(program, quarter, user)
        _refuse_closed_plan(program)
        if submission.status != expected:
            raise Refused(refusal)
        _move(submission, status, user, comment, reason)


def _refuse_closed_plan(program):
    plan = program.category.plan
    if plan.status == Plan.Status.CLOSED:
        raise Refused(_("마감된 연도입니다."))


def _move(submission, status, user, comment, reason):
    submission.status = status
    submission.comment = comment
    submission.updated_by = user
    submission._history_user = user
    submission._change_reason = reason[:REASON_LENGTH]
    submission.save()


# Evidence ----------------------------------------------------------------------------


def add_evidence(user, program, quarter, upload, key=""):
    """Keep `upload` as evidence of `program`'s `quarter`, optionally of one of
    its indicators or unit projects (`key`). Refused for a file that is not
    what it claims to be, and in a quarter staff may not change."""
    access.require(access.can_enter(user, program))
    owner = None
    if key:
        owners = {key_of(owner): owner for owner in [*Indicator.objects.filter(program=program),
                                                     *UnitProject.objects.filter(program=program)]}
        owner = owners.get(key)
        if owner is None:
            raise PermissionDenied
    problem = evidence_files.problem_with(upload)
    if problem:
        raise Refused(problem, field="file")
    # Its type is its clean name's, as problem_with() found it: "보고서.pdf." is a PDF.
    name = evidence_files.clean_name(upload.name)
    digest = sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    with quarters_held():
        submission = _locked_submission(program, quarter, user)
        closed = closed_reason(program.category.plan, submission.status)
        if closed:
            raise Refused(closed)
        evidence = Evidence(
            program=program, quarter=quarter,
            indicator=owner if isinstance(owner, Indicator) else None,
            unit_project=owner if isinstance(owner, UnitProject) else None,
            name=name, content_type=evidence_files.content_type_of(name),
            size=upload.size, sha256=digest.hexdigest(), uploaded_by=user)
        evidence.file = upload
        evidence._history_user = user
        evidence.save()
    return evidence


def delete_evidence(user, evidence):
    """Remove evidence from a quarter its owner may still change."""
    program = evidence.program
    access.require(access.can_enter(user, program))
    with quarters_held():
        submission = _locked_submission(program, evidence.quarter, user)
        closed = closed_reason(program.category.plan, submission.status)
        if closed:
            raise Refused(closed)
        evidence._history_user = user
        evidence.delete()
