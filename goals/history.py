"""
The history of results: who changed a value, when, from what to what, and
why. Read from the records django-simple-history keeps on every save and
delete, whatever path the change took.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Optional

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from . import figures
from . import formatting as fmt
from .models import Period, Result
from .people import display_name

KIND_LABELS = {"+": _("입력"), "~": _("수정"), "-": _("삭제")}


@dataclass(frozen=True)
class ResultChange:
    when: datetime
    who: Optional[str]
    subject: str  # the indicator's measurement or the unit project's name
    period: str
    kind: str  # 입력, 수정, 삭제
    old: str
    new: str
    note: str
    reason: str


def result_changes(indicator=None, program=None, periods=None):
    """Changes to the results of an indicator (and the unit projects that count
    towards it), or of every indicator and unit project of a program; newest
    first. `periods` keeps only the changes of those periods (the quarters a
    reader may see the values of)."""
    if indicator is not None:
        units = list(indicator.unit_projects.all())
        owners = Q(indicator_id=indicator.id) | Q(unit_project_id__in=[u.id for u in units])
        names = {("i", indicator.id): indicator.measurement}
    else:
        units = list(program.unit_projects.all())
        indicators = list(program.indicators.all())
        owners = (Q(indicator_id__in=[i.id for i in indicators])
                  | Q(unit_project_id__in=[u.id for u in units]))
        names = {("i", i.id): i.measurement for i in indicators}
    names.update({("u", unit.id): unit.name for unit in units})
    records = (Result.history.filter(owners).select_related("history_user")
               .order_by("history_date", "history_id"))
    if periods is not None:
        records = records.filter(period__in=periods)
    last_seen = {}
    changes = []
    for record in records:
        key = ("i", record.indicator_id) if record.indicator_id else ("u", record.unit_project_id)
        before = last_seen.get(record.id)
        last_seen[record.id] = record
        old = _shown(before) if before is not None and record.history_type != "+" else ""
        new = "" if record.history_type == "-" else _shown(record)
        if record.history_type == "~" and old == new and before.note == record.note:
            continue  # a save that changed nothing a reader sees
        user = record.history_user
        changes.append(ResultChange(
            when=record.history_date,
            who=display_name(user) or None,
            subject=names.get(key, ""),
            period=str(Period(record.period).label),
            kind=str(KIND_LABELS[record.history_type]),
            old=old, new=new, note=record.note,
            reason=record.history_change_reason or "",
        ))
    return list(reversed(changes))


def _shown(record):
    if record.not_measured:
        return fmt.number(figures.NOT_MEASURED)
    return fmt.number(record.value if record.value is not None else record.state)
