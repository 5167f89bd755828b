"""
The quarter's entry sheet: staff download their programs' inputs as XLSX,
fill them in offline and upload the file. The upload goes through
goals.entry like the entry page, all or nothing: every problem is listed by
row and column, and nothing is written until every row is good.

Hidden columns carry what identifies a row (the input's key) and the version
and value it had when the sheet was made, so a value changed by someone else
in between is not overwritten silently. A value typed as text goes through
goals.parsing like the entry page's ("2회", "해당 없음"); a value that looks
like a mistake is listed and saved only once the upload confirms it.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from io import BytesIO

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation


from . import access, entry, figures, uploads
from . import formatting as fmt
from .parsing import plain
from .people import display_name

SHEET_TITLE = "실적 입력"
STEPS_TITLE = "단계"  # hidden: the steps the milestones' drop-downs offer
HEADER_ROW = 2
FIRST_ROW = 3
# (header, width); the last four columns are hidden.
COLUMNS = ["사업", "성과지표", "단위사업", "단위", "연간 목표", "누계", "전분기 실적",
           "{quarter}분기 실적", "비고", "상태", "키", "버전", "읽은 값", "읽은 비고"]
WIDTHS = [34, 24, 34, 6, 12, 12, 12, 12, 40, 10, 8, 6, 10, 10]
(PROGRAM, INDICATOR, UNIT_PROJECT, UNIT, TARGET, CUMULATIVE, LAST_QUARTER, VALUE, NOTE, STATUS,
 KEY, VERSION, READ_VALUE, READ_NOTE) = range(1, len(COLUMNS) + 1)
HIDDEN = (KEY, VERSION, READ_VALUE, READ_NOTE)
IDENTITY_CELL = f"{get_column_letter(KEY)}1"  # which plan and quarter the sheet is of

INPUT_FILL = PatternFill("solid", fgColor="FFF8DC")
HEADER_FILL = PatternFill("solid", fgColor="E5E9F0")


def identity(plan, quarter):
    return f"{plan.institution.code}/{plan.year}/{quarter}"


def file_name(plan, quarter):
    return f"{plan.year}년_{quarter}분기_실적입력.xlsx"


def text_cell(sheet, row, column, text):
    """Write text as text: a note that starts with = + - @ is never a formula."""
    cell = sheet.cell(row=row, column=column, value=text)
    if isinstance(text, str):
        cell.data_type = "s"
    return cell


def build(plan, quarter, program_quarters, user):
    """The XLSX of `user`'s programs' inputs for `quarter`, as bytes."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET_TITLE
    headers = [header.format(quarter=quarter) for header in COLUMNS]
    title = _("%(institution)s %(year)s년 %(quarter)s분기 실적 입력 (%(user)s)") % {
        "institution": plan.institution.name, "year": plan.year, "quarter": quarter,
        "user": display_name(user)}
    text_cell(sheet, 1, 1, title).font = Font(bold=True, size=13)
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=STATUS)
    text_cell(sheet, 1, KEY, identity(plan, quarter))
    for column, header in enumerate(headers, start=1):
        cell = text_cell(sheet, HEADER_ROW, column, header)
        cell.font, cell.fill = Font(bold=True), HEADER_FILL
        cell.alignment = Alignment(horizontal="center", wrap_text=True)
        sheet.column_dimensions[get_column_letter(column)].width = WIDTHS[column - 1]
    for column in HIDDEN:
        sheet.column_dimensions[get_column_letter(column)].hidden = True

    row = FIRST_ROW
    choices = StepChoices(workbook, sheet)
    for program_quarter in program_quarters:
        is_open = program_quarter.is_open
        for group in program_quarter.groups:
            for line in group.lines:
                _write_line(sheet, row, program_quarter, group.figure.indicator.measurement,
                            line, is_open, choices)
                row += 1
        for line in program_quarter.loose:
            _write_line(sheet, row, program_quarter, "", line, is_open, choices)
            row += 1
    sheet.freeze_panes = sheet.cell(row=FIRST_ROW, column=UNIT_PROJECT + 1)
    # Only the inputs can be typed into; the rest keeps the rows identifiable.
    sheet.protection.sheet = True
    sheet.protection.formatColumns = False
    sheet.protection.formatRows = False
    sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    output = BytesIO()
    workbook.save(output)
    return output.getvalue()


class StepChoices:
    """The drop-down of a milestone's steps. The steps are cells of a hidden
    sheet that the list refers to: a list typed into the rule itself breaks
    on a step holding a quote or a comma, and stops at 255 characters."""

    def __init__(self, workbook, sheet):
        self.workbook = workbook
        self.sheet = sheet
        self.steps_sheet = None
        self.rules = {}

    def add(self, cell, steps):
        steps = tuple(steps)
        if steps not in self.rules:
            self.rules[steps] = self._rule(steps)
        self.rules[steps].add(cell)

    def _rule(self, steps):
        if self.steps_sheet is None:
            self.steps_sheet = self.workbook.create_sheet(STEPS_TITLE)
            self.steps_sheet.sheet_state = "hidden"
            self.steps_sheet.protection.sheet = True
        column = get_column_letter(len(self.rules) + 1)
        for row, step in enumerate(steps, start=1):
            text_cell(self.steps_sheet, row, len(self.rules) + 1, step)
        rule = DataValidation(type="list", allow_blank=True,
                              formula1=f"'{STEPS_TITLE}'!${column}$1:${column}${len(steps)}")
        self.sheet.add_data_validation(rule)
        return rule


def _write_line(sheet, row, program_quarter, indicator_name, line, is_open, choices):
    unit = line.unit
    values = {
        PROGRAM: program_quarter.program.numbered_name,
        INDICATOR: indicator_name,
        UNIT_PROJECT: "" if line.is_indicator else line.name,
        UNIT: unit,
        TARGET: fmt.quantity(line.target, unit) or fmt.EMPTY,
        CUMULATIVE: fmt.quantity(line.cumulative, unit) or fmt.EMPTY,
        LAST_QUARTER: fmt.quantity(line.last_quarter, unit) or fmt.EMPTY,
        NOTE: line.note,
        STATUS: str(program_quarter.status_label),
        KEY: line.key,
        READ_VALUE: plain(line.value),
        READ_NOTE: line.note,
    }
    for column, value in values.items():
        text_cell(sheet, row, column, value)
    sheet.cell(row=row, column=VERSION, value=line.version)
    value = line.value
    if value is figures.NOT_MEASURED:
        value = plain(value)
    value_cell = sheet.cell(row=row, column=VALUE, value=value)
    if isinstance(value, str):
        value_cell.data_type = "s"
    value_cell.number_format = "#,##0.##"
    if is_open:
        for column in (VALUE, NOTE):
            cell = sheet.cell(row=row, column=column)
            cell.protection = Protection(locked=False)
            cell.fill = INPUT_FILL
        if line.steps:
            choices.add(value_cell, line.steps)


@dataclass(frozen=True)
class SheetProblem:
    row: int  # 0: the file as a whole
    column: int  # 0: the row as a whole
    message: str

    @property
    def column_label(self):
        if not self.column:
            return ""
        return f"{get_column_letter(self.column)}열"


class _CellProblem(ValueError):
    pass


def upload(user, plan, quarter, file, program_quarters, reason="", confirm=False):
    """Save what an uploaded entry sheet says for `quarter`: (problems, number
    of values changed). Nothing is written when there is any problem; a value
    that looks like a mistake is one until the upload `confirm`s it."""
    problems = []
    budget = uploads.entry_sheet_budget()
    sheet = _open(file, plan, quarter, budget, problems)
    if sheet is None:
        return problems, 0
    try:
        batches = _read(user, sheet, program_quarters, budget, problems, confirm)
    except uploads.UploadRefused as refusal:
        return [SheetProblem(0, 0, refusal.message)], 0
    finally:
        sheet.parent.close()
    source = f"{entry.SOURCE_SHEET}({getattr(file, 'name', '')})"
    outcome = entry.save_quarters(user, quarter, batches, source=source, reason=reason,
                                  write=not problems)
    problems += [SheetProblem(warning.entry.where, VALUE, _(
        "%(message)s (값이 맞으면 '확인하고 저장'을 선택해 다시 올리세요.)") % {
            "message": warning.message}) for warning in outcome.warnings or []]
    for problem in outcome.problems:
        if isinstance(problem, entry.ProgramProblem):
            problems += [SheetProblem(each.where, VALUE, problem.message)
                         for each in problem.entries]
        else:
            column = NOTE if problem.field == "note" else VALUE
            problems.append(SheetProblem(problem.entry.where, column, problem.message))
    problems.sort(key=lambda problem: (problem.row, problem.column))
    return problems, 0 if problems else outcome.changed


def _read(user, sheet, program_quarters, budget, problems, confirm=False):
    """{program: [Entry]} of the sheet's rows; what is wrong goes to `problems`.
    With `confirm`, every value is sent as confirmed despite its warning."""
    lines = {line.key: (program_quarter, line)
             for program_quarter in program_quarters for line in program_quarter.lines}
    batches = defaultdict(list)
    seen = {}
    # Read-only, the sheet is read row by row; never past the budget's rows,
    # whatever its <dimension> claims.
    for number, row in enumerate(sheet.iter_rows(min_row=FIRST_ROW, max_row=budget.max_rows,
                                                 max_col=len(COLUMNS)), start=FIRST_ROW):
        budget.check_time()
        if not row:
            continue
        cells = {column: row[column - 1] for column in range(1, len(COLUMNS) + 1)}
        key = str(cells[KEY].value or "").strip()
        if not key and cells[VALUE].value in (None, "") and cells[NOTE].value in (None, ""):
            continue
        if key not in lines:
            problems.append(SheetProblem(number, INDICATOR, _(
                "알 수 없는 성과지표·단위사업입니다. 내려받은 시트의 행에만 입력하세요.")))
            continue
        program_quarter, _line = lines[key]
        if not access.can_enter(user, program_quarter.program):
            problems.append(SheetProblem(number, PROGRAM, _("다른 담당자의 사업입니다.")))
            continue
        if key in seen:
            problems.append(SheetProblem(number, INDICATOR, _(
                "%(row)s행과 같은 항목입니다. 한 행에만 입력하세요.") % {"row": seen[key]}))
            continue
        seen[key] = number
        try:
            value = _cell_value(cells[VALUE], number)
            note = _cell_text(cells[NOTE], number)
        except _CellProblem as problem:
            problems.append(problem.args[0])
            continue
        batches[program_quarter.program].append(entry.Entry(
            key=key, value=value, note=note, version=_version(cells[VERSION].value),
            read_value=_plain_text(cells[READ_VALUE].value),
            read_note=_plain_text(cells[READ_NOTE].value), where=number,
            confirmed=value if confirm else None))
    return batches


def _open(file, plan, quarter, budget, problems):
    """The entry sheet of `file`, read-only, once the file is within its
    budget (goals.uploads); None, with the problem, otherwise."""
    try:
        workbook = uploads.open_workbook(file, budget, read_only=True)
    except uploads.UploadRefused as refusal:
        problems.append(SheetProblem(0, 0, refusal.message))
        return None
    if SHEET_TITLE not in workbook.sheetnames:
        problems.append(SheetProblem(0, 0, _("'%(title)s' 시트가 없습니다. 이 화면에서 내려받은 "
                                             "시트를 쓰세요.") % {"title": SHEET_TITLE}))
    elif workbook[SHEET_TITLE][IDENTITY_CELL].value != identity(plan, quarter):
        problems.append(SheetProblem(0, 0, _(
            "이 파일은 %(year)s년 %(quarter)s분기의 입력 시트가 아닙니다. 이 분기의 시트를 "
            "내려받아 입력하세요.") % {"year": plan.year, "quarter": quarter}))
    else:
        return workbook[SHEET_TITLE]
    workbook.close()
    return None


def _is_formula(cell):
    return cell.data_type == "f" or (isinstance(cell.value, str) and cell.value.startswith("="))


def _cell_value(cell, row):
    """A number or a text (a state, or text entry.parse() will refuse)."""
    value = cell.value
    if _is_formula(cell):
        raise _CellProblem(SheetProblem(row, VALUE, _("수식은 넣을 수 없습니다. 값을 입력하세요.")))
    if isinstance(value, bool) or isinstance(value, (datetime, date, time)):
        raise _CellProblem(SheetProblem(row, VALUE, _("숫자를 입력하세요.")))
    if isinstance(value, float):
        return Decimal(repr(value))
    if isinstance(value, (int, Decimal)):
        return Decimal(value)
    return "" if value is None else str(value)


def _cell_text(cell, row):
    if cell.data_type == "f":
        raise _CellProblem(SheetProblem(row, NOTE, _("수식은 넣을 수 없습니다. 글로 입력하세요.")))
    return _plain_text(cell.value)


def _plain_text(value):
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value)


def _version(value):
    try:
        return max(0, int(value))
    except (TypeError, ValueError):
        return 0
