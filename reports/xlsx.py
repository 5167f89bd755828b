"""
The annual report as an Excel workbook (openpyxl), from the same figures as
the PDF and the screen.

Every figure is written as a number with a number format that prints it the
way goals.formatting does (60회, 94.4점, 7.1%증, 28,517 천원, 0.29 억원), so a
cell reads like the screen and still adds up in Excel. Text is always
written as text: a note that begins with = + - @ never becomes a formula.
The sheets the import reads (reports.layout.IMPORTED) hold the whole plan.
"""

import unicodedata
from datetime import date
from decimal import Decimal
from io import BytesIO

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.properties import PageSetupProperties

from goals import figures
from goals import formatting as fmt
from goals.models import Direction, Kind, Narrative, Rollup

from . import evaluation_chapter, execution_sheet, layout, revisions

CHEON = "#,##0"
EOK = "0.00"
SHARE = "0.0"
RATE = '0"%"'
YEAR = ID = "0"
DATE = "yyyy-mm-dd"
FONT = "맑은 고딕"
MAX_WIDTH = 60


def _own_precision(value):
    """A format that shows every decimal the value has: 0.198, 0.28, 1."""
    exponent = Decimal(value).normalize().as_tuple().exponent
    return "0" + ("." + "0" * -exponent if exponent < 0 else "")


def figure_format(value, suffix=""):
    """The number format that prints `value` as fmt.number does, followed by
    `suffix`: 1,068명; 94.4점; 100%; 1건(2개소)."""
    exponent = Decimal(value).normalize().as_tuple().exponent
    places = min(-exponent, 2) if exponent < 0 else 0
    base = CHEON + ("." + "0" * places if places else "")
    suffix = suffix.replace('"', "")
    return f'{base}"{suffix}"' if suffix else base


def display_width(text):
    """Columns a text needs: a Hangul or other wide character counts as two."""
    lines = str(text).splitlines() or [""]
    return max(sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in line)
               for line in lines)


def _styles():
    thin = Side(style="thin", color="8A93A3")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    font = Font(name=FONT, size=10)
    bold = Font(name=FONT, size=10, bold=True)
    middle = Alignment(vertical="center")
    return [
        NamedStyle("report_title", font=Font(name=FONT, size=14, bold=True),
                   alignment=Alignment(vertical="center")),
        NamedStyle("report_info", font=font, alignment=middle),
        NamedStyle("report_header", font=bold, border=border,
                   fill=PatternFill("solid", fgColor="E6EBF2"),
                   alignment=Alignment(horizontal="center", vertical="center", wrap_text=True)),
        NamedStyle("report_cell", font=font, border=border, alignment=middle),
        NamedStyle("report_wrap", font=font, border=border,
                   alignment=Alignment(vertical="center", wrap_text=True)),
        NamedStyle("report_total", font=bold, border=border,
                   fill=PatternFill("solid", fgColor="F3F5F9"), alignment=middle),
    ]


class SheetWriter:
    """Writes one table: a title, merged Korean headers, rows of cells, and
    the sheet's widths, frozen headers and A4 print setup."""

    def __init__(self, workbook, name, columns, title, years=None):
        self.sheet = workbook.create_sheet(name)
        self.columns = columns
        self.index = {key: number for number, key in enumerate(columns, start=1)}
        self.widths = {key: column.width for key, column in columns.items()}
        self.row = layout.FIRST_ROW
        self.title = title
        self._headers()

    def _headers(self):
        sheet = self.sheet
        cell = sheet.cell(layout.TITLE_ROW, 1, self.title)
        cell.style = "report_title"
        sheet.row_dimensions[layout.TITLE_ROW].height = 24
        keys = list(self.columns)
        position = 0
        while position < len(keys):
            column = self.columns[keys[position]]
            number = position + 1
            if not column.group:
                self._header(layout.GROUP_ROW, number, column.header)
                self._header(layout.HEADER_ROW, number, "")
                sheet.merge_cells(start_row=layout.GROUP_ROW, start_column=number,
                                  end_row=layout.HEADER_ROW, end_column=number)
                position += 1
                continue
            span = 1
            while (position + span < len(keys)
                   and self.columns[keys[position + span]].group == column.group):
                span += 1
            for offset in range(span):
                self._header(layout.GROUP_ROW, number + offset, column.group if not offset else "")
                self._header(layout.HEADER_ROW, number + offset,
                             self.columns[keys[position + offset]].header)
            if span > 1:
                sheet.merge_cells(start_row=layout.GROUP_ROW, start_column=number,
                                  end_row=layout.GROUP_ROW, end_column=number + span - 1)
            position += span

    def _header(self, row, number, text):
        cell = self.sheet.cell(row, number)
        if text != "":
            cell.value = text if isinstance(text, int) else str(text)
            if isinstance(text, int):
                cell.number_format = YEAR
        cell.style = "report_header"

    def put(self, key, value, number_format=None, *, shown=None, style=None):
        """Write `value` in column `key` of the current row. A number keeps its
        format; text stays text, whatever it begins with."""
        column = self.columns[key]
        cell = self.sheet.cell(self.row, self.index[key])
        cell.style = style or ("report_wrap" if column.wrap else "report_cell")
        if isinstance(value, bool):
            value = layout.YES if value else ""
        if isinstance(value, (Decimal, int, float)):
            number = Decimal(value)
            cell.value = int(number) if number == number.to_integral_value() else float(number)
            cell.number_format = number_format or figure_format(number)
            shown = shown or fmt.number(number)
        elif isinstance(value, date):
            cell.value = value
            cell.number_format = DATE
            shown = "0000-00-00"
        elif value is not None and value != "":
            cell.value = str(value)
            cell.data_type = "s"  # never a formula
            shown = shown or cell.value
        if shown and not column.hidden:
            limit = MAX_WIDTH if column.wrap else MAX_WIDTH * 2
            self.widths[key] = min(max(self.widths[key], display_width(shown) + 2), limit)
        return cell

    def put_figure(self, key, value, unit="", note="", unapproved=False, **options):
        """A target or result: a number with its unit (and note) in the format,
        or a state (구축완료, 상시) as text; marked 미승인 when `unapproved`,
        the number still a number."""
        mark = f" {fmt.UNAPPROVED}" if unapproved and value is not None else ""
        if figures.is_number(value):
            suffix = (f"{unit}({note})" if note else unit) + mark
            return self.put(key, value, figure_format(value, suffix),
                            shown=fmt.quantity(value, unit, note) + mark, **options)
        return self.put(key, fmt.quantity(value, unit, note) + mark if value else None,
                        **options)

    def put_sum(self, key, first_row, last_row, number_format, style="report_total"):
        """=SUM over column `key` from `first_row` to `last_row`: a total that
        follows its cells when someone changes them."""
        letter = get_column_letter(self.index[key])
        cell = self.sheet.cell(self.row, self.index[key])
        cell.style = style
        cell.value = f"=SUM({letter}{first_row}:{letter}{last_row})"
        cell.number_format = number_format
        return cell

    def next_row(self):
        self.row += 1

    def merge_down(self, key, first_row, last_row):
        if last_row > first_row:
            number = self.index[key]
            self.sheet.merge_cells(start_row=first_row, start_column=number,
                                   end_row=last_row, end_column=number)

    def finish(self, last_printed=None, landscape=True):
        sheet = self.sheet
        visible = [key for key, column in self.columns.items() if not column.hidden]
        last_visible = self.index[visible[-1]]
        sheet.merge_cells(start_row=layout.TITLE_ROW, start_column=1,
                          end_row=layout.TITLE_ROW, end_column=min(last_visible, 8))
        for key, column in self.columns.items():
            dimension = sheet.column_dimensions[get_column_letter(self.index[key])]
            dimension.width = self.widths[key]
            dimension.hidden = column.hidden
        sheet.freeze_panes = sheet.cell(layout.FIRST_ROW, 1)
        sheet.print_title_rows = f"{layout.GROUP_ROW}:{layout.HEADER_ROW}"
        printed = self.index[last_printed] if last_printed else last_visible
        last_row = max(self.row - 1, layout.HEADER_ROW)
        sheet.print_area = f"A1:{get_column_letter(printed)}{last_row}"
        setup = sheet.page_setup
        setup.paperSize = sheet.PAPERSIZE_A4
        setup.orientation = "landscape" if landscape else "portrait"
        setup.fitToWidth = 1
        setup.fitToHeight = 0
        sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
        sheet.print_options.horizontalCentered = True
        sheet.page_margins.left = sheet.page_margins.right = 0.4
        sheet.oddFooter.center.text = "&P / &N"


def _workbook(report):
    """An empty workbook with the reports' styles, titled and signed as the report."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for style in _styles():
        workbook.add_named_style(style)
    workbook.properties.title = report.title
    workbook.properties.creator = report.institution.display_name
    return workbook


def render_xlsx(report):
    workbook = _workbook(report)
    # Totals are formulas: Excel works them out when the file opens.
    workbook.calculation.fullCalcOnLoad = True
    _summary(workbook, report)
    _general(workbook, report)
    _plan(workbook, report)
    _last_year(workbook, report)
    _last_year_units(workbook, report)
    _quarters(workbook, report)
    _budget(workbook, report)
    _overview(workbook, report)
    _headlines(workbook, report)
    _narratives(workbook, report)
    execution_sheet.write(workbook, report, SheetWriter, _heading)  # 예산 집행 (issue 15)
    revisions.write(workbook, report, SheetWriter, _heading)  # 당초/변경 (issue 15)
    _institution(workbook, report)
    output = BytesIO()
    workbook.save(output)
    return output.getvalue()


def _general(workbook, report):
    """일반현황 as the document's first page: the institution, its
    organisation, staff, the year's budget and the head's term."""
    institution, status, last = report.institution, report.status, report.previous_status
    out = SheetWriter(workbook, layout.GENERAL, layout.GENERAL_COLUMNS,
                      _heading(report, _("일반현황")))
    founded = (_("%(year)s년") % {"year": institution.founded_year}
               if institution.founded_year else "")
    if institution.founding_law:
        founded += f"({institution.founding_law})"
    rows = [(_("소재지"), institution.address), (_("설립"), founded),
            (_("운영"), institution.ordinance)]
    if status is not None:
        rows += [(_("조직"), status.organization),
                 (_("정원/현원"), f"{status.quota}명/{status.headcount}명"
                  if status.quota is not None else "")]
        if status.budget_won is not None:
            shares = fmt.shares_text(status)
            rows.append((_("%(year)s년 예산") % {"year": report.year},
                         f"{fmt.eok(status.budget_won, 1)}억원" + (f"({shares})" if shares else "")))
        if last is not None and last.budget_won is not None:
            kind = _("최종") if last.budget_is_final else _("본예산")
            shares = fmt.shares_text(last)
            rows.append((_("%(year)s년(%(kind)s) 예산") % {"year": last.year, "kind": kind},
                         f"{fmt.eok(last.budget_won, 1)}억원" + (f"({shares})" if shares else "")))
        if status.head_term_start:
            term_text = fmt.term_text(status.head_term_start, status.head_term_end)
            if status.head_term_years:
                term_text += _("(%(years)s년)") % {"years": status.head_term_years}
            rows.append((_("기관장임기"), f"{term_text} {status.head_name}".strip()))
    for item, value in rows:
        out.put("item", item)
        out.put("value", value or "-")
        out.next_row()
    out.finish(landscape=False)


def _institution(workbook, report):
    """The institution and its 일반현황 for the import (reports.importer
    read_institution): hidden and protected, not part of what prints."""
    sheet = workbook.create_sheet(layout.INSTITUTION)
    institution = report.institution
    for number, name in enumerate(layout.INSTITUTION_FIELDS, start=1):
        sheet.cell(number, 1, name)
        value = getattr(institution, name)
        cell = sheet.cell(number, 2, value if value not in (None, "") else None)
        if isinstance(value, str):
            cell.data_type = "s"
    for number, name in enumerate(layout.STATUS_FIELDS, start=1):
        sheet.cell(layout.STATUS_ROW, number, name)
    row = layout.STATUS_ROW + 1
    for status in (report.previous_status, report.status):
        if status is None:
            continue
        for number, name in enumerate(layout.STATUS_FIELDS, start=1):
            value = getattr(status, name)
            if isinstance(value, Decimal):
                value = float(value)
            cell = sheet.cell(row, number, value if value not in (None, "") else None)
            if isinstance(value, str):
                cell.data_type = "s"
            elif isinstance(value, date):
                cell.number_format = DATE
        row += 1
    sheet.sheet_state = "hidden"
    sheet.protection.sheet = True


def _last_year_units(workbook, report):
    """추진실적 tables of unit projects (수탁기관 운영 활성화 지원's 2023: 계 82회)."""
    out = SheetWriter(workbook, layout.LAST_YEAR_UNITS, layout.LAST_YEAR_UNIT_COLUMNS,
                      _heading(report, _("전년도 단위사업 실적(추진실적)")))
    for section in report.sections:
        table = section.results
        if table is None:
            continue
        name = section.program.numbered_name
        program_row = out.row
        total_row = None
        if table.totals is not None:
            total_row = out.row
            out.put("program", name)
            out.put("name", layout.TOTAL, style="report_total")
            _unit_total(out, "result", table.totals[0])
            out.put("note", "", style="report_total")
            out.next_row()
        for row in table.rows:
            out.put("program", name)
            out.put("name", row.name)
            out.put_figure("result", row.values[0], row.unit_name)
            out.put("note", row.note)
            out.next_row()
        if total_row is not None:
            _plan_sums(out, ["result"], table.totals, total_row)
        out.merge_down("program", program_row, out.row - 1)
    out.finish(landscape=False)


def _heading(report, what):
    return f"{report.year}년 {what} · {report.institution.display_name}"


def _summary(workbook, report):
    book = report.book
    out = SheetWriter(workbook, layout.SUMMARY, layout.SUMMARY_COLUMNS,
                      _heading(report, _("주요경영목표 총괄표")))
    sheet = out.sheet
    sheet.cell(layout.INFO_ROW, 1, _("연도")).style = "report_info"
    year = sheet.cell(layout.INFO_ROW, 2, report.year)
    year.style, year.number_format = "report_info", YEAR
    sheet.cell(layout.INFO_ROW, 3, _("제목")).style = "report_info"
    title = sheet.cell(layout.INFO_ROW, 4, report.plan.title or "")
    title.style, title.data_type = "report_info", "s"
    sheet.cell(layout.INFO_ROW, 5, _("보고일")).style = "report_info"
    reported = sheet.cell(layout.INFO_ROW, 6, report.plan.reported_on or "")
    reported.style, reported.data_type = "report_info", "s"
    for category in book.categories:
        category_row = out.row
        for program in category.programs:
            program_row = out.row
            for figure in program.indicators:
                indicator = figure.indicator
                out.put("category", category.category.name)
                out.put("program", program.program.numbered_name)
                out.put("budget_eok", program.budget_eok, EOK)
                out.put("measurement", indicator.measurement)
                out.put("unit", indicator.unit)
                out.put_figure("target", figure.target, indicator.unit)
                out.put("target_note", figure.target_note)
                out.put_figure("baseline_actual", figure.baseline_actual, figure.baseline_unit,
                               figure.baseline_note)
                out.put_figure("baseline_target", figure.baseline_target, figure.baseline_unit,
                               figure.baseline_note)
                _change(out, figure.change)
                out.put("kind", Kind(indicator.kind).label)
                out.put("direction", Direction(indicator.direction).label)
                out.put("rollup", Rollup(indicator.rollup).label)
                out.put("scale_max", indicator.scale_max)
                out.put("steps", ", ".join(indicator.steps or []))
                out.put("is_new", indicator.is_new)
                out.put("previous", indicator.previous.measurement if indicator.previous else "")
                out.put_figure("stated_actual", indicator.baseline_actual)
                out.put_figure("stated_target", indicator.baseline_target)
                out.put("stated_unit", indicator.baseline_unit)
                out.put("id", indicator.pk, ID)
                out.next_row()
            out.merge_down("program", program_row, out.row - 1)
            out.merge_down("budget_eok", program_row, out.row - 1)
        out.merge_down("category", category_row, out.row - 1)
    out.put("program", _("합계"), style="report_total")
    out.put_sum("budget_eok", layout.FIRST_ROW, out.row - 1, EOK)
    out.put("measurement", _("사업비 합계 %(cheon)s천원") % {"cheon": fmt.cheon(book.budget_won)},
            style="report_total")
    out.next_row()
    _validate_settings(out)
    out.finish(layout.SUMMARY_PRINTED)


def _validate_settings(out):
    """The indicator settings the import reads sit in hidden columns after
    the printed table; whoever shows them again may only pick valid values."""
    choices = {"kind": Kind.labels, "direction": Direction.labels, "rollup": Rollup.labels,
               "is_new": [layout.YES]}
    for key, labels in choices.items():
        letter = get_column_letter(out.index[key])
        validation = DataValidation(
            type="list", formula1='"' + ",".join(str(label) for label in labels) + '"',
            allow_blank=True, showErrorMessage=True, errorTitle=str(_("값 확인")),
            error=str(_("목록에 있는 값만 쓸 수 있습니다.")))
        validation.add(f"{letter}{layout.FIRST_ROW}:{letter}{max(out.row - 1, layout.FIRST_ROW)}")
        out.sheet.add_data_validation(validation)


def _change(out, change):
    """전년목표 대비: 7.1%증 is the number 7.1 printed with its word."""
    if change is not None and change.percent is not None:
        word = str(fmt.CHANGE_WORDS[change.kind])
        out.put("change", change.percent, figure_format(change.percent, "%" + word),
                shown=fmt.change(change))
    else:
        out.put("change", fmt.change(change))


def _plan(workbook, report):
    out = SheetWriter(workbook, layout.PLAN, layout.plan_columns(report.plan_years),
                      _heading(report, _("사업별 3개년 추진계획")))
    years = [f"target_{offset}" for offset in range(len(report.plan_years))]
    for category in report.book.categories:
        category_row = out.row
        sections = [section for section in report.sections
                    if section.program.category_id == category.category.pk]
        for section in sections:
            program_row = out.row
            name = section.program.numbered_name
            total_row = None
            if section.plan.totals is not None:
                total_row = out.row
                out.put("category", category.category.name)
                out.put("program", name)
                out.put("name", layout.TOTAL, style="report_total")
                out.put("group", "", style="report_total")
                out.put("unit", "", style="report_total")
                for key, total in zip(years, section.plan.totals):
                    _unit_total(out, key, total)
                out.put("note", "", style="report_total")
                out.next_row()
            groups = []
            for row in section.plan.rows:
                unit = row.unit.unit_project
                if row.group_span:
                    groups.append((out.row, out.row + row.group_span - 1))
                out.put("category", category.category.name)
                out.put("program", name)
                out.put("group", unit.group)
                out.put("name", unit.name)
                out.put("unit", unit.unit)
                for key, target in zip(years, row.values):
                    out.put_figure(key, target, unit.unit)
                out.put("note", unit.note)
                out.put("indicator", unit.indicator.measurement if unit.indicator_id else "")
                out.put("id", unit.pk, ID)
                out.next_row()
            if total_row is not None:
                _plan_sums(out, years, section.plan.totals, total_row)
            for first, last in groups:
                out.merge_down("group", first, last)
            out.merge_down("program", program_row, out.row - 1)
        out.merge_down("category", category_row, out.row - 1)
    out.finish(layout.PLAN_PRINTED)


def _plan_sums(out, years, totals, total_row):
    """A 계 of one unit and no state becomes =SUM of the rows below it; one of
    several units (135명/16회) or with a state (6회, 상시) stays its text."""
    row = out.row
    out.row = total_row
    for key, total in zip(years, totals):
        if len(total.sums) == 1 and not total.states:
            value, unit = total.sums[0]
            out.put_sum(key, total_row + 1, row - 1, figure_format(value, unit))
    out.row = row


def _unit_total(out, key, total):
    """계 of a plan year: a number where it is one unit, else its text (135명/16회)."""
    if total is None or total.is_empty():
        out.put(key, "", style="report_total")
    elif len(total.sums) == 1 and not total.states:
        value, unit = total.sums[0]
        out.put_figure(key, value, unit, style="report_total")
    else:
        out.put(key, fmt.unit_total(total), style="report_total")


def _last_year(workbook, report):
    previous = report.previous
    title = (_heading(report, _("전년도(%(year)s년) 경영성과 목표 이행 실적") % {"year": previous.year})
             if previous else _heading(report, _("전년도 실적 없음")))
    out = SheetWriter(workbook, layout.LAST_YEAR, layout.LAST_YEAR_COLUMNS, title)
    for category in previous.categories if previous else []:
        category_row = out.row
        for program in category.programs:
            program_row = out.row
            for figure in program.indicators:
                unit = figure.indicator.unit
                out.put("category", category.category.name)
                out.put("program", program.program.numbered_name)
                out.put("measurement", figure.indicator.measurement)
                out.put_figure("target", figure.target, unit, figure.target_note)
                out.put_figure("result", figure.result, unit, figure.result_note)
                out.put("achievement", figure.achievement, RATE, shown=fmt.rate(figure.achievement))
                out.next_row()
            out.merge_down("program", program_row, out.row - 1)
        out.merge_down("category", category_row, out.row - 1)
    out.finish(landscape=False)


def _quarters(workbook, report):
    book = report.book
    title = (_("분기별 실적(%(quarter)s분기 말 기준, 제출 전 값 포함: 미승인 표시)")
             if report.includes_unapproved else _("분기별 실적(%(quarter)s분기 말 기준, 승인된 값)"))
    out = SheetWriter(workbook, layout.QUARTERS, layout.QUARTER_COLUMNS,
                      _heading(report, title % {"quarter": book.quarter}))
    printed = {section.program.pk: section for section in report.sections}
    for category in book.categories:
        category_row = out.row
        for program in category.programs:
            program_row = out.row
            statuses = [out.columns[f"status_{quarter}"] for quarter in (1, 2, 3, 4)]
            labels = [state.status_label for state in printed[program.program.pk].statuses]
            for figure in program.indicators:
                unit = figure.indicator.unit
                out.put("category", category.category.name)
                out.put("program", program.program.numbered_name)
                out.put("measurement", figure.indicator.measurement)
                out.put_figure("target", figure.target, unit)
                for quarter, value in figure.quarters.items():
                    out.put_figure(f"q{quarter}", value, unit,
                                   unapproved=figure.is_unapproved(quarter))
                out.put_figure("result", figure.result, unit,
                               unapproved=figure.result_is_unapproved)
                out.put("progress", figure.pace.progress, RATE, shown=fmt.rate(figure.pace.progress))
                out.put("pace", fmt.pace(figure.pace.status))
                for column, label in zip(statuses, labels):
                    out.put(column.key, label)
                out.next_row()
            out.merge_down("program", program_row, out.row - 1)
            for column in statuses:
                out.merge_down(column.key, program_row, out.row - 1)
        out.merge_down("category", category_row, out.row - 1)
    out.finish()


def _budget(workbook, report):
    book = report.book
    out = SheetWriter(workbook, layout.BUDGET, layout.BUDGET_COLUMNS,
                      _heading(report, _("사업별 예산")))
    for category in book.categories:
        category_row = out.row
        for program in category.programs:
            out.put("category", category.category.name)
            out.put("program", program.program.name)
            out.put("budget_cheon", program.budget_cheon, CHEON,
                    shown=fmt.cheon(program.budget_won))
            out.put("budget_eok", program.budget_eok, EOK)
            out.put("funding_source", program.program.funding_source)
            # As the document printed it, to its own precision (0.198, 0.28).
            stated = program.program.stated_budget_eok
            out.put("stated_eok", stated, _own_precision(stated) if stated is not None else None)
            out.next_row()
        out.merge_down("category", category_row, out.row - 1)
    for key in layout.BUDGET_COLUMNS:
        out.put(key, "", style="report_total")
    out.put("program", _("합계"), style="report_total")
    out.put_sum("budget_cheon", layout.FIRST_ROW, out.row - 1, CHEON)
    out.put_sum("budget_eok", layout.FIRST_ROW, out.row - 1, EOK)
    out.next_row()
    _institution_budget(out, report)
    out.finish()


def _institution_budget(out, report):
    """일반현황's budget: the year's, last year's final, and the funding mix in
    percentage shares (they add up to 100, they are not 억원)."""
    sheet = out.sheet
    out.row += 1
    headers = [_("기관 예산"), _("예산(억원)"), _("국비(%)"), _("도·시군비(%)"), _("기타(%)"),
               _("구분")]
    for number, text in enumerate(headers, start=1):
        sheet.cell(out.row, number, str(text)).style = "report_header"
    out.row += 1
    for status in (report.status, report.previous_status):
        if status is None:
            continue
        budget = (figures.won_to_eok(status.budget_won, 1)
                  if status.budget_won is not None else None)
        kind = _("최종") if status.budget_is_final else _("본예산")
        cells = [(f"{status.year}년", None), (budget, SHARE), (status.national_share, SHARE),
                 (status.local_share, SHARE), (status.other_share, SHARE), (kind, None)]
        for number, (value, number_format) in enumerate(cells, start=1):
            cell = sheet.cell(out.row, number)
            cell.style = "report_cell"
            if value is None:
                continue
            if number_format:
                cell.value, cell.number_format = float(value), number_format
            else:
                cell.value, cell.data_type = str(value), "s"
        out.row += 1


def _overview(workbook, report):
    out = SheetWriter(workbook, layout.OVERVIEW, layout.OVERVIEW_COLUMNS,
                      _heading(report, _("사업개요")))
    for category in report.book.categories:
        for program_figures in category.programs:
            program = program_figures.program
            out.put("category", category.category.name)
            out.put("is_common", category.category.is_common)
            out.put("number", program.number, "0")
            out.put("program", program.name)
            out.put("purpose", program.purpose)
            out.put("period_start", program.period_start)
            out.put("period_end", program.period_end)
            out.put("target_group", program.target_group)
            out.put("owner", program.owner.get_username() if program.owner else "")
            out.put("previous", program.previous.name if program.previous else "")
            out.put("printed_title", program.printed_title)
            out.put("target_label", program.target_label)
            out.put("contents_label", program.contents_label)
            out.put("plan_total", program.plan_total)
            out.put("results_total", program.results_total)
            out.put("id", program.pk, ID)
            out.next_row()
    out.finish()


def _headlines(workbook, report):
    out = SheetWriter(workbook, layout.HEADLINES, layout.HEADLINE_COLUMNS,
                      _heading(report, _("경영목표 요약")))
    for category in report.book.categories:
        for program in category.programs:
            measurements = {figure.indicator.pk: figure.indicator.measurement
                            for figure in program.indicators}
            unit_names = {unit.unit_project.pk: unit.unit_project.name
                          for unit in program.unit_projects}
            for headline in program.headlines:
                out.put("category", category.category.name)
                out.put("program", program.program.name)
                out.put_figure("value", headline.figure)
                out.put("unit", headline.unit)
                out.put("label", headline.label)
                out.put("indicator", measurements.get(headline.indicator_id, ""))
                out.put("unit_project", unit_names.get(headline.unit_project_id, ""))
                out.next_row()
    out.finish()


def _narratives(workbook, report):
    out = SheetWriter(workbook, layout.NARRATIVES, layout.NARRATIVE_COLUMNS,
                      _heading(report, _("사업내용·추진실적·중점 추진계획")))
    for program in report.book.programs:
        for section in Narrative.Section:
            for line in program.narratives[section.value]:
                out.put("program", program.program.name)
                out.put("section", section.label)
                out.put("label", line.label)
                out.put("level", line.get_level_display())
                out.put("text", line.text)
                out.next_row()
    out.finish()


# The year-end results report (reports.results) ------------------------------------


def render_results_xlsx(report):
    """The results report as a workbook: each indicator's year, its quarters,
    the unit projects' year; approved values only."""
    workbook = _workbook(report)
    heading = f"{report.institution.display_name} {report.title} ({_('승인된 값')})"
    out = SheetWriter(workbook, layout.RESULTS, layout.RESULT_COLUMNS, heading)
    quarters = SheetWriter(workbook, layout.RESULT_QUARTERS, layout.RESULT_QUARTER_COLUMNS,
                           heading)
    units = SheetWriter(workbook, layout.RESULT_UNITS, layout.RESULT_UNIT_COLUMNS, heading)
    for category, programs in report.chapters:
        category_row, quarter_category_row = out.row, quarters.row
        for program in programs:
            program_row, quarter_program_row = out.row, quarters.row
            name = program.program.numbered_name
            for result in program.indicators:
                figure, unit = result.figure, result.unit
                for sheet in (out, quarters):
                    sheet.put("category", category.category.name)
                    sheet.put("program", name)
                    sheet.put("measurement", figure.indicator.measurement)
                    sheet.put_figure("target", figure.target, unit, figure.target_note)
                    sheet.put_figure("result", figure.result, unit, figure.result_note)
                out.put("achievement", figure.achievement, RATE, shown=result.achievement_text)
                out.put("pace", result.status_text)
                out.put("last_year", result.last_year_text)
                out.put("change", result.change_text)
                out.put("evidence", "\n".join(result.evidence))
                out.next_row()
                for quarter, value in figure.quarters.items():
                    quarters.put_figure(f"q{quarter}", value, unit)
                for state in program.printed.statuses:
                    quarters.put(f"status_{state.quarter}", state.status_label)
                quarters.next_row()
            out.merge_down("program", program_row, out.row - 1)
            quarters.merge_down("program", quarter_program_row, quarters.row - 1)
            for quarter in (1, 2, 3, 4):
                quarters.merge_down(f"status_{quarter}", quarter_program_row, quarters.row - 1)
            for unit_figure in program.figures.unit_projects:
                unit = unit_figure.unit_project.unit
                units.put("program", name)
                units.put("name", unit_figure.unit_project.name)
                units.put_figure("target", unit_figure.target, unit)
                for quarter, value in unit_figure.quarters.items():
                    units.put_figure(f"q{quarter}", value, unit)
                units.put_figure("result", unit_figure.result, unit)
                units.next_row()
        out.merge_down("category", category_row, out.row - 1)
        quarters.merge_down("category", quarter_category_row, quarters.row - 1)
    for sheet in (out, quarters, units):
        sheet.finish()
    evaluation_chapter.write_sheet(workbook, report, SheetWriter, heading)
    if report.shows_execution:
        execution_sheet.write(workbook, report, SheetWriter, _heading)  # 예산 집행 (issue 15)
    output = BytesIO()
    workbook.save(output)
    return output.getvalue()
