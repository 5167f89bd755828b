"""
Exports of a year's report, cached until the data behind them changes.

Every change to the goal book leaves a row in a history table (simple-history,
through every path), so the latest history row of each table says whether
anything a report shows has changed since it was made. An export is kept
under its plan, format, options, day and that fingerprint.
"""

import hashlib
from datetime import date

from django.core.cache import cache
from django.db.models import Max
from django.utils.translation import get_language

from goals.models import (Category, GeneralStatus, HeadlineTarget, Indicator, Institution,
                          Narrative, Plan, Program, Result, Submission, Target, UnitProject)
from goals.selectors import APPROVED_ONLY

from .document import gather
from .pdf import render_pdf
from .xlsx import render_xlsx

RENDERERS = {"pdf": render_pdf, "xlsx": render_xlsx}
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
HISTORIES = (Institution, GeneralStatus, Plan, Category, Program, Indicator, UnitProject,
             Target, Result, Submission, Narrative, HeadlineTarget)
KEEP_SECONDS = 24 * 60 * 60


def fingerprint():
    """Changes whenever any row of the goal book changes."""
    latest = [str(model.history.aggregate(latest=Max("history_id"))["latest"])
              for model in HISTORIES]
    return hashlib.sha256(":".join(latest).encode()).hexdigest()[:20]


def export(plan, kind, *, quarterly=False, today=None, quarter=None, shown=APPROVED_ONLY):
    """The bytes of `plan`'s report as `kind` ("pdf" or "xlsx"), read at
    `quarter` with the values `shown` allows, from the cache when nothing has
    changed since it was made today."""
    today = today or date.today()
    quarterly = quarterly and kind == "pdf"  # the workbook always has its quarters sheet
    key = ":".join(["report", str(plan.pk), kind, "q" if quarterly else "-", today.isoformat(),
                    get_language() or "", str(quarter or "-"), repr(shown), fingerprint()])
    data = cache.get(key)
    if data is None:
        report = gather(plan.institution, plan.year, quarterly=quarterly, made_on=today,
                        quarter=quarter, shown=shown)
        data = RENDERERS[kind](report)
        cache.set(key, data, KEEP_SECONDS)
    return data


def filename(plan, kind, quarterly=False):
    suffix = "_분기별실적" if quarterly and kind == "pdf" else ""
    return f"{plan.institution.code}_{plan.year}_경영성과목표{suffix}.{kind}"
