"""
A year's plan from a workbook: the report's XLSX, edited in Excel, uploaded
again to create or update the plan (its structure, targets and budgets).

The whole workbook is read and checked first; every problem is reported with
its sheet, row and column, and nothing is written unless there is none. Then
the plan is brought to what the workbook says in one transaction. Rows keep
their identity through the hidden id column, so an update changes the
program, indicator or unit project in place: its results, evidence and
history stay with it. A row without an id (typed in Excel, or from another
year's workbook) is new. Results are not imported (they are entered by
quarter, with their approvals and locks), but for last year's into a last
year that holds none, as a database made from workbooks has
(reports.import_last_year).
"""

from datetime import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from goals import uploads
from goals.evaluation import soft_targets
from goals.selectors import year_figures

from . import layout

from .import_cells import ImportFailed, ImportProblem
from .import_reading import Reader
from .import_writing import Writer


def import_workbook(file, institution, user=None):
    """Create or update `institution`'s plan of the year the workbook states.
    Raises ImportFailed with every problem found; writes nothing then."""
    # Full mode: the reader needs the merged cells, which read-only mode does
    # not keep; the budget has bounded what full mode makes of the file.
    budget = uploads.plan_workbook_budget()
    try:
        workbook = uploads.open_workbook(file, budget, data_only=True)
        named = _code_of(workbook)
        if named is not None and named != institution.code:
            raise ImportFailed([ImportProblem(layout.INSTITUTION, 1, "B", _(
                "다른 기관(%(named)s)의 워크북입니다. %(name)s의 계획은 %(name)s에서 내려받은 "
                "워크북으로만 바꿉니다.") % {"named": named, "name": institution.name})])
        reader = Reader(workbook, institution, budget).read()
    except uploads.UploadRefused as refusal:
        raise ImportFailed([ImportProblem("", None, None, refusal.message)]) from None
    try:
        with transaction.atomic():
            outcome = Writer(reader, institution, user).write()
    except (ValidationError, IntegrityError) as error:
        messages = error.messages if isinstance(error, ValidationError) else [str(error)]
        raise ImportFailed([ImportProblem("", None, None, message) for message in messages]) from None
    outcome.warnings = [f"{soft.indicator.measurement}: {soft.message}"
                        for soft in soft_targets(year_figures(institution, outcome.plan.year))]
    return outcome


# An institution from its workbook ---------------------------------------------------


def read_institution(workbook):
    """The institution and its 일반현황 by year that the workbook's hidden
    sheet holds: (fields, [status fields]), or ImportFailed."""
    if layout.INSTITUTION not in workbook.sheetnames:
        raise ImportFailed([ImportProblem(layout.INSTITUTION, None, None, _(
            "기관 정보 시트가 없어 기관을 만들 수 없습니다. 이 화면에서 내려받은 워크북을 쓰세요."))])
    sheet = workbook[layout.INSTITUTION]
    problems = []
    fields = {}
    for number, name in enumerate(layout.INSTITUTION_FIELDS, start=1):
        if sheet.cell(number, 1).value != name:
            problems.append(ImportProblem(layout.INSTITUTION, number, "A", _("%(name)s 칸이 있어야 합니다.")
                                    % {"name": name}))
            continue
        value = sheet.cell(number, 2).value
        fields[name] = "" if value is None and name != "founded_year" else value
    statuses = []
    row = layout.STATUS_ROW + 1
    while sheet.cell(row, 1).value is not None:
        status = {}
        for number, name in enumerate(layout.STATUS_FIELDS, start=1):
            value = sheet.cell(row, number).value
            if isinstance(value, datetime):
                value = value.date()
            if name.endswith("_share") and value is not None:
                value = Decimal(str(value))
            if value is None and name in ("organization", "head_name"):
                value = ""
            status[name] = value if value is not None or name != "budget_is_final" else False
        statuses.append((row, status))
        row += 1
    if problems:
        raise ImportFailed(problems)
    return fields, statuses


def create_institution(file, institution=None):
    """The institution of the workbook `file` made from its hidden sheet (for
    a database that does not have it yet), or `institution`; with each year
    of 일반현황 the sheet has and the database not. Raises ImportFailed with
    where and why when the sheet does not fit."""
    from goals.models import GeneralStatus, Institution

    budget = uploads.plan_workbook_budget()
    try:
        workbook = uploads.open_workbook(file, budget, data_only=True)
    except uploads.UploadRefused as refusal:
        raise ImportFailed([ImportProblem("", None, None, refusal.message)]) from None
    fields, statuses = read_institution(workbook)
    if institution is None:
        institution = Institution(**fields)
        try:
            institution.full_clean()
        except ValidationError as error:
            raise ImportFailed([
                ImportProblem(layout.INSTITUTION, layout.INSTITUTION_FIELDS.index(name) + 1, "B",
                        message) for name, messages in error.message_dict.items()
                for message in messages]) from None
        institution.save()
    known = set(institution.statuses.values_list("year", flat=True))
    for row, status_fields in statuses:
        if status_fields["year"] in known:
            continue
        status = GeneralStatus(institution=institution, **status_fields)
        try:
            status.full_clean()
        except ValidationError as error:
            raise ImportFailed([ImportProblem(layout.INSTITUTION, row, None, message)
                                for message in error.messages]) from None
        status.save()
    return institution


def workbook_code(file):
    """The institution code the workbook's hidden sheet names, or None."""
    budget = uploads.plan_workbook_budget()
    try:
        workbook = uploads.open_workbook(file, budget, data_only=True)
    except uploads.UploadRefused:
        return None
    return _code_of(workbook)


def _code_of(workbook):
    if layout.INSTITUTION not in workbook.sheetnames:
        return None
    sheet = workbook[layout.INSTITUTION]
    return sheet.cell(1, 2).value if sheet.cell(1, 1).value == "code" else None
