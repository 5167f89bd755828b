"""
Reports made in the background, kept until the data behind them changes.

A user asks for a report (request_export). The institution, year, report,
format and options, with the language and the institution's data version
(goals.versions), make the export's key. If an export of that key is waiting,
running or ready, the request joins it; otherwise a new export is queued and
a task (reports.tasks.render_export) makes it in a worker process, which says
which page it is laying out, stores the whole file in the media store and
only then marks the export ready. A failure is recorded with its reason in
Korean and leaves no file behind.

A worker that dies mid-render stops giving signs of life: after
EXPORT_STALE_SECONDS its export is queued again, and after a second death it
fails. Finished exports of data that has changed since are deleted with
their files once EXPORT_OBSOLETE_MINUTES have passed (the person who asked
has had the file by then: at the end of a quarter a colleague saves every
few seconds, and a report finished a moment ago must still be there when its
page fetches it), and every finished export after EXPORT_KEEP_DAYS
(clean_up, and the cleanup_exports command).
"""

import json
import logging
import threading
import uuid
from contextlib import contextmanager
from dataclasses import asdict, dataclass, replace
from datetime import timedelta
from typing import Optional
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from goals import versions
from goals.models import Plan
from goals.selectors import APPROVED_ONLY, EVERYTHING

from .document import gather
from .hwpx import render_hwpx, render_results_hwpx
from .models import Export
from .pdf import render_pdf, render_results_pdf
from .results import gather_results
from .xlsx import render_results_xlsx, render_xlsx

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 2  # a render whose worker died is tried once more
FOLDER = "exports"


@dataclass(frozen=True)
class ExportOptions:
    """What a user chooses about a report besides its format. Every field is
    part of the export's key, so one more option is one more field here."""

    quarterly: bool = False  # the quarters entered so far, with their status
    quarter: Optional[int] = None  # the basis quarter; None: the year's default
    unapproved: bool = False  # values not approved yet too, marked 미승인 (goals.access decides)

    @property
    def shown(self):
        return EVERYTHING if self.unapproved else APPROVED_ONLY

    def key(self):
        return json.dumps(asdict(self), sort_keys=True, separators=(",", ":"))

    @classmethod
    def from_key(cls, key):
        return cls(**json.loads(key))

    def for_format(self, format):
        """The options as they apply to `format`: the workbook always has its
        quarters sheet."""
        return replace(self, quarterly=self.quarterly and format != "xlsx")


@dataclass(frozen=True)
class Format:
    render: Callable
    content_type: str
    label: str


FORMATS = {
    "pdf": Format(render_pdf, "application/pdf", "PDF"),
    "xlsx": Format(render_xlsx,
                   "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "XLSX"),
    "hwpx": Format(render_hwpx, "application/hwp+zip", "HWPX"),
}
# The reports there are, each gathered by one function from the selector's figures.
REPORTS = {"plan": gather, "results": gather_results}
REPORT_NAMES = {"plan": gettext_lazy("경영성과목표"), "results": gettext_lazy("경영성과실적")}
# A report rendered otherwise than by its format's renderer (the plan's), and
# the formats each report comes in.
RENDERERS = {("results", "pdf"): render_results_pdf, ("results", "xlsx"): render_results_xlsx,
             ("results", "hwpx"): render_results_hwpx}
REPORT_FORMATS = {"plan": ("pdf", "xlsx", "hwpx"), "results": ("pdf", "xlsx", "hwpx")}


class ExportRefused(Exception):
    """A request for a report that cannot be made; the message says why."""

    def __init__(self, message, status=400):
        super().__init__(message)
        self.message = message
        self.status = status


def render(institution, year, report="plan", format="pdf", options=ExportOptions(),
           made_on=None):
    """The bytes of a report, made now. Raises Plan.DoesNotExist when the
    year has no plan."""
    gathered = REPORTS[report](institution, year, quarterly=options.quarterly, made_on=made_on,
                               quarter=options.quarter, shown=options.shown)
    return RENDERERS.get((report, format), FORMATS[format].render)(gathered)


def filename(export):
    options = ExportOptions.from_key(export.options)
    suffix = "_분기별실적" if options.quarterly else ""
    if options.quarter:
        suffix += f"_{options.quarter}분기기준"
    if options.unapproved:
        suffix += "_미승인포함"
    return (f"{export.institution.code}_{export.year}_{REPORT_NAMES[export.report]}{suffix}"
            f".{export.format}")


# Asking ------------------------------------------------------------------------


def request_export(user, institution, year, report="plan", format="pdf",
                   options=ExportOptions()):
    """The export of that report: the one already waiting, running or ready
    for the same data, or a new one queued. Returns (export, joined)."""
    if format not in FORMATS:
        raise ExportRefused(_("알 수 없는 형식입니다: %(format)s") % {"format": format})
    if report not in REPORTS:
        raise ExportRefused(_("알 수 없는 보고서입니다: %(report)s") % {"report": report})
    if format not in REPORT_FORMATS[report]:
        raise ExportRefused(_("%(report)s 보고서는 %(formats)s 형식으로만 만듭니다.") % {
            "report": REPORT_NAMES[report],
            "formats": ", ".join(FORMATS[name].label for name in REPORT_FORMATS[report])})
    if not Plan.objects.filter(institution=institution, year=year).exists():
        raise ExportRefused(_("%(year)s년 계획이 없어 보고서를 만들 수 없습니다.") % {"year": year},
                            status=404)
    expire_stale()
    key = {"institution": institution, "year": year, "report": report, "format": format,
           "options": options.for_format(format).key(),
           "language": translation.get_language() or settings.LANGUAGE_CODE,
           "data_version": versions.current(institution)}
    with transaction.atomic():
        existing = _live(key)
        if existing is not None:
            return existing, True
        # Two requests of one user at once count each other.
        get_user_model().objects.select_for_update().filter(pk=user.pk).first()
        if (Export.objects.filter(requested_by=user, status__in=Export.UNFINISHED).count()
                >= settings.EXPORTS_PER_USER):
            raise ExportRefused(_("보고서는 한 사람이 한 번에 %(count)s개까지 만들 수 있습니다. 먼저 요청한 "
                                  "보고서가 끝나면 다시 요청하세요.")
                                % {"count": settings.EXPORTS_PER_USER}, status=429)
        try:
            with transaction.atomic():
                export = Export.objects.create(**key, requested_by=user,
                                               heartbeat_at=timezone.now())
        except IntegrityError:  # the same request, a moment earlier
            return Export.objects.get(**key, status__in=Export.LIVE), True
        _enqueue(export)
    export.refresh_from_db()  # a backend that runs tasks at once has made it already
    return export, False


def _live(key):
    """The export of `key` that is waiting, running or ready, if any; a ready
    one whose file has gone is forgotten."""
    export = Export.objects.filter(**key, status__in=Export.LIVE).first()
    if export is not None and export.status == Export.Status.READY and \
            not export.file.storage.exists(export.file.name):
        export.delete()
        return None
    return export


def _enqueue(export):
    from .tasks import render_export

    render_export.enqueue(export.pk, export.attempts + 1)


# What the page shows ---------------------------------------------------------


def message(export):
    """Where an export stands, in a sentence for the page."""
    if export.status == Export.Status.QUEUED:
        ahead = Export.objects.filter(status__in=Export.UNFINISHED,
                                      requested_at__lt=export.requested_at).count()
        if ahead:
            return _("차례를 기다리는 중입니다(앞에 %(count)s건).") % {"count": ahead}
        return _("차례를 기다리는 중입니다.")
    if export.status == Export.Status.RUNNING:
        if export.page:
            return _("보고서를 만드는 중입니다: %(page)s쪽째") % {"page": export.page}
        return _("보고서를 만드는 중입니다.")
    if export.status == Export.Status.READY:
        return _("보고서가 준비되었습니다.")
    return export.failure


def refreshed(export):
    """The export as it stands now, after dead workers' exports were dealt with."""
    expire_stale()
    export.refresh_from_db()
    return export


# Making (in the worker) -----------------------------------------------------------


def run(export_id, attempt):
    """Make the export's file: the body of the task. Does nothing unless the
    export is waiting for exactly this attempt."""
    now = timezone.now()
    claimed = Export.objects.filter(pk=export_id, status=Export.Status.QUEUED,
                                    attempts=attempt - 1).update(
        status=Export.Status.RUNNING, attempts=attempt, started_at=now, heartbeat_at=now,
        page=None)
    if not claimed:
        return
    export = Export.objects.select_related("institution").get(pk=export_id)
    with translation.override(export.language):
        try:
            with _reporting_pages(export_id, attempt):
                data = render(export.institution, export.year, export.report, export.format,
                              ExportOptions.from_key(export.options))
        except Plan.DoesNotExist:
            _fail(export_id, attempt, _("%(year)s년 계획이 없어 보고서를 만들 수 없습니다.")
                  % {"year": export.year})
            return
        except Exception:
            logger.exception("Export %s failed", export_id)
            _fail(export_id, attempt, _("보고서를 만들지 못했습니다. 잠시 뒤 다시 요청하고, 또 실패하면 "
                                        "관리자에게 알려 주세요."))
            return
    _store(export, attempt, data)


def _store(export, attempt, data):
    """Keep the file, then say it is ready: a file is offered only whole."""
    storage = export.file.storage
    name = storage.save(f"{FOLDER}/{export.institution.code}/{export.pk}-{uuid.uuid4().hex}"
                        f".{export.format}", ContentFile(data))
    ready = Export.objects.filter(pk=export.pk, status=Export.Status.RUNNING,
                                  attempts=attempt).update(
        status=Export.Status.READY, file=name, size=len(data), page=None,
        finished_at=timezone.now())
    if not ready:  # given up on meanwhile (its worker seemed dead): not ours to offer
        storage.delete(name)
        return
    _delete_obsolete(export.institution_id, made=export.pk)


def _fail(export_id, attempt, reason):
    Export.objects.filter(pk=export_id, status=Export.Status.RUNNING, attempts=attempt).update(
        status=Export.Status.FAILED, failure=reason, page=None, finished_at=timezone.now())


def _alive(export_id, attempt, page=None):
    Export.objects.filter(pk=export_id, status=Export.Status.RUNNING, attempts=attempt).update(
        page=page, heartbeat_at=timezone.now())


# WeasyPrint says which page it lays out on this logger, at INFO; its
# messages go to the export being made and nowhere else.
PROGRESS = logging.getLogger("weasyprint.progress")
PROGRESS.setLevel(logging.INFO)
PROGRESS.propagate = False


class _PageProgress(logging.Handler):
    def __init__(self, export_id, attempt):
        super().__init__(logging.INFO)
        self.export_id, self.attempt = export_id, attempt
        self.thread = threading.get_ident()

    def emit(self, record):
        if record.thread == self.thread and str(record.msg).startswith(
                "Step 5 - Creating layout - Page") and record.args:
            _alive(self.export_id, self.attempt, page=record.args[0])


@contextmanager
def _reporting_pages(export_id, attempt):
    handler = _PageProgress(export_id, attempt)
    PROGRESS.addHandler(handler)
    try:
        yield
    finally:
        PROGRESS.removeHandler(handler)


# Workers that died, and old files ------------------------------------------------


def expire_stale(now=None):
    """Exports whose worker stopped giving signs of life are queued again, or
    failed after MAX_ATTEMPTS; exports no worker took up in time fail."""
    now = now or timezone.now()
    stale = Export.objects.filter(
        status=Export.Status.RUNNING,
        heartbeat_at__lt=now - timedelta(seconds=settings.EXPORT_STALE_SECONDS))
    for export in stale:
        if export.attempts >= MAX_ATTEMPTS:
            _fail(export.pk, export.attempts, _("보고서를 만들던 작업자가 멈췄습니다. 잠시 뒤 다시 "
                                                "요청하세요."))
            continue
        with transaction.atomic():
            requeued = Export.objects.filter(
                pk=export.pk, status=Export.Status.RUNNING, attempts=export.attempts).update(
                status=Export.Status.QUEUED, page=None, heartbeat_at=now)
            if requeued:
                _enqueue(export)
    Export.objects.filter(
        status=Export.Status.QUEUED,
        heartbeat_at__lt=now - timedelta(seconds=settings.EXPORT_QUEUE_SECONDS)).update(
        status=Export.Status.FAILED, finished_at=now,
        failure=_("보고서를 만들 작업자가 응답하지 않습니다. 관리자에게 알려 주세요."))


def _delete_obsolete(institution_id, made=None, now=None):
    """Finished exports of the institution's data as it was before its last
    change, once their askers have had them (EXPORT_OBSOLETE_MINUTES), but
    the one just `made`."""
    token = versions.current(institution_id)
    for export in _obsolete(now).filter(institution_id=institution_id).exclude(
            data_version=token).exclude(pk=made):
        export.delete()


def _obsolete(now=None):
    """Finished exports that their askers have had time to fetch."""
    now = now or timezone.now()
    return Export.objects.filter(
        status__in=(Export.Status.READY, Export.Status.FAILED),
        finished_at__lt=now - timedelta(minutes=settings.EXPORT_OBSOLETE_MINUTES))


def clean_up(now=None):
    """Delete the exports of data that has changed since (once fetched, see
    _obsolete), those finished more than EXPORT_KEEP_DAYS ago, and files no
    export names. Returns how many exports and files went."""
    now = now or timezone.now()
    expire_stale(now)
    finished = Export.objects.filter(status__in=(Export.Status.READY, Export.Status.FAILED))
    gone = list(finished.filter(finished_at__lt=now - timedelta(days=settings.EXPORT_KEEP_DAYS)))
    gone += _obsolete(now).exclude(data_version=F("institution__data_version__token")).exclude(
        pk__in=[export.pk for export in gone])
    for export in gone:
        export.delete()
    return len(gone), _delete_orphans(now)


def _delete_orphans(now):
    """Files in the export folder that no export names: left by a worker that
    died while saving. A file younger than a stale render may still become
    one's, and stays."""
    storage = Export._meta.get_field("file").storage
    if not storage.exists(FOLDER):
        return 0
    named = set(Export.objects.exclude(file="").values_list("file", flat=True))
    deleted = 0
    folders, _files = storage.listdir(FOLDER)
    for folder in folders:
        for name in storage.listdir(f"{FOLDER}/{folder}")[1]:
            path = f"{FOLDER}/{folder}/{name}"
            old = storage.get_modified_time(path) < now - timedelta(
                seconds=settings.EXPORT_STALE_SECONDS)
            if path not in named and old:
                storage.delete(path)
                deleted += 1
    return deleted
