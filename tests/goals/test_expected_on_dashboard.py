"""The expected evaluation where the director already looks: the overview
(per indicator the year-end forecast and 득점, per category and in total the
expected score and grade) and the indicator page (its expected 평점, the
year's grade), all from goals.evaluation under the institution's default
scheme (the first by name: 도 출연기관 (가–마))."""

import re

import pytest

from goals import roles
from goals.models import Indicator
from goals.schemes import load_schemes, read_schemes
from tests.support.entry_fixtures import make_user
from tests.goals.test_dashboard import Tables, indicator_rows, page

pytestmark = pytest.mark.django_db


@pytest.fixture
def director(client, institution):
    load_schemes(read_schemes())
    user = make_user(institution, roles.DIRECTOR, "director")
    client.force_login(user)
    return user


def card(html, name):
    return re.search(rf'id="{name}">([^<]*)<', html).group(1).strip()


def test_the_overview_shows_the_expected_grade_and_points(client, director):
    html = page(client, "/jbsss/2023/")
    assert card(html, "overview-grade") == "가"
    assert "예상 총점 100.00" in html and "도 출연기관 (가–마)" in html
    totals = {row[0]: row for row in Tables(html).starting("분야별 합계")}
    header = totals["전략 분야"]
    column = header.index("예상 득점/배점")
    assert totals["합계"][column] == "100.00 (가)"
    assert totals["공통지표"][column] == "20.00/20.00"
    _header, rows = indicator_rows(html)
    support = next(row for (program, name), row in rows.items() if name == "지원사업 횟수")
    assert (support["연말 예상"], support["예상 득점/배점"]) == ("82회", "8.00/8.00")


def test_a_year_without_results_has_a_forecast_of_nothing_and_no_grade(client, director):
    html = page(client, "/jbsss/2024/")
    assert card(html, "overview-grade") == "-"
    _header, rows = indicator_rows(html)
    assert {row["예상 득점/배점"] for row in rows.values()} == {"-"}


def test_the_indicator_page_shows_its_expected_score_and_the_grade(client, director):
    indicator = Indicator.objects.get(program__category__plan__year=2023,
                                      measurement="지원사업 횟수")
    html = page(client, f"/jbsss/2023/indicators/{indicator.pk}/")
    assert "경영평가 예상" in html
    assert (card(html, "indicator-score"), card(html, "indicator-points"),
            card(html, "indicator-grade")) == ("100.00", "8.00", "가")


def test_the_grade_says_when_it_counts_values_not_approved(client, director):
    assert "미승인 포함" in page(client, "/jbsss/2023/?values=all").split('id="overview-total"')[1][:300]
    assert "미승인 포함" not in page(client, "/jbsss/2023/").split('id="overview-total"')[1][:300]
