"""
당초/변경: the targets of a report's year revised during the year, for a
short list in the PDF and a sheet of the XLSX. Kept apart from the rest of
the report (a template tag and one call from render_xlsx), so the report's
own model can change without it.

The targets come from the report's YearFigures (IndicatorFigures.is_revised,
original_target, target); only the latest revision's reason, approver and
date are read here, in one query.
"""

from dataclasses import dataclass
from datetime import date
from typing import Optional

from goals.models import TargetRevision
from goals.people import display_name


@dataclass
class RevisedTarget:
    figure: object  # selectors.IndicatorFigures
    reason: str = ""
    approved_by: str = ""
    approved_on: Optional[date] = None

    @property
    def indicator(self):
        return self.figure.indicator

    @property
    def program(self):
        return self.figure.indicator.program

    @property
    def original(self):
        return self.figure.original_target

    @property
    def revised(self):
        return self.figure.target


def revised_targets(book):
    """[RevisedTarget] of the year's indicators whose 변경 target differs from
    the 당초, in the plan's order."""
    revised = [figure for figure in book.indicators if figure.is_revised]
    if not revised:
        return []
    latest = {}
    for revision in (TargetRevision.objects
                     .filter(target__indicator__in=[figure.indicator.pk for figure in revised],
                             target__year=book.year)
                     .select_related("approved_by", "target").order_by("approved_on", "pk")):
        latest[revision.target.indicator_id] = revision
    rows = []
    for figure in revised:
        revision = latest.get(figure.indicator.pk)
        row = RevisedTarget(figure)
        if revision is not None:
            user = revision.approved_by
            row.reason = revision.reason
            row.approved_by = display_name(user)
            row.approved_on = revision.approved_on
        rows.append(row)
    return rows


# The XLSX sheet ------------------------------------------------------------------------

SHEET = "목표 변경"


def _columns():
    from django.utils.translation import gettext_lazy

    from .layout import Column, columns

    return columns(
        Column("program", gettext_lazy("주요경영목표"), width=24, wrap=True),
        Column("indicator", gettext_lazy("성과지표"), width=18, wrap=True),
        Column("original", gettext_lazy("당초 목표"), width=10),
        Column("revised", gettext_lazy("변경 목표"), width=10),
        Column("reason", gettext_lazy("변경 사유"), width=30, wrap=True),
        Column("approved_by", gettext_lazy("승인자"), width=10),
        Column("approved_on", gettext_lazy("승인일"), width=11),
    )


def write(workbook, report, writer_class, heading):
    """Add the sheet to `workbook` with reports.xlsx's SheetWriter, when a
    target of the year was revised."""
    from django.utils.translation import gettext as _

    rows = revised_targets(report.book)
    if not rows:
        return
    out = writer_class(workbook, SHEET, _columns(), heading(report, _("성과목표 변경(당초/변경)")))
    for row in rows:
        unit = row.indicator.unit
        out.put("program", row.program.name)
        out.put("indicator", row.indicator.measurement)
        out.put_figure("original", row.original, unit)
        out.put_figure("revised", row.revised, unit)
        out.put("reason", row.reason)
        out.put("approved_by", row.approved_by)
        out.put("approved_on", row.approved_on)
        out.next_row()
    out.finish()
