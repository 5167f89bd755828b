"""The director's dashboard: the year's overview, two years side by side, and
a program and an indicator in depth, as a reader sees them."""

import re
from decimal import Decimal as D
from html.parser import HTMLParser

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from goals import roles
from goals.models import (Evidence, Indicator, Institution, Period, Program, Result, Submission,
                          UnitProject)
from goals.synthetic import build_synthetic_plan
from tests.support.entry_fixtures import CARE, OUTSOURCING, director, make_user, program_named  # noqa: F401

pytestmark = pytest.mark.django_db


class Tables(HTMLParser):
    """The tables of a page as rows of cell texts, keyed by caption; the marks
    of the sorting links are left out."""

    def __init__(self, html):
        super().__init__()
        self.tables = {}
        self._caption = self._rows = self._cell = None
        self._in_caption = False
        self._skipping = 0
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        if self._skipping or ("class", "sort-mark") in attrs or (
                tag == "span" and ("class", "visually-hidden") in attrs):
            self._skipping += tag == "span"
        elif tag == "table":
            self._rows, self._caption = [], ""
        elif tag == "caption":
            self._in_caption = True
        elif tag == "tr" and self._rows is not None:
            self._rows.append([])
        elif tag in ("td", "th") and self._rows is not None:
            self._cell = ""

    def handle_endtag(self, tag):
        if self._skipping:
            self._skipping -= tag == "span"
        elif tag == "caption":
            self._in_caption = False
        elif tag in ("td", "th") and self._cell is not None:
            self._rows[-1].append(" ".join(self._cell.split()))
            self._cell = None
        elif tag == "table" and self._rows is not None:
            self.tables[self._caption.strip()] = self._rows
            self._rows = None

    def handle_data(self, data):
        if self._skipping:
            return
        if self._in_caption:
            self._caption += data
        elif self._cell is not None:
            self._cell += data

    def starting(self, caption):
        return next(rows for name, rows in self.tables.items() if name.startswith(caption))


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def indicator_rows(html):
    """The overview's indicator table as {(program, indicator): row}."""
    rows = Tables(html).starting("성과지표별 현황")
    header, body = rows[0], rows[1:]
    return header, {(re.sub(r"^\S ", "", row[1]), row[2]): dict(zip(header, row)) for row in body}


def column(header_name, html):
    header, _rows = indicator_rows(html)
    rows = Tables(html).starting("성과지표별 현황")[1:]
    return [row[header.index(header_name)] for row in rows]


def outsourcing_indicator(year=2024):
    return Indicator.objects.get(program__category__plan__year=year,
                                 program__name="수탁기관 운영 활성화 지원")


def enter(unit_project, quarter, value, approved=True):
    """A quarter's value of a unit project, its program's quarter approved
    unless said otherwise (what the director sees by default)."""
    Submission.objects.filter(program=unit_project.program, quarter=quarter).update(
        status=Submission.Status.DRAFT)
    Result.objects.create(unit_project=unit_project, period=quarter, value=D(value))
    if approved and quarter in (1, 2, 3, 4):
        Submission.objects.update_or_create(program=unit_project.program, quarter=quarter,
                                            defaults={"status": Submission.Status.APPROVED})


# The overview ------------------------------------------------------------------


def test_the_overview_prints_the_documents_figures(client, director):
    header, rows = indicator_rows(page(client, "/jbsss/2024/"))
    assert header[:4] == ["전략 분야", "주요경영목표", "성과지표", "담당자"]
    assert len(rows) == 21
    outsourcing = rows[("수탁기관 운영 활성화 지원", "지원사업횟수")]
    assert outsourcing["사업비(억원)"] == "0.29"
    assert outsourcing["성과목표"] == "60회"
    assert outsourcing["전년 실적(전년 목표)"] == "82회(56회)"
    assert outsourcing["전년목표 대비"] == "7.1%증"
    assert outsourcing["실적"] == "-" and outsourcing["진도"] == "미입력"
    care = rows[("전북형 돌봄 체계화 및 고도화", "제공인원수")]
    assert (care["사업비(억원)"], care["전년목표 대비"]) == ("1.02", "동일")
    assert rows[("소속시설 서비스 품질 제고 지원", "지원건수")]["전년목표 대비"] == "신규"


def test_a_program_without_indicators_still_has_its_line(client, director, plan_2024):
    category = plan_2024.categories.get(order=2)
    Program.objects.create(category=category, number=9, name="준비 중인 사업",
                           budget_won=5_000_000)
    _header, rows = indicator_rows(page(client, "/jbsss/2024/"))
    row = rows[("준비 중인 사업", "-")]
    assert (row["사업비(억원)"], row["성과목표"], row["진도"]) == ("0.05", "-", "-")
    totals = {row[0]: row for row in Tables(page(client, "/jbsss/2024/")).starting("분야별 합계")}
    assert totals["사회서비스 공공성 강화"][1:4] == ["3", "2", "0.37"]


def test_category_totals_and_status_counts(client, director):
    indicator = outsourcing_indicator()
    units = list(indicator.unit_projects.order_by("order"))
    enter(units[0], Period.Q1, 20)
    enter(units[1], Period.Q2, 15)  # 35 of 60 by Q2: 58%, on track for 50%
    html = page(client, "/jbsss/2024/?q=2")
    totals = {row[0]: row for row in Tables(html).starting("분야별 합계")[1:]}
    assert totals["사회서비스 공공성 강화"][1:5] == ["2", "2", "0.32", "0"]
    assert totals["합계"][1:4] == ["14", "21", "4.55"]
    header = Tables(html).starting("분야별 합계")[0]
    assert totals["합계"][header.index("정상")] == "1"
    assert totals["합계"][header.index("미입력")] == "20"
    _header, rows = indicator_rows(html)
    row = rows[("수탁기관 운영 활성화 지원", "지원사업횟수")]
    assert (row["실적"], row["분기 상태"], row["달성률"], row["진도"]) == (
        "35회", "승인", "58%", "정상 58%/50%")
    # At the end of Q1 every figure of the row is Q1's: 20 of 60.
    _header, rows = indicator_rows(page(client, "/jbsss/2024/?q=1"))
    row = rows[("수탁기관 운영 활성화 지원", "지원사업횟수")]
    assert (row["실적"], row["달성률"], row["진도"]) == ("20회", "33%", "정상 33%/25%")
    # Q3 has no value yet: not entered, never behind, whatever came before.
    _header, rows = indicator_rows(page(client, "/jbsss/2024/?q=3"))
    row = rows[("수탁기관 운영 활성화 지원", "지원사업횟수")]
    assert (row["실적"], row["진도"]) == ("35회", "미입력")
    # At Q4 a confirmed year stands for the quarters.
    for unit in units:
        enter(unit, Period.YEAR, 10)
    _header, rows = indicator_rows(page(client, "/jbsss/2024/?q=4"))
    row = rows[("수탁기관 운영 활성화 지원", "지원사업횟수")]
    assert (row["실적"], row["진도"]) == (f"{10 * len(units)}회", "앞섬 133%/100%")


def test_a_score_is_judged_against_its_target_not_a_straight_line(client, director):
    score = Indicator.objects.get(program__category__plan__year=2024, measurement="만족도 점수")
    enter(score.unit_projects.get(), Period.Q1, "86")
    _header, rows = indicator_rows(page(client, "/jbsss/2024/?q=1"))
    # 86 of 85 points in Q1 is on track (not "ahead" of a 25% straight line).
    assert rows[("민간제공기관 소통강화", "만족도 점수")]["진도"] == "정상 101%/100%"


def test_a_quarter_not_measured_is_not_zero_and_not_behind(client, director):
    score = Indicator.objects.get(program__category__plan__year=2024, measurement="만족도 점수")
    unit = score.unit_projects.get()
    Result.objects.create(unit_project=unit, period=Period.Q1, not_measured=True)
    Submission.objects.create(program=score.program, quarter=1,
                              status=Submission.Status.APPROVED)
    _header, rows = indicator_rows(page(client, "/jbsss/2024/?q=1"))
    row = rows[("민간제공기관 소통강화", "만족도 점수")]
    assert (row["실적"], row["달성률"], row["진도"]) == ("-", "-", "측정 전")
    totals = Tables(page(client, "/jbsss/2024/?q=1")).starting("분야별 합계")
    assert totals[-1][totals[0].index("측정 전")] == "1"


def test_sorting_goes_by_the_value_not_the_text(client, director):
    targets = column("성과목표", page(client, "/jbsss/2024/?sort=target"))
    numbers = [D(re.match(r"[\d.]+", text).group()) for text in targets]
    assert numbers == sorted(numbers)
    assert targets[-1] == "100%" and targets[0] in ("1건", "1회")  # as text, "100%" < "10회"
    descending = column("성과목표", page(client, "/jbsss/2024/?sort=-target"))
    assert descending[0] == "100%"
    budgets = column("사업비(억원)", page(client, "/jbsss/2024/?sort=-budget"))
    assert budgets[:2] == ["1.50", "1.02"]
    changes = column("전년목표 대비", page(client, "/jbsss/2024/?sort=-change"))
    assert changes[:3] == ["100%증", "100%증", "50%증"]


def test_sorted_column_says_so(client, director):
    html = page(client, "/jbsss/2024/?sort=-achievement")
    assert re.search(r'<th scope="col" class="[^"]*\bnum\b[^"]*" aria-sort="descending">\s*'
                     r'<a href="\?sort=achievement">달성률<span class="sort-mark" aria-hidden="true">'
                     r'▼</span><span class="visually-hidden">\(내림차순, 누르면 오름차순\)', html)


def test_filter_by_category_status_and_owner(client, director, plan_2024):
    staff = make_user(plan_2024.institution, roles.STAFF, "staff1")
    Program.objects.filter(category__plan=plan_2024, category__order=2).update(owner=staff)
    category = plan_2024.categories.get(order=5)
    _header, rows = indicator_rows(page(client, f"/jbsss/2024/?category={category.pk}"))
    assert {program for program, _indicator in rows} == {
        "전북형 돌봄 체계화 및 고도화", "전북 복지자원 플랫폼 추진", "사회서비스 고도화 사업",
        "사회서비스 산업박람회 개최"}
    _header, rows = indicator_rows(page(client, f"/jbsss/2024/?owner={staff.pk}"))
    assert set(rows) == {("수탁기관 운영 활성화 지원", "지원사업횟수"),
                         ("소속시설 서비스 품질 제고 지원", "지원건수")}
    assert all(row["담당자"] == "staff1" for row in rows.values())
    assert len(indicator_rows(page(client, "/jbsss/2024/?owner=none"))[1]) == 19
    enter(outsourcing_indicator().unit_projects.first(), Period.Q2, 3)
    _header, rows = indicator_rows(page(client, "/jbsss/2024/?q=2&status=behind"))
    assert list(rows) == [("수탁기관 운영 활성화 지원", "지원사업횟수")]
    nothing = Tables(page(client, "/jbsss/2024/?q=2&status=ahead")).starting("성과지표별 현황")
    assert nothing[1:] == [["조건에 맞는 성과지표가 없습니다."]]


def test_a_bad_choice_is_reported_next_to_its_field(client, director):
    html = page(client, "/jbsss/2024/?q=9&status=late")
    assert html.count('class="field-error"') == 2
    assert "올바르게 선택해 주세요" in html
    assert len(indicator_rows(html)[1]) == 21  # nothing filtered by a bad choice
    assert "4분기 말 기준" in html


def test_switching_years(client, director):
    html = page(client, "/jbsss/2024/")
    # The basis quarter goes along to the other year.
    assert '<a href="/jbsss/2023/?q=4">2023년</a>' in html
    assert 'href="/jbsss/2024/?q=4" aria-current="page"' in html
    _header, rows = indicator_rows(page(client, "/jbsss/2023/"))
    row = rows[("수탁기관 운영 활성화 지원", "지원사업 횟수")]
    # A closed year read at Q4: its confirmed results, approved by planning staff.
    assert [row[name] for name in ("성과목표", "실적", "분기 상태", "달성률")] == [
        "56회", "82회", "확정", "146%"]
    assert row["진도"] == "앞섬 146%/100%"


def test_achievement_by_category_chart_reads_out_its_figures(client, director):
    html = page(client, "/jbsss/2023/")
    chart = re.search(r'<svg class="chart" id="achievement-by-category".*?</svg>', html, re.S)
    assert chart and 'role="img"' in chart.group()
    assert "<title id=\"achievement-by-category-title\">분야별 평균 달성률</title>" in chart.group()
    totals = {row[0]: row[-1] for row in Tables(html).starting("분야별 합계")[1:]}
    description = re.search(r"<desc[^>]*>(.*?)</desc>", chart.group()).group(1)
    assert "사회서비스 공공성 강화: 123%" in description
    assert totals["사회서비스 공공성 강화"] == "123%"


def test_query_count_of_the_overview_does_not_grow_with_the_plan(client, institution):
    big = build_synthetic_plan(indicators=500)
    user = make_user(institution, roles.DIRECTOR, "director")
    big.members.add(user)
    client.force_login(user)
    page(client, "/jbsss/2024/")  # the session and the user's roles are read once

    def queries(url):
        with CaptureQueriesContext(connection) as context:
            html = page(client, url)
        return len(context.captured_queries), html

    document, _html = queries("/jbsss/2024/?sort=-achievement")
    synthetic, html = queries("/synthetic/2024/?sort=-achievement")
    assert len(indicator_rows(html)[1]) == 500
    assert synthetic == document
    program = Program.objects.filter(category__plan__institution=big,
                                     category__plan__year=2024).first()
    indicator = program.indicators.first()
    outsourcing = outsourcing_indicator()
    assert (queries(f"/synthetic/2024/programs/{program.pk}/")[0]
            == queries(f"/jbsss/2024/programs/{outsourcing.program_id}/")[0])
    assert (queries(f"/synthetic/2024/indicators/{indicator.pk}/")[0]
            == queries(f"/jbsss/2024/indicators/{outsourcing.pk}/")[0])


# Two years side by side ----------------------------------------------------------


def test_two_years_side_by_side(client, director):
    html = page(client, "/jbsss/compare/?a=2023&b=2024")
    rows = Tables(html).starting("2023년과 2024년의 성과지표")
    header = rows[0]
    assert header[1:5] == ["2023 성과지표", "2023 목표", "2023 실적", "2023 달성률"]
    by_later = {(row[0], row[5]): dict(zip(header, row)) for row in rows[1:]}
    outsourcing = by_later[("① 수탁기관 운영 활성화 지원", "지원사업횟수")]
    assert [outsourcing[name] for name in ("2023 성과지표", "2023 목표", "2023 실적",
                                           "2023 달성률", "2024 목표", "구분")] == [
        "지원사업 횟수", "56회", "82회", "146%", "60회", "계속"]
    assert by_later[("② 소속시설 서비스 품질 제고 지원", "지원건수")]["구분"] == "신규"
    dropped = [row for row in rows[1:] if row[-1] == "종료"]
    assert ["공시율", "80%", "88.3%", "110%"] in [row[1:5] for row in dropped]
    assert "이어지는 지표 11개, 2024년 신규 10개, 2023년에만 있던 지표 5개." in html
    # The order of the two years in the address does not matter.
    assert Tables(page(client, "/jbsss/compare/?a=2024&b=2023")).starting(
        "2023년과 2024년의 성과지표") == rows


def test_comparing_a_year_with_itself_is_refused(client, director):
    html = page(client, "/jbsss/compare/?a=2024&b=2024")
    assert "서로 다른 두 연도를 고르세요." in html
    assert "2024 목표" not in html


def test_years_apart_are_matched_through_the_years_between(client, institution):
    big = build_synthetic_plan(indicators=10, year=2024, code="far")
    build_synthetic_plan(indicators=10, year=2026, code="far")  # 2025 and 2026
    later = Indicator.objects.filter(program__category__plan__institution=big,
                                     program__category__plan__year=2026).order_by("id")
    middle = list(Indicator.objects.filter(program__category__plan__institution=big,
                                           program__category__plan__year=2025).order_by("id"))
    first = list(Indicator.objects.filter(program__category__plan__institution=big,
                                          program__category__plan__year=2024).order_by("id"))
    # The 2025 programs and indicators continue the 2024 ones: 2024 → 2025 → 2026.
    for before, after in zip(first, middle):
        after.previous = before
        after.save()
        after.program.previous = before.program
        after.program.save()
    user = make_user(big, roles.DIRECTOR, "far-director")
    client.force_login(user)
    tables = Tables(page(client, "/far/compare/?a=2024&b=2026"))
    rows = tables.starting("2024년과 2026년의 성과지표")
    assert len(rows) - 1 == later.count()
    assert {row[-1] for row in rows[1:]} == {"계속"}
    assert [row[0] for row in tables.starting("2024년과 2026년의 사업")[1:3]] == [
        "사업 1", "사업 2"]


# A program in depth --------------------------------------------------------------


def test_the_program_page_mirrors_the_document(client, director, plan_2024):
    program = program_named(plan_2024, OUTSOURCING)
    html = page(client, f"/jbsss/2024/programs/{program.pk}/")
    text = " ".join(re.sub(r"<[^>]+>", " ", html).split())
    assert "기간 2024. 1. ~ 12." in text
    assert "규모 28,517천원 (도비 28,517천원)" in text
    assert "ESG경영을 통한 사회적가치 실현" in text
    assert "체계적인 소속시설 운영을 위한 회계 및 요청업무 지원" in text  # 중점 추진계획
    tables = Tables(html)
    last_year = tables.starting("2023년 단위사업 실적")
    assert last_year[1] == ["계", "82회", ""]
    assert ["소속시설 협력체계 강화", "28회", "간담회건수"] in last_year
    plan = tables.starting("2024~2026년 추진계획")
    assert plan[0] == ["단위사업명", "2024년", "2025년", "2026년", "비고"]
    assert plan[1] == ["계", "60회", "60회", "60회", ""]
    assert ["소속시설 협력체계 강화", "16회", "20회", "20회", "간담회건수"] in plan
    indicators = tables.starting("2024년 성과지표")
    assert indicators[1][:4] == ["지원사업횟수", "60회", "82회(56회)", "7.1%증"]
    assert 'aria-labelledby="plan-' in html  # the three-year plan's chart


def test_the_program_page_groups_unit_projects_and_shows_the_quarters(client, director,
                                                                      plan_2024):
    program = program_named(plan_2024, CARE)
    units = {unit.name: unit for unit in program.unit_projects.all()}
    enter(units["돌봄지원단"], Period.Q1, 10, approved=False)
    enter(units["사회서비스 연계상담"], Period.Q1, 3, approved=False)
    Submission.objects.create(program=program, quarter=1, status=Submission.Status.APPROVED)
    html = page(client, f"/jbsss/2024/programs/{program.pk}/")
    tables = Tables(html)
    plan = tables.starting("2024~2026년 추진계획")
    assert plan[1] == ["계", "135명/16회", "150명/18회", "165명/18회", ""]
    assert plan[2] == ["보편적 돌봄서비스 지원", "돌봄지원단", "25명", "30명", "35명", ""]
    assert plan[3] == ["돌봄대상자", "110명", "120명", "130명", ""]  # under the same group
    assert 'rowspan="2">보편적 돌봄서비스 지원' in html
    contents = tables.starting("사업내용")
    assert contents[1][0] == "보편적 돌봄서비스 지원"
    quarters = tables.starting("분기별 실적과 제출 상태")
    assert ["성과지표", "제공인원수", "10명", "-", "-", "-", "10명"] in quarters
    assert ["단위사업", "사회서비스 연계상담", "3회", "-", "-", "-", "3회"] in quarters
    assert quarters[-1] == ["", "제출 상태", "승인", "작성중", "작성중", "작성중", ""]
    assert html.count('role="img"') == 2  # 명 and 회 each get their chart


def test_a_program_of_another_year_or_institution_is_not_found(client, director, institution):
    last_year = program_named(institution.plans.get(year=2023), OUTSOURCING)
    assert client.get(f"/jbsss/2024/programs/{last_year.pk}/").status_code == 404
    assert client.get(f"/jbsss/2023/programs/{last_year.pk}/").status_code == 200
    other = Institution.objects.create(code="other", name="다른 기관")
    client.force_login(make_user(other, roles.DIRECTOR, "outsider"))
    for url in (f"/jbsss/2023/programs/{last_year.pk}/", "/jbsss/compare/",
                f"/jbsss/2023/indicators/{outsourcing_indicator(2023).pk}/"):
        assert client.get(url).status_code == 404


# An indicator in depth -----------------------------------------------------------


def test_the_indicator_page(client, director, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    indicator = outsourcing_indicator()
    program = indicator.program
    unit = indicator.unit_projects.order_by("order").first()
    result = Result(unit_project=unit, period=Period.Q1, value=D(12), note="조직진단 3개소")
    result._history_user = director
    result.save()
    result.value = D(14)
    result._history_user = director
    result.save()
    enter(indicator.unit_projects.order_by("order")[1], Period.Q2, 6)
    Evidence.objects.create(program=program, quarter=1, unit_project=unit,
                            file=ContentFile(b"%PDF", name="x.pdf"), name="조직진단 결과.pdf",
                            content_type="application/pdf", size=4, sha256="0" * 64)
    # Q1 is a draft: the director reads Q2's approved value only.
    html = page(client, f"/jbsss/2024/indicators/{indicator.pk}/?q=2")
    tables = Tables(html)
    quarters = tables.starting("분기별 실적과 진도")
    assert quarters[1] == ["1분기", "-", "-", "-", "25%", "미입력", "작성중"]
    assert quarters[2] == ["2분기", "6회", "6회", "10%", "50%", "지연", "승인"]
    assert "조직진단 3개소" not in html and "미승인" not in html.split("</h1>", 1)[1].split(
        "values-shown", 1)[0]
    assert not [row for row in tables.starting("변경 이력") if row[3] == "1분기"]
    # With the values not approved yet, each is marked.
    html = page(client, f"/jbsss/2024/indicators/{indicator.pk}/?q=2&values=all")
    tables = Tables(html)
    quarters = tables.starting("분기별 실적과 진도")
    assert quarters[1] == ["1분기", "14회 미승인", "14회 미승인", "23%", "25%", "지연", "작성중"]
    assert quarters[2] == ["2분기", "6회", "20회 미승인", "33%", "50%", "지연", "승인"]
    assert quarters[3][1:3] == ["-", "20회 미승인"]
    years = tables.starting("최근 3년의 목표와 실적")
    assert years[1:] == [["2023년", "지원사업 횟수", "56회", "82회", "146%"],
                         ["2024년", "지원사업횟수", "60회", "20회 미승인", "33%"]]
    assert "조직진단 결과.pdf" in html
    notes = tables.starting("비고")
    assert ["1분기", unit.name, "조직진단 3개소"] in notes
    history = tables.starting("변경 이력")
    assert [row[1:7] for row in history if row[4] == "수정"] == [
        ["director", unit.name, "1분기", "수정", "12", "14"]]
    pace = re.search(r'<svg class="chart" id="pace".*?</svg>', html, re.S).group()
    assert "1분기: 진도율 23% (미승인), 기대 진도 25%" in pace
    assert "2분기: 진도율 33% (미승인), 기대 진도 50%" in pace


def test_an_indicator_of_another_year_is_not_found(client, director):
    assert client.get(
        f"/jbsss/2024/indicators/{outsourcing_indicator(2023).pk}/").status_code == 404


def test_pages_need_a_reader(client, institution):
    indicator = outsourcing_indicator()
    for url in ("/jbsss/compare/", f"/jbsss/2024/indicators/{indicator.pk}/",
                f"/jbsss/2024/programs/{indicator.program_id}/"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_unit_projects_of_last_year_are_not_this_years(client, director, plan_2024):
    """A program's 추진실적 lists last year's unit projects, never this year's."""
    program = program_named(plan_2024, OUTSOURCING)
    last = UnitProject.objects.filter(program=program.previous).count()
    html = page(client, f"/jbsss/2024/programs/{program.pk}/")
    assert len(Tables(html).starting("2023년 단위사업 실적")) == 1 + 1 + last


# The building blocks -------------------------------------------------------------


def test_an_ordinary_django_tables2_table_renders_through_our_template(rf):
    import django_tables2 as tables

    class People(tables.Table):
        name = tables.Column(verbose_name="이름")
        age = tables.Column(verbose_name="나이", attrs={"th": {"class": "num"},
                                                       "td": {"class": "num"}})

    html = People([{"name": "<b>김</b>", "age": 30}]).as_html(rf.get("/"))
    assert re.search(r'<th scope="col" class="num orderable">\s*<a href="\?sort=age">나이', html)
    assert '<td class="num">30</td>' in html and "&lt;b&gt;김" in html


def test_charts_escape_what_they_are_given():
    from goals import charts

    svg = charts.bar_chart("c", "<제목>", [charts.Bar("<script>", D(50), "50%")],
                           reference=100, reference_text="100%")
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert '<desc id="c-desc">&lt;script&gt;: 50%</desc>' in svg


def test_a_tables_sorting_links_keep_the_pages_other_choices(rf):
    """goals.tables.written_head: each link sorts by its column and keeps
    everything else the page was asked with (a value given twice, twice); the
    column sorted by says so, to the eye and to a screen reader."""
    import django_tables2 as tables
    from django_tables2 import RequestConfig

    class People(tables.Table):
        name = tables.Column(verbose_name="<이름>")
        age = tables.Column(verbose_name="나이", attrs={"th": {"class": "num"}})
        note = tables.Column(verbose_name="비고", orderable=False)

    request = rf.get("/", {"category": ["1", "2"], "q": "2", "sort": "-age"})
    table = People([{"name": "김", "age": 30, "note": ""}])
    RequestConfig(request, paginate=False).configure(table)
    html = table.as_html(request)
    assert ('<th scope="col" class="desc num orderable" aria-sort="descending">'
            '<a href="?category=1&amp;category=2&amp;q=2&amp;sort=age">나이'
            '<span class="sort-mark" aria-hidden="true">▼</span><span class="visually-hidden">'
            '(내림차순, 누르면 오름차순)</span></a></th>') in html
    assert ('<a href="?category=1&amp;category=2&amp;q=2&amp;sort=name">&lt;이름&gt;'
            '<span class="sort-mark" aria-hidden="true">↕</span>') in html
    assert '<th scope="col" >비고</th>' in html
