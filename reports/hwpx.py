"""
The annual report and the year-end results report as HWPX, the office
format of Korean public bodies.

The plan report is made with python-hwpx from the same Report as the PDF
(reports.document), chapter by chapter and table by table as
templates/reports/annual_report.html prints them: merged header cells,
figures and 천원 right-aligned, in 나눔고딕 (NanumGothic, the PDF's font)
with 함초롬돋움, which every Hancom Office has, named in its place where
나눔고딕 is not installed. Every cell's text comes from goals.formatting
through the same tags as the PDF's, so a figure reads the same in both.
The results report is made the same way from reports.results, as
templates/reports/results_report.html prints it.
"""

from collections import defaultdict
from dataclasses import dataclass

from django.utils.translation import gettext as _
from hwpx import HwpxDocument

from goals import formatting as fmt
from goals.templatetags.goal_format import baseline

from . import evaluation_chapter
from .templatetags.report_format import figure, period, term

FONT = "나눔고딕"
FALLBACK_FONT = "함초롬돋움"
# Character shapes: (size in points, bold).
CHARACTERS = {"body": (10, False), "strong": (10, True), "small": (9, False),
              "cover_year": (36, True), "cover_title": (22, True), "cover": (14, False),
              "chapter": (15, True), "section": (11, True)}
LINE = "#8A93A3"
HEADER_SHADE = "#E6EBF2"
BAND_SHADE = "#F3F5F9"


@dataclass
class Cell:
    """A cell as an HTML table has it: spans to the right and down."""

    text: str = ""
    rows: int = 1
    cols: int = 1
    head: bool = False  # a header cell: bold, centred, shaded
    number: bool = False  # a figure: right-aligned
    band: bool = False  # a category's row: bold and shaded
    bold: bool = False


def render_hwpx(report):
    """The report's HWPX file, as bytes."""
    writer = Writer()
    cover(writer, report)
    general(writer, report)
    goals(writer, report)
    main_table(writer, report)
    for section in report.sections:
        program(writer, report, section, new_page=section.has_details)
    if report.previous:
        last_year(writer, report)
    if report.quarterly:
        quarters(writer, report)
    if report.shows_execution:
        execution(writer, report)
    return writer.finish(report.title)


def render_results_hwpx(report):
    """The year-end results report (reports.results) as HWPX: the chapters
    of templates/reports/results_report.html, approved values only."""
    writer = Writer()
    cover(writer, report)
    results_summary(writer, report)
    evaluation_chapter.write_hwpx(writer, report, head, num, Cell)
    if report.shows_execution:
        execution(writer, report)
    results_programs(writer, report)
    return writer.finish(report.title)


class Writer:
    """A document written top to bottom: lines, headings and tables."""

    def __init__(self):
        self.document = HwpxDocument.new()
        styles = self.document.styles
        styles.ensure_font(FONT, subst_face=FALLBACK_FONT, subst_type="TTF")
        self.characters = {name: styles.ensure_run(font=FONT, size=size, bold=bold)
                           for name, (size, bold) in CHARACTERS.items()}
        self.borders = {shade: styles.ensure_border_fill(border_color=LINE, fill_color=shade)
                        for shade in (None, HEADER_SHADE, BAND_SHADE)}
        self.aligned = defaultdict(list)  # alignment → paragraphs
        self.page_starts = []
        self.first = True

    def line(self, text, style="body", align=None, new_page=False):
        if self.first:  # the blank document's first paragraph holds the page settings
            paragraph = self.document.paragraphs[0]
            paragraph.text = text
            paragraph.char_pr_id_ref = self.characters[style]
            self.first = False
        else:
            paragraph = self.document.add_paragraph(
                text, char_pr_id_ref=self.characters[style], inherit_style=False)
        if align:
            self.aligned[align].append(paragraph)
        if new_page:
            self.page_starts.append(paragraph)
        return paragraph

    def chapter(self, text):
        return self.line(text, "chapter", new_page=True)

    def section(self, text):
        return self.line(text, "section")

    def lines(self, narratives):
        for narrative in narratives:
            self.line(narrative_text(narrative))

    def table(self, widths, rows):
        """A table of `rows` (lists of Cells, placed as HTML places them)."""
        placed = place(rows, len(widths))
        table = self.document.add_table(len(rows), len(widths),
                                        char_pr_id_ref=self.characters["body"],
                                        border_fill_id_ref=self.borders[None])
        table.set_column_widths(widths)
        grid = [row.cells for row in table.rows]  # no merges yet: row r, column c
        for row, column, cell in placed:
            target = grid[row][column]
            target.set_text(cell.text, split_paragraphs="\n" in cell.text)
            strong = cell.head or cell.band or cell.bold
            for paragraph in target.paragraphs:
                paragraph.char_pr_id_ref = self.characters["strong" if strong else "body"]
                if cell.head:
                    self.aligned["CENTER"].append(paragraph)
                elif cell.number:
                    self.aligned["RIGHT"].append(paragraph)
            if cell.head or cell.band:  # (table.set_cell_shading, without a search per cell)
                target.element.set("borderFillIDRef",
                                   self.borders[HEADER_SHADE if cell.head else BAND_SHADE])
        heading = header_rows(rows)
        if heading:  # repeated on every page the table runs over, as in the PDF
            table.element.set("repeatHeader", "1")
            for row in grid[:heading]:
                for target in row:
                    target.element.set("header", "1")
        for row, column, cell in placed:
            if cell.rows > 1 or cell.cols > 1:
                table.merge_cells(row, column, row + cell.rows - 1, column + cell.cols - 1)
        return table

    def finish(self, title):
        document, styles = self.document, self.document.styles
        for alignment, paragraphs in self.aligned.items():
            same_shape(styles, paragraphs, alignment=alignment)
        same_shape(styles, self.page_starts, page_break_before=True)
        document.page.set_margins(left=mm(16), right=mm(16), top=mm(20), bottom=mm(18),
                                  header=mm(8), footer=mm(8))
        footer = document.page.set_page_number(prefix="- ", suffix=" -")
        for paragraph in footer.paragraphs:
            paragraph.char_pr_id_ref = self.characters["small"]
        document.page.set_visibility(hide_first_footer=True)
        return document.to_bytes()


def header_rows(rows):
    """How many rows at the top hold header cells only."""
    count = 0
    for row in rows:
        if not row or not all(cell.head for cell in row):
            break
        count += 1
    return count


def same_shape(styles, paragraphs, **shape):
    """Give `paragraphs` the paragraph shape of the first of them with `shape`:
    found once, not once a paragraph."""
    first, rest = paragraphs[0], paragraphs[1:]
    styles.apply_paragraph_format(paragraphs=[first], **shape)
    for paragraph in rest:
        paragraph.para_pr_id_ref = first.para_pr_id_ref


def place(rows, width):
    """(row, column, cell) of every cell, skipping the places that cells of
    the rows above cover, as HTML does."""
    covered = set()
    placed = []
    for row_index, row in enumerate(rows):
        column = 0
        for cell in row:
            while (row_index, column) in covered:
                column += 1
            placed.append((row_index, column, cell))
            for down in range(cell.rows):
                for right in range(cell.cols):
                    covered.add((row_index + down, column + right))
            column += cell.cols
        if column > width:
            raise ValueError(f"row {row_index} is {column} cells wide, not {width}")
    return placed


def mm(millimetres):
    return round(millimetres * 7200 / 25.4)  # HWPUNIT: 1/7200 inch


def narrative_text(narrative):
    return f"{narrative.get_level_display()} {narrative.text}"


def head(text, **spans):
    return Cell(text, head=True, **spans)


def num(text, **spans):
    return Cell(text, number=True, **spans)


# The chapters, as the PDF prints them --------------------------------------------


def cover(writer, report):
    for _blank in range(8):
        writer.line("")
    writer.line(str(report.year), "cover_year", align="CENTER")
    writer.line(report.title, "cover_title", align="CENTER")
    for _blank in range(10):
        writer.line("")
    writer.line(report.cover_date, "cover", align="CENTER")
    writer.line(report.institution.display_name, "cover_title", align="CENTER")
    if report.includes_unapproved:
        writer.line(_("제출 전 값 포함: 승인되지 않은 값에는 '미승인' 표시가 있습니다."), "cover",
                    align="CENTER")


def general(writer, report):
    institution, status, last = report.institution, report.status, report.previous_status
    writer.chapter(_("일반현황"))
    founded = ""
    if institution.founded_year:
        founded = _("%(year)s년") % {"year": institution.founded_year}
    if institution.founding_law:
        founded += f"({institution.founding_law})"
    budget = "-"
    if status and status.budget_won is not None:
        budget = _("%(eok)s억원") % {"eok": fmt.eok(status.budget_won, 1)}
        shares = fmt.shares_text(status)
        budget += f"({shares})" if shares else ""
        if last and last.budget_won is not None:
            kind = _("최종") if last.budget_is_final else _("본예산")
            last_shares = fmt.shares_text(last)
            budget += "\n* " + _("%(year)s년(%(kind)s) : %(eok)s억원") % {
                "year": last.year, "kind": kind, "eok": fmt.eok(last.budget_won, 1)} + (
                f"({last_shares})" if last_shares else "")
        if status.national_share is not None:
            budget += "\n" + _("* 괄호 안은 재원별 비중(%)")
    headcount = "-"
    if status and status.quota is not None:
        headcount = f"{status.quota}명/{status.headcount if status.headcount is not None else '-'}명"
    head_term = ""
    if status and status.head_term_start:
        head_term = term(status)
        if status.head_term_years:
            head_term += _("(%(years)s년)") % {"years": status.head_term_years}
        head_term += " "
    head_term += status.head_name if status else ""
    writer.table([17, 33, 17, 33], [
        [head(_("소재지")), Cell(institution.address or "-", cols=3)],
        [head(_("설립")), Cell(founded, cols=3)],
        [head(_("운영")), Cell(institution.ordinance or "-", cols=3)],
        [head(_("조직")), Cell((status.organization if status else "") or "-"),
         head(_("정원/현원")), Cell(headcount)],
        [head(_("%(year)s년 예산") % {"year": report.year}), Cell(budget, cols=3)],
        [head(_("기관장 임기")), Cell(head_term.strip(), cols=3)],
    ])


def goals(writer, report):
    writer.chapter(_("%(year)s 경영목표") % {"year": report.year})
    for category in report.book.categories:
        writer.section(category.category.name)
        for program in category.programs:
            headlines = ", ".join(figure(headline.figure, headline.unit, headline.label)
                                  for headline in program.headlines) or "-"
            writer.line(f"○ {program.program.name} : {headlines}")
    writer.line(report.head_title, "cover", align="CENTER")


def main_table(writer, report):
    book, year = report.book, report.year
    writer.chapter(_("%(year)s 주요경영목표") % {"year": year})
    rows = [
        [head(_("%(year)s 주요경영목표") % {"year": year}, rows=2),
         head(_("사업비\n(억 원)"), rows=2), head(_("성과지표"), cols=2),
         head(_("%(last)s 실적\n(전년도목표)") % {"last": year - 1}, rows=2),
         head(_("전년목표\n대비"), rows=2), head(_("비고"), rows=2)],
        [head(_("측정방법")), head(_("성과목표"))],
    ]
    for category, sections in report.chapters:
        rows.append([Cell(f"【{category.category.name}】", cols=7, band=True)])
        for section in sections:
            program = section.figures
            span = len(program.indicators)
            for index, indicator in enumerate(program.indicators):
                row = []
                if index == 0:
                    row += [Cell(program.program.numbered_name, rows=span),
                            num(fmt.eok(program.budget_won), rows=span)]
                # The note on the 억원 the document printed otherwise, in 비고.
                mark = (_("주%(number)s)") % {"number": section.footnote}
                        if section.footnote and index == 0 else "")
                row += [Cell(indicator.indicator.measurement),
                        num(figure(indicator.target, indicator.indicator.unit,
                                   indicator.target_note)),
                        num(baseline(indicator)),
                        num(fmt.change(indicator.change) if book.has_previous_plan
                            else _("전년 자료 없음")), Cell(mark)]
                rows.append(row)
    rows.append([Cell(_("합계"), bold=True), num(fmt.eok(book.budget_won), bold=True),
                 Cell(_("사업비 합계 %(cheon)s천원") % {"cheon": fmt.cheon(book.budget_won)},
                      cols=5, bold=True)])
    writer.table([25, 9, 18, 11, 16, 11, 10], rows)
    for line in report.budget_notes:
        writer.line(line, "small")



def program(writer, report, section, new_page=True):
    program, figures = section.program, section.figures
    writer.line(program.category.name, "small", new_page=new_page)
    writer.line(section.numbered_title, "chapter")
    if not section.has_details:  # as the PDF: one line, no page of empty headings
        writer.line(_("%(year)s년 계획에는 이 사업의 사업개요·추진실적·추진계획이 없습니다. "
                      "성과지표와 목표는 주요경영목표 표에 있습니다.") % {"year": report.year}, "small")
        return
    if program.purpose:
        writer.line(program.purpose)
    writer.section(f"□ {_('사업개요')}")
    if program.period_start:
        writer.line(f"○ {_('기간')} : {period(program)}")
    if program.target_group:
        writer.line(f"○ {section.target_label} : {program.target_group}")
    if program.budget_won is not None:
        scale = _("%(cheon)s천원") % {"cheon": fmt.cheon(program.budget_won)}
        if program.funding_source:
            scale += f" ({program.funding_source} {fmt.cheon(program.budget_won)}천원)"
        writer.line(f"○ {_('규모')} : {scale}")
    writer.line(f"○ {_('사업내용')}")
    if section.contents_labelled:
        writer.table([24, 62, 14], [[head(section.contents_label), head(_("내용")),
                                     head(_("비고"))]] + [
            [Cell(label or "-"), Cell("\n".join(narrative_text(line) for line in lines)),
             Cell("")]
            for label, lines in section.contents])
    else:
        writer.lines(figures.narratives["contents"])

    writer.section(f"□ {_('추진실적')}")
    writer.lines(figures.narratives["results"])
    if section.results:
        unit_table(writer, section.results)
    elif not figures.narratives["results"]:
        writer.line("-")

    writer.section(f"□ {_('향후 추진계획')}")
    first, last = report.plan_years[0], report.plan_years[-1]
    writer.line(f"○ {_('%(first)s~%(last)s년 추진계획') % {'first': first, 'last': last}}")
    if section.plan.rows:
        unit_table(writer, section.plan)

    writer.section(f"□ {_('%(year)s년 중점 추진계획') % {'year': report.year}}")
    writer.lines(figures.narratives["plans"])


def unit_table(writer, table):
    """A table of goals.printed: the three-year plan or last year's results."""
    groups = table.has_groups
    header = ([head(_("구분"))] if groups else []) + [head(_("단위사업명"))] + [
        head(_("%(year)s년") % {"year": year}) for year in table.years] + [head(_("비고"))]
    rows = [header]
    if table.total_cells:
        rows.append([Cell(_("계"), cols=2 if groups else 1, bold=True)] + [
            num(cell, bold=True) for cell in table.total_cells] + [Cell("")])
    for row in table.rows:
        line = []
        if groups and row.group_span:
            line.append(Cell(row.group or "-", rows=row.group_span))
        line += [Cell(row.name)] + [num(cell) for cell in row.cells] + [Cell(row.note)]
        rows.append(line)
    years = [12] * len(table.years)
    writer.table(([18, 28] if groups else [46]) + years + [14], rows)


def last_year(writer, report):
    last = report.previous
    writer.chapter(_("참고: %(year)s년 경영성과 목표 이행 실적") % {"year": last.year})
    rows = [[head(_("성과지표")), head(_("측정방법")),
             head(_("%(year)s년 성과목표") % {"year": last.year}), head(_("성과목표 이행 실적")),
             head(_("달성률"))]]
    for category in last.categories:
        rows.append([Cell(f"【{category.category.name}】", cols=5, band=True)])
        for program in category.programs:
            span = len(program.indicators)
            for index, indicator in enumerate(program.indicators):
                unit = indicator.indicator.unit
                rows.append(([Cell(program.program.numbered_name, rows=span)] if index == 0 else [])
                            + [Cell(indicator.indicator.measurement),
                               num(figure(indicator.target, unit, indicator.target_note)),
                               num(figure(indicator.result, unit, indicator.result_note)),
                               num(fmt.rate(indicator.achievement))])
    writer.table([27, 22, 17, 17, 12], rows)


def quarters(writer, report):
    book = report.book
    writer.chapter(_("%(year)s년 분기별 실적") % {"year": report.year})
    # As the PDF says it: the year so far is a sum only for counts.
    writer.line(_("%(quarter)s분기 말 기준. 진도는 그때까지의 실적(건수는 누계, 점수·비율은 최근값)의 "
                  "연간 목표 대비 비율이고, 상태는 분기별 제출·승인 상태입니다.")
                % {"quarter": book.quarter} + " " + (
                    _("승인되지 않은 값이 들어 있으며 '미승인'으로 표시했습니다.")
                    if report.includes_unapproved else _("승인된 값만 실었습니다.")), "small")
    rows = [
        [head(_("성과지표"), rows=2), head(_("성과목표"), rows=2), head(_("분기 실적"), cols=4),
         head(_("%(quarter)s분기 말 실적") % {"quarter": book.quarter}, rows=2),
         head(_("진도"), rows=2)],
        [head(_("%(quarter)s분기") % {"quarter": quarter}) for quarter in (1, 2, 3, 4)],
    ]
    for section in report.sections:
        rows.append([Cell(section.program.numbered_name, cols=2, band=True)] + [
            Cell(state.status_label, band=True) for state in section.statuses] + [
            Cell("", cols=2, band=True)])
        for indicator in section.figures.indicators:
            unit = indicator.indicator.unit
            progress = indicator.pace.progress
            pace = (f"{fmt.rate(progress)} " if progress is not None else "") + fmt.pace(
                indicator.pace.status)
            rows.append([Cell(indicator.indicator.measurement), num(figure(indicator.target, unit))]
                        + [num(marked(value, unit, indicator.is_unapproved(quarter)))
                           for quarter, value in indicator.quarters.items()]
                        + [num(marked(indicator.result, unit, indicator.result_is_unapproved)),
                           num(pace)])
    writer.table([24, 12, 10, 10, 10, 10, 11, 13], rows)


def marked(value, unit, is_unapproved):
    """A figure, with 미승인 beside it when it counts a value not approved yet
    (as the PDF's marked_figure)."""
    text = figure(value, unit)
    return f"{text} {fmt.UNAPPROVED}" if is_unapproved and value is not None else text


# The results report's chapters, as its PDF prints them -----------------------------


def results_summary(writer, report):
    year = report.year
    writer.chapter(_("%(year)s년 경영성과 이행 실적") % {"year": year})
    writer.line(report.note, "small")
    writer.line(" · ".join([f"{_('평균 달성률')} {report.average_text}"] + [
        f"{label} {count}" for label, count in report.status_counts]))
    rows = [[head(_("성과지표")), head(_("측정방법")),
             head(_("‘%(short)s년 성과목표") % {"short": str(year)[2:]}),
             head(_("성과목표 이행 실적")), head(_("달성률")), head(_("상태")),
             head(_("전년 실적") + "\n(" + _("전년도목표") + ")"), head(_("전년목표 대비"))]]
    for category, programs in report.chapters:
        rows.append([Cell(f"【{category.category.name}】", cols=8, band=True)])
        for program in programs:
            span = len(program.indicators)
            for index, result in enumerate(program.indicators):
                rows.append(([Cell(program.program.numbered_name, rows=span)] if index == 0
                             else []) + [
                    Cell(result.indicator.measurement), num(result.target_text),
                    num(result.result_text), num(result.achievement_text),
                    Cell(result.status_text), num(result.last_year_text),
                    num(result.change_text)])
    writer.table([18, 16, 11, 11, 9, 9, 14, 12], rows)


def results_programs(writer, report):
    writer.chapter(_("사업별 분기 실적"))
    for category, programs in report.chapters:
        writer.section(f"【{category.category.name}】")
        for program in programs:
            writer.line(program.printed.numbered_title, "section")
            rows = [[head(_("구분")), head(_("목표"))]
                    + [head(state.label) for state in program.printed.statuses]
                    + [head(_("실적")), head(_("달성률"))],
                    [Cell(_("제출 상태"), cols=2, band=True)]
                    + [Cell(state.status_label, band=True) for state in program.printed.statuses]
                    + [Cell("", cols=2, band=True)]]
            for result in program.indicators:
                rows.append([Cell(result.indicator.measurement), num(result.target_text)]
                            + [num(cell) for cell in result.quarter_cells]
                            + [num(result.result_text), num(result.achievement_text)])
            for name, target, result, quarters in program.unit_rows:
                rows.append([Cell(f"· {name}"), num(target)] + [num(cell) for cell in quarters]
                            + [num(result), Cell("")])
            writer.table([24, 12, 10, 10, 10, 10, 12, 12], rows)
            for result in program.indicators:
                if result.evidence:
                    writer.line(_("증빙(%(name)s)") % {"name": result.indicator.measurement}
                                + ": " + ", ".join(result.evidence), "small")


def execution(writer, report):
    """예산 집행, as templates/reports/includes/execution.html prints it."""
    book = report.book
    writer.chapter(_("%(year)s년 예산 집행") % {"year": report.year})
    writer.line(_("%(quarter)s분기 말 누계. 집행률은 사업비 대비 집행액, 달성률은 사업 성과지표 달성률의 "
                  "평균입니다.") % {"quarter": book.quarter} + " "
                + (_("승인되지 않은 값이 들어 있으며 '미승인'으로 표시했습니다.")
                   if report.includes_unapproved else _("승인된 값만 실었습니다.")), "small")
    rows = [[head(_("주요경영목표")), head(_("사업비(천원)")), head(_("집행액(천원)")),
             head(_("집행률")), head(_("달성률")), head(_("비고"))]]
    for program in book.programs:
        executed = fmt.cheon(program.executed_won)
        if program.execution_is_unapproved:
            executed += f" {fmt.UNAPPROVED}"
        rows.append([Cell(program.program.numbered_name), num(fmt.cheon(program.budget_won)),
                     num(executed), num(fmt.rate(program.execution_rate)),
                     num(fmt.rate(program.achievement)), Cell(fmt.divergence(program.divergence))])
    rows.append([Cell(_("합계"), bold=True), num(fmt.cheon(book.budget_won)),
                 num(fmt.cheon(book.executed_won)), num(fmt.rate(book.execution_rate)),
                 num(fmt.rate(book.average_achievement)), Cell("")])
    writer.table([30, 14, 14, 10, 10, 22], rows)
