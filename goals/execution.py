"""
예산 집행: what a program spent of its budget, entered per quarter beside its
results and taken through the same approval.

One function writes an amount (save_execution), whatever the path; the model
(goals.models.Execution) refuses a change in an approved quarter or a closed
year whatever calls it, and keeps who changed what, when, from which amount
to which (django-simple-history). This module stands apart from goals.entry
so that the entry page can show it as one small form per program.
"""

from dataclasses import dataclass
from decimal import Decimal
from typing import Optional

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from . import access, figures
from .entry import REASON_LENGTH, SOURCE_FORM, _locked_submission, closed_reason, quarters_held
from .models import Execution
from .people import saved_by

# BigIntegerField holds up to 9.2 × 10^18; no program spends 1,000조원.
LARGEST_AMOUNT = 10 ** 15


class BadAmount(ValueError):
    """What was typed is not an amount in 원; the message says why, in Korean."""


def parse_amount(raw):
    """원 as typed: "12,500,000", "12500000원", "1 250 000"; None when blank.
    Raises BadAmount."""
    text = "".join(str(raw or "").split()).replace(",", "")
    if text.endswith("원"):
        text = text[:-1]
    if not text:
        return None
    if not text.isdigit():
        if text.startswith("-") and text[1:].isdigit():
            raise BadAmount(_("집행액은 0 이상이어야 합니다."))
        raise BadAmount(_("집행액은 원 단위 정수로 입력하세요(예: 12,500,000)."))
    amount = int(text)
    if amount >= LARGEST_AMOUNT:
        raise BadAmount(_("집행액이 너무 큽니다."))
    return amount


@dataclass
class ExecutionOutcome:
    changed: bool = False
    problem: Optional[str] = None
    conflict: Optional[Execution] = None  # what is stored now, when somebody saved first

    @property
    def ok(self):
        return self.problem is None


def stored(program, quarter):
    """The program's Execution for `quarter`, or None."""
    return (Execution.objects.select_related("updated_by")
            .filter(program=program, quarter=quarter).first())


def save_execution(user, program, quarter, raw, *, version=0, reason="", source=SOURCE_FORM):
    """Write 집행액 `raw` (as typed; blank clears it) for `program`'s `quarter`.
    `version` is the version the amount was read at (0: there was none): if
    somebody saved since, nothing is written and the outcome says who. Raises
    PermissionDenied when `user` may not enter the program."""
    access.require(access.can_enter(user, program))
    try:
        amount = parse_amount(raw)
    except BadAmount as error:
        return ExecutionOutcome(problem=str(error))
    history_reason = (f"{source}: {reason}" if reason else str(source))[:REASON_LENGTH]
    with quarters_held():
        submission = _locked_submission(program, quarter, user)
        current = (Execution.objects.select_for_update(of=("self",)).select_related("updated_by")
                   .filter(program=program, quarter=quarter).first())
        if amount == (current.amount_won if current else None):
            return ExecutionOutcome()
        closed = closed_reason(program.category.plan, submission.status)
        if closed:
            return ExecutionOutcome(problem=closed)
        if version != (current.version if current else 0):
            return ExecutionOutcome(problem=_conflict_message(current, amount), conflict=current)
        if amount is None:
            current._history_user = user
            current._change_reason = history_reason
            current.delete()
            return ExecutionOutcome(changed=True)
        execution = current or Execution(program=program, quarter=quarter)
        execution.program = program
        execution.amount_won = amount
        execution.updated_by = user
        execution.is_example = False
        execution._history_user = user
        execution._change_reason = history_reason
        execution.save()
    return ExecutionOutcome(changed=True)


def won(amount):
    if amount is None:
        return _("(빈 값)")
    return _("%(amount)s원") % {"amount": figures.format_number(Decimal(amount))}


def _conflict_message(current, yours):
    if current is None:
        return _("그사이 다른 사람이 집행액을 지웠습니다. 입력한 값 %(yours)s을(를) 확인하고 "
                 "다시 저장하세요.") % {"yours": won(yours)}
    return _("%(who)s님이 %(when)s에 먼저 %(theirs)s(으)로 저장했습니다. 입력한 값은 "
             "%(yours)s입니다. 확인한 뒤 다시 저장하면 입력한 값으로 바뀝니다.") % {
        "who": saved_by(current.updated_by),
        "when": formats.date_format(timezone.localtime(current.updated_at), "Y-m-d H:i"),
        "theirs": won(current.amount_won), "yours": won(yours)}
