"""
Korean text for the figures: 60회, 82회(56회), 7.1%증, 146%, 28,517천원.

Every screen and export formats through these functions, so a figure reads
the same in the dashboard, the PDF and the XLSX. Words go through Django's
translation machinery.
"""

from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import figures

EMPTY = "-"
NOT_MEASURED = gettext_lazy("해당 없음")
# Beside a value that is not approved yet (a draft, submitted or returned quarter).
UNAPPROVED = gettext_lazy("미승인")
UNAPPROVED_INCLUDED = gettext_lazy("미승인 포함")

CHANGE_WORDS = {
    figures.INCREASE: gettext_lazy("증"),
    figures.DECREASE: gettext_lazy("감"),
    figures.SAME: gettext_lazy("동일"),
    figures.NEW: gettext_lazy("신규"),
    figures.CHANGED: gettext_lazy("변경"),
}

PACE_LABELS = {
    figures.AHEAD: gettext_lazy("앞섬"),
    figures.ON_TRACK: gettext_lazy("정상"),
    figures.BEHIND: gettext_lazy("지연"),
    figures.NOT_ENTERED: gettext_lazy("미입력"),
    figures.UNMEASURED: gettext_lazy("측정 전"),
    figures.NO_TARGET: gettext_lazy("목표 없음"),
    figures.ACHIEVED: gettext_lazy("달성"),
    figures.NOT_ACHIEVED: gettext_lazy("미달"),
}

# What the year so far is, by the roll-up rule: a sum only where values add up.
SO_FAR_LABELS = {
    figures.SUM: gettext_lazy("누계"),
    figures.LATEST: gettext_lazy("최근값"),
    figures.AVERAGE: gettext_lazy("평균"),
}
# An indicator's quarter made of its unit projects (goals.figures.combine).
COMBINED_LABELS = {
    figures.SUM: gettext_lazy("단위사업 합계"),
    figures.LATEST: gettext_lazy("단위사업 평균"),
    figures.AVERAGE: gettext_lazy("단위사업 평균"),
}


def number(value):
    """94.40 → 94.4; 28517 → 28,517; a state (구축완료) as it is; 해당 없음."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if value is figures.NOT_MEASURED:
        return str(NOT_MEASURED)
    return figures.format_number(Decimal(value))


def quantity(value, unit="", note=""):
    """60회; 94.4점; 100%; 1건(2개소); 구축완료; 해당 없음."""
    if value is None:
        return ""
    text = (number(value) if isinstance(value, str) or value is figures.NOT_MEASURED
            else f"{number(value)}{unit}")
    return f"{text}({note})" if note else text


def baseline(actual, target, unit="", note=""):
    """전년 실적(전년 목표): 82회(56회); "-" when last year is unknown."""
    if actual is None and target is None:
        return EMPTY
    if target is None:
        return quantity(actual, unit, note)
    if actual is None:
        return f"-({quantity(target, unit, note)})"
    return f"{quantity(actual, unit, note)}({quantity(target, unit, note)})"


def change(value):
    """전년목표 대비: 7.1%증, 100%증, 동일, 신규, 3.5%감."""
    if value is None:
        return EMPTY
    word = str(CHANGE_WORDS[value.kind])
    if value.percent is None:
        return word
    return f"{figures.format_percent_number(value.percent, 1)}%{word}"


def rate(value):
    """달성률 rounded to a whole percent, as the document prints it: 146%."""
    if value is None:
        return EMPTY
    return f"{figures.format_percent_number(value)}%"


def score(value, places=2):
    """A 평점, 득점 or total: 72.52; "-" when there is none."""
    if not isinstance(value, (Decimal, int)):  # None, or what a template found missing
        return EMPTY
    return figures.format_number(value, places)


def level(value, unit=""):
    """기준치 or 최고/최저목표, in the indicator's unit to two decimals at most:
    68.77회, 82회."""
    if not isinstance(value, Decimal):
        return EMPTY
    return quantity(figures.round_half_up(value, 2), unit)


def cheon(won):
    """Money in 천원 with separators: 28,517."""
    if won is None:
        return EMPTY
    return figures.format_number(figures.won_to_cheon(won), 0)


def eok(won, places=2):
    """Money in 억원, two decimals: 0.29."""
    if won is None:
        return EMPTY
    return figures.format_number(figures.won_to_eok(won, places), places)


def won(amount):
    """Money in 원 with separators: 12,500,000."""
    if amount is None:
        return EMPTY
    return figures.format_number(Decimal(amount), 0)


DIVERGENCE_WORDS = {
    figures.SPENT_NOT_ACHIEVED: gettext_lazy("집행에 비해 성과 부진"),
    figures.ACHIEVED_NOT_SPENT: gettext_lazy("성과에 비해 집행 부진"),
}


def divergence(code):
    """The flag where execution and achievement diverge strongly; "" for none."""
    return str(DIVERGENCE_WORDS[code]) if code else ""


def unit_total(total):
    """계 of unit projects: 135명/16회; 6회, 상시."""
    parts = "/".join(f"{number(value)}{unit}" for value, unit in total.sums)
    states = ", ".join(total.states)
    return ", ".join(part for part in (parts, states) if part)


def pace(status):
    return str(PACE_LABELS[status])


def so_far_label(rule):
    return str(SO_FAR_LABELS[rule])


def combined_label(rule):
    return str(COMBINED_LABELS[rule])


def period_text(start, end):
    """2024. 1. ~ 12. as the document writes a program's period."""
    if not start or not end:
        return ""
    if start.year == end.year:
        return f"{start.year}. {start.month}. ~ {end.month}."
    return f"{start.year}. {start.month}. ~ {end.year}. {end.month}."


def day(value):
    """2024. 4. 20., as the pages write a date (a due date in a message, too)."""
    return f"{value.year}. {value.month}. {value.day}."


def term_text(start, end):
    """2021.10.28. ~ 2024.10.27."""
    if not start or not end:
        return ""
    return f"{start.year}.{start.month}.{start.day}. ~ {end.year}.{end.month}.{end.day}."


def shares_text(status):
    """국비 31.9, 도·시군비 63.4, 기타 4.7 (a percentage share of the budget)."""
    if status is None or status.national_share is None:
        return ""
    return _("국비 %(national)s, 도·시군비 %(local)s, 기타 %(other)s") % {
        "national": number(status.national_share), "local": number(status.local_share),
        "other": number(status.other_share)}
