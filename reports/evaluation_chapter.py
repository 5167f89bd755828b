"""
The expected evaluation (경영평가 예상) as a chapter of the year-end results
report: under each of the year's evaluation schemes, per indicator its
method, 배점, target, 최고/최저목표, result, year-end forecast, 평점 and 득점;
per category and in total the 득점; the grade.

Every number comes from goals.evaluation over the report's own figures
(approved values only), so the report says what the evaluation page says.
The rows are made once, as text, and the PDF
(templates/reports/includes/evaluation.html), the XLSX sheet and the HWPX
chapter print the same rows. A year without a scheme has no chapter.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from goals import formatting as fmt
from goals.evaluation import evaluate, histories, schemes_of

from .layout import Column, columns

SHEET = "경영평가 예상"

COLUMNS = columns(
    Column("scheme", gettext_lazy("평가 체계"), width=16, wrap=True),
    Column("category", gettext_lazy("전략 분야"), width=14, wrap=True),
    Column("measurement", gettext_lazy("성과지표"), width=20, wrap=True),
    Column("method", gettext_lazy("평가 방법"), width=14, wrap=True),
    Column("weight", gettext_lazy("배점"), width=7),
    Column("target", gettext_lazy("목표"), width=10),
    Column("bounds", gettext_lazy("최고 / 최저목표"), width=16),
    Column("result", gettext_lazy("실적"), width=10),
    Column("forecast", gettext_lazy("연말 예상"), width=10),
    Column("score", gettext_lazy("평점"), width=8),
    Column("points", gettext_lazy("득점"), width=8),
    Column("note", gettext_lazy("비고"), width=28, wrap=True),
)
# The columns of a scheme's own table (the PDF's, the HWPX's).
TABLE = list(COLUMNS)[2:]


@dataclass
class Row:
    """One line of a scheme's table, as printed: an indicator, or a
    category's or the scheme's total (`total` set)."""

    category: str
    measurement: str
    method: str = ""
    weight: str = ""
    target: str = ""
    bounds: str = ""
    result: str = ""
    forecast: str = ""
    score: str = ""
    points: str = ""
    note: str = ""
    total: bool = False
    band: bool = False  # the category's heading: its name alone
    numbers: dict = field(default_factory=dict)  # 배점, 평점, 득점 as numbers, for the XLSX

    @property
    def cells(self):
        """The row's texts in the order of TABLE: the indicator on."""
        return [getattr(self, key) for key in TABLE]


@dataclass
class SchemeChapter:
    evaluation: object  # goals.evaluation.Evaluation

    @property
    def scheme(self):
        return self.evaluation.scheme

    @property
    def title(self):
        return str(self.scheme)

    @property
    def places(self):
        return self.scheme.places

    @property
    def summary(self):
        """The total and grade in one sentence."""
        result, places = self.evaluation, self.places
        words = {"total": fmt.score(result.total, places), "grade": result.grade or fmt.EMPTY,
                 "weight": fmt.score(result.weight, places),
                 "bonus": fmt.score(result.bonus, places),
                 "penalty": fmt.score(result.penalty, places)}
        sentence = _("연말 예상 총점 %(total)s점, 등급 %(grade)s (배점 합계 %(weight)s점, 가점 "
                     "%(bonus)s점, 감점 %(penalty)s점).") % words
        if result.total is not None and result.unscored:
            sentence += " " + _("실적이 없는 지표 %(count)s개(배점 %(weight)s점)는 0점으로 셌습니다.") % {
                "count": len(result.unscored),
                "weight": fmt.score(result.unscored_weight, places)}
        return sentence

    @property
    def bands(self):
        bands = self.evaluation.bands
        return " · ".join(
            f"{band.label} {_('그 미만')}" if index == len(bands) - 1
            else f"{band.label} ≥ {fmt.number(band.lower_bound)}"
            for index, band in enumerate(bands))

    @property
    def notes(self):
        """What the reader must know before trusting the figures."""
        notes = []
        if self.scheme.is_example:
            notes.append(_("예시 평가 체계입니다. 배점, 평가 방법과 그 값, 등급 구간은 그해 "
                           "평가편람으로 확인해야 합니다."))
        if self.evaluation.problems:
            notes.append(_("이 평가 체계로는 등급을 낼 수 없습니다: %(problems)s")
                         % {"problems": " ".join(self.evaluation.problems)})
        return notes

    @property
    def rows(self):
        places = self.places
        rows = []
        for category in self.evaluation.categories:
            name = category.category.name
            evaluated = category.evaluated
            if not evaluated:
                continue
            rows.append(Row(name, f"【{name}】", band=True))
            for row in evaluated:
                unit = row.indicator.unit
                target = fmt.quantity(row.target, unit) or fmt.EMPTY
                if row.figure.is_revised:
                    target += " " + _("(당초 %(original)s)") % {
                        "original": fmt.quantity(row.figure.original_target, unit) or fmt.EMPTY}
                method = row.item.get_method_display()
                if row.expected.method != row.item.method:
                    method += " → " + _("목표대비실적")
                bounds = row.bounds
                rows.append(Row(
                    name, row.indicator.measurement, method, fmt.score(row.weight, places),
                    target,
                    (f"{fmt.level(bounds.best, unit)} / {fmt.level(bounds.worst, unit)}"
                     if bounds else fmt.EMPTY),
                    fmt.quantity(row.figure.result, unit) or fmt.EMPTY,
                    fmt.quantity(row.forecast.value if row.forecast else None, unit)
                    or fmt.EMPTY,
                    fmt.score(row.score, places), fmt.score(row.points, places), row.note,
                    numbers={"weight": row.weight, "score": row.score, "points": row.points}))
            rows.append(Row(name, _("%(name)s 계") % {"name": name},
                            weight=fmt.score(category.weight, places),
                            points=fmt.score(category.points, places), total=True,
                            numbers={"weight": category.weight, "points": category.points}))
        result = self.evaluation
        rows.append(Row("", _("합계"), weight=fmt.score(result.weight, places),
                        points=fmt.score(result.total, places),
                        note=_("등급 %(grade)s") % {"grade": result.grade or fmt.EMPTY},
                        total=True, numbers={"weight": result.weight, "points": result.total}))
        return rows


def chapters(book):
    """A SchemeChapter per scheme of the year of `book` (the report's
    YearFigures), by name; none when the year has no scheme."""
    schemes = schemes_of(book.institution, book.year)
    if not schemes:
        return []
    past = histories(book)
    return [SchemeChapter(evaluate(book, scheme, schemes, past=past)) for scheme in schemes]


def note(report):
    return _("%(quarter)s분기 말까지 승인된 실적으로 낸 값입니다. 평점은 연말 예상 실적(끝난 해는 그해 "
             "실적)으로 내고, 득점 = 배점 × 평점 ÷ 100, 총점 = 득점의 합 + 가점 − 감점입니다. 계산은 "
             "평가편람 방법의 공개된 설명을 따르며, 평가 체계의 값은 그해 편람으로 정해야 합니다.") % {
        "quarter": report.book.quarter}


def write_sheet(workbook, report, writer_class, heading):
    """The chapter as one sheet of the results workbook (reports.xlsx's
    SheetWriter), every scheme's rows one under another."""
    if not report.evaluations:
        return
    out = writer_class(workbook, SHEET, COLUMNS, heading)
    for chapter in report.evaluations:
        number_format = "0." + "0" * chapter.places if chapter.places else "0"
        for row in chapter.rows:
            if row.band:  # the category is a column of its own here
                continue
            style = "report_total" if row.total else None
            out.put("scheme", chapter.title, style=style)
            out.put("category", row.category, style=style)
            for key, text in zip(TABLE, row.cells):
                number = row.numbers.get(key)
                if number is None:
                    out.put(key, text, style=style)
                else:
                    out.put(key, number, number_format, shown=text, style=style)
            out.next_row()
    out.finish()


def write_hwpx(writer, report, head, num, cell_class):
    """The chapter in the HWPX (reports.hwpx's Writer and cells)."""
    if not report.evaluations:
        return
    writer.chapter(_("%(year)s년 경영평가 예상") % {"year": report.year})
    writer.line(note(report), "small")
    for chapter in report.evaluations:
        writer.section(chapter.title)
        for text in chapter.notes:
            writer.line(text, "small")
        writer.line(chapter.summary)
        writer.line(_("등급 구간") + ": " + chapter.bands, "small")
        rows = [[head(str(COLUMNS[key].header)) for key in TABLE]]
        for row in chapter.rows:
            if row.band:
                rows.append([cell_class(row.measurement, cols=len(TABLE), band=True)])
                continue
            cells = row.cells
            rows.append([cell_class(cells[0], bold=row.total), cell_class(cells[1])]
                        + [num(text) for text in cells[2:9]] + [cell_class(cells[9])])
        writer.table([16, 12, 6, 9, 13, 8, 8, 7, 7, 14], rows)
