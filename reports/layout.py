"""
The workbook's layout, shared by the writer (reports.xlsx) and the reader
(reports.importer): sheet names, where the headers stand and what each
column holds. Columns are found by their key, never by a position typed
twice.
"""

import re
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

TITLE_ROW = 1
INFO_ROW = 2  # 총괄표: 연도 and 제목 of the plan
GROUP_ROW = 3  # merged headers over several columns
HEADER_ROW = 4
FIRST_ROW = 5

SUMMARY = "총괄표"
PLAN = "사업별 3개년 계획"
LAST_YEAR = "전년도 실적"
QUARTERS = "분기별 실적"
BUDGET = "예산"
OVERVIEW = "사업개요"
HEADLINES = "요약 목표"
NARRATIVES = "사업 서술"
GENERAL = "일반현황"
# The institution and its 일반현황 by year as the import reads them: a hidden,
# protected sheet, so that a workbook can create them in an empty database.
INSTITUTION = "기관 정보"
INSTITUTION_FIELDS = ("code", "name", "formal_name", "address", "founded_year", "founding_law",
                      "ordinance")
STATUS_FIELDS = ("year", "organization", "quota", "headcount", "head_name", "head_term_start",
                 "head_term_end", "budget_won", "budget_is_final", "national_share",
                 "local_share", "other_share")
STATUS_ROW = len(INSTITUTION_FIELDS) + 2  # the statuses' header row
LAST_YEAR_UNITS = "전년도 단위사업 실적"

# The sheets the import reads, in the order it reads them.
IMPORTED = (OVERVIEW, BUDGET, SUMMARY, PLAN, HEADLINES, NARRATIVES)

YES = "예"
TOTAL = "계"
SETTINGS_GROUP = _("지표 설정(다시 올릴 때 읽는 칸)")


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    group: str = ""  # the merged header above it
    width: int = 10  # the narrowest it may be, in Latin characters
    wrap: bool = False
    hidden: bool = False


def columns(*specs):
    return {column.key: column for column in specs}


def ident():
    return Column("id", "id", width=6, hidden=True)


def per_quarter(key, group, width=8):
    """A column for each quarter under `group`: {key}1 (1분기) to {key}4 (4분기)."""
    return [Column(f"{key}{quarter}", _("%(quarter)s분기") % {"quarter": quarter}, group,
                   width=width) for quarter in (1, 2, 3, 4)]


def indicator_quarters(*middle):
    """An indicator's quarters, as the plan report's and the results report's
    workbooks show them: the indicator, its four values, `middle`, then
    each quarter's submission status."""
    return columns(
        Column("category", _("전략 분야"), width=14, wrap=True),
        Column("program", _("주요경영목표"), width=24, wrap=True),
        Column("measurement", _("측정방법"), width=16, wrap=True),
        Column("target", _("성과목표"), width=10),
        *per_quarter("q", _("분기 실적")),
        *middle,
        *per_quarter("status_", _("제출 상태")),
    )


SUMMARY_COLUMNS = columns(
    Column("category", _("전략 분야"), width=14, wrap=True),
    Column("program", _("주요경영목표"), width=24, wrap=True),
    Column("budget_eok", _("사업비(억원)"), width=9),
    Column("measurement", _("측정방법"), _("성과지표"), width=18, wrap=True),
    Column("unit", _("단위"), _("성과지표"), width=6),
    Column("target", _("성과목표"), _("성과지표"), width=10),
    Column("target_note", _("부기"), _("성과지표"), width=8),
    Column("baseline_actual", _("실적"), _("전년 실적(전년 목표)"), width=10),
    Column("baseline_target", _("목표"), _("전년 실적(전년 목표)"), width=10),
    Column("change", _("전년목표 대비"), width=12),
    Column("kind", _("유형"), SETTINGS_GROUP, width=10, hidden=True),
    Column("direction", _("방향"), SETTINGS_GROUP, width=12, hidden=True),
    Column("rollup", _("집계"), SETTINGS_GROUP, width=12, hidden=True),
    Column("scale_max", _("만점"), SETTINGS_GROUP, width=6, hidden=True),
    Column("steps", _("단계"), SETTINGS_GROUP, width=10, hidden=True),
    Column("is_new", _("신규"), SETTINGS_GROUP, width=6, hidden=True),
    Column("previous", _("전년도 지표"), SETTINGS_GROUP, width=14, hidden=True),
    Column("stated_actual", _("전년 실적 입력"), SETTINGS_GROUP, width=10, hidden=True),
    Column("stated_target", _("전년 목표 입력"), SETTINGS_GROUP, width=10, hidden=True),
    Column("stated_unit", _("전년 값 단위"), SETTINGS_GROUP, width=8, hidden=True),
    ident(),
)
# What prints: the document's table, without the settings.
SUMMARY_PRINTED = "change"


def plan_columns(years):
    return columns(
        Column("category", _("전략 분야"), width=14, wrap=True),
        Column("program", _("주요경영목표"), width=24, wrap=True),
        Column("group", _("구분"), width=14, wrap=True),
        Column("name", _("단위사업명"), width=26, wrap=True),
        Column("unit", _("단위"), width=6),
        *[Column(f"target_{offset}", str(year), _("연도별 목표"), width=10)
          for offset, year in enumerate(years)],
        Column("note", _("비고"), width=12, wrap=True),
        Column("indicator", _("집계 성과지표"), width=16, wrap=True, hidden=True),
        ident(),
    )


PLAN_PRINTED = "note"

GENERAL_COLUMNS = columns(
    Column("item", _("구분"), width=16),
    Column("value", _("내용"), width=70, wrap=True),
)

LAST_YEAR_UNIT_COLUMNS = columns(
    Column("program", _("주요경영목표"), width=24, wrap=True),
    Column("name", _("단위사업명"), width=28, wrap=True),
    Column("result", _("실적"), width=12),
    Column("note", _("비고"), width=14, wrap=True),
)

LAST_YEAR_COLUMNS = columns(
    Column("category", _("전략 분야"), width=14, wrap=True),
    Column("program", _("주요경영목표"), width=26, wrap=True),
    Column("measurement", _("측정방법"), width=16, wrap=True),
    Column("target", _("성과목표"), width=12),
    Column("result", _("이행 실적"), width=12),
    Column("achievement", _("달성률(%)"), width=9),
)

QUARTER_COLUMNS = indicator_quarters(
    Column("result", _("기준 분기까지 실적"), width=10, wrap=True),
    Column("progress", _("진도(%)"), width=8),
    Column("pace", _("상태"), width=8),
)

BUDGET_COLUMNS = columns(
    Column("category", _("전략 분야"), width=14, wrap=True),
    Column("program", _("사업명"), width=28, wrap=True),
    Column("budget_cheon", _("사업비(천원)"), width=12),
    Column("budget_eok", _("사업비(억원)"), width=10),
    Column("funding_source", _("재원"), width=8),
    Column("stated_eok", _("총괄표 기재(억원)"), width=10),
)

OVERVIEW_COLUMNS = columns(
    Column("category", _("전략 분야"), width=14, wrap=True),
    Column("is_common", _("공통지표"), width=6),
    Column("number", _("번호"), width=4),
    Column("program", _("사업명"), width=24, wrap=True),
    Column("purpose", _("사업 목적"), width=40, wrap=True),
    Column("period_start", _("시작일"), _("기간"), width=11),
    Column("period_end", _("종료일"), _("기간"), width=11),
    Column("target_group", _("대상"), width=30, wrap=True),
    Column("owner", _("담당자(아이디)"), width=10),
    Column("previous", _("전년도 사업"), width=24, wrap=True),
    # How the program prints (goals.printed): its page's title, labels and 계 rows.
    Column("printed_title", _("쪽 제목"), _("인쇄"), width=24, wrap=True),
    Column("target_label", _("대상 항목명"), _("인쇄"), width=8),
    Column("contents_label", _("사업내용 표 첫 열"), _("인쇄"), width=8),
    Column("plan_total", _("추진계획 계"), _("인쇄"), width=6),
    Column("results_total", _("추진실적 계"), _("인쇄"), width=6),
    ident(),
)

HEADLINE_COLUMNS = columns(
    Column("category", _("전략 분야"), width=14, wrap=True),
    Column("program", _("사업명"), width=24, wrap=True),
    Column("value", _("값"), width=8),
    Column("unit", _("단위"), width=6),
    Column("label", _("설명"), width=32, wrap=True),
    Column("indicator", _("연결 성과지표"), width=16, wrap=True),
    Column("unit_project", _("연결 단위사업"), width=16, wrap=True),
)

NARRATIVE_COLUMNS = columns(
    Column("program", _("사업명"), width=24, wrap=True),
    Column("section", _("구분"), width=12),
    Column("label", _("항목"), width=16, wrap=True),
    Column("level", _("수준"), width=5),
    Column("text", _("내용"), width=70, wrap=True),
)

CIRCLED_NUMBER = re.compile(r"^\s*(?:[\u2460-\u2473]|\(\d+\))\s*")


def program_name(text):
    """The program's name from a cell that may begin with its number: ① 수탁기관… → 수탁기관…"""
    return CIRCLED_NUMBER.sub("", text or "").strip()


# The year-end results report's workbook (reports.results) ------------------------

RESULTS = "성과지표별 실적"
RESULT_QUARTERS = "분기별 실적"
RESULT_UNITS = "단위사업 실적"

RESULT_COLUMNS = columns(
    Column("category", _("전략 분야"), width=14, wrap=True),
    Column("program", _("주요경영목표"), width=24, wrap=True),
    Column("measurement", _("측정방법"), _("성과지표"), width=16, wrap=True),
    Column("target", _("성과목표"), _("성과지표"), width=10),
    Column("result", _("실적"), _("성과지표"), width=10),
    Column("achievement", _("달성률(%)"), _("성과지표"), width=9),
    Column("pace", _("상태"), width=8),
    Column("last_year", _("전년 실적(전년 목표)"), width=14),
    Column("change", _("전년목표 대비"), width=12),
    Column("evidence", _("증빙"), width=24, wrap=True),
)

RESULT_QUARTER_COLUMNS = indicator_quarters(Column("result", _("실적"), width=10))

RESULT_UNIT_COLUMNS = columns(
    Column("program", _("주요경영목표"), width=24, wrap=True),
    Column("name", _("단위사업명"), width=26, wrap=True),
    Column("target", _("목표"), width=10),
    *per_quarter("q", _("분기 실적")),
    Column("result", _("실적"), width=10),
)
