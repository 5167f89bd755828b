"""
The workbook's 예산 집행 sheet: per program its budget, the amount executed
each quarter up to the report's basis, the year so far, 집행률 beside the
program's mean achievement, and the flag where they diverge strongly.

Kept apart from reports.xlsx (one call from render_xlsx) so that the
workbook's other sheets can change without it. Every figure comes from the
report's YearFigures (goals.selectors), the amounts counted as the report
counts results: approved ones unless the report includes unapproved values.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from goals import figures
from goals import formatting as fmt

from .layout import Column, columns, per_quarter

NAME = "예산 집행"
WON = "#,##0"
RATE = '0"%"'

COLUMNS = columns(
    Column("category", gettext_lazy("전략 분야"), width=14, wrap=True),
    Column("program", gettext_lazy("사업명"), width=28, wrap=True),
    Column("budget_won", gettext_lazy("사업비(원)"), width=14),
    *per_quarter("executed_", gettext_lazy("분기별 집행액(원)"), width=13),
    Column("executed_won", gettext_lazy("누계 집행액(원)"), width=14),
    Column("execution_rate", gettext_lazy("집행률"), width=8),
    Column("achievement", gettext_lazy("평균 달성률"), width=9),
    Column("divergence", gettext_lazy("집행·성과 괴리"), width=18, wrap=True),
)


def write(workbook, report, writer_class, heading):
    """Add the sheet to `workbook` with reports.xlsx's SheetWriter."""
    book = report.book
    out = writer_class(workbook, NAME, COLUMNS, heading(report, _("예산 집행")))
    for category in book.categories:
        for program in category.programs:
            _row(out, category.category.name, program.program.name, program)
            for line in program.execution_lines:
                if line.amount_won is not None:
                    mark = f" {fmt.UNAPPROVED}" if line.unapproved else ""
                    out.put(f"executed_{line.quarter}", line.amount_won,
                            f'{WON}"{mark}"' if mark else WON,
                            shown=fmt.won(line.amount_won) + mark)
            out.next_row()
    _row(out, "", _("합계"), book, style="report_total")
    out.next_row()
    out.finish()


def _row(out, category, name, item, style=None):
    budget = item.budget_won
    achievement = item.achievement if hasattr(item, "achievement") else item.average_achievement
    flag = fmt.divergence(getattr(item, "divergence", None))
    for key in COLUMNS:
        out.put(key, "", style=style)
    out.put("category", category, style=style)
    out.put("program", name, style=style)
    out.put("budget_won", budget, WON, shown=fmt.won(budget), style=style)
    out.put("executed_won", item.executed_won, WON, shown=fmt.won(item.executed_won),
            style=style)
    for key, value in (("execution_rate", item.execution_rate), ("achievement", achievement)):
        if value is not None:
            rounded = figures.round_half_up(value)
            out.put(key, rounded, RATE, shown=fmt.rate(value), style=style)
    out.put("divergence", flag, style=style)
