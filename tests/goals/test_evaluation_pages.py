"""The evaluation on the screen, in the admin and in the plan import: what
the director, the reviewer and the planner see and may do."""

import re
from datetime import date
from decimal import Decimal as D
from io import BytesIO

import pytest
from openpyxl import load_workbook

from goals import roles
from goals.models import Indicator, PastResult, Target, TargetRevision
from goals.schemes import load_schemes, read_schemes
from reports import layout
from reports.document import gather
from reports.importer import ImportFailed, import_workbook
from reports.xlsx import render_xlsx
from tests.support.entry_fixtures import (OUTSOURCING, approved_results, approver,  # noqa: F401
                                          director, make_user, program_named)
from tests.support.admin_pages import administrator, change_form_data  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def schemes(institution):
    return {(scheme.year, scheme.name): scheme for scheme in load_schemes(read_schemes())}


def text(response):
    """The page's text without tags, spaces collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def card(response, name):
    return re.search(rf'id="{name}">([^<]*)<', response.content.decode()).group(1)


def support():
    return Indicator.objects.get(program__category__plan__year=2024, measurement="지원사업횟수")


# The pages ------------------------------------------------------------------------------


def test_the_director_reads_2023_under_each_scheme(client, director, schemes):
    response = client.get("/jbsss/2023/evaluation/")
    assert response.status_code == 200
    assert (card(response, "expected-total"), card(response, "expected-grade")) == ("100.00", "가")
    page = text(response)
    assert "예시 평가 체계입니다." in page
    assert "목표 시뮬레이터" in page
    assert "등급 구간: 가 ≥ 95 · 나 ≥ 90 · 다 ≥ 85 · 라 ≥ 80 · 마 그 미만" in page
    ministry = schemes[(2023, "보건복지부 사회서비스원 (S–D)")]
    response = client.get(f"/jbsss/2023/evaluation/?scheme={ministry.pk}")
    assert (card(response, "expected-total"), card(response, "expected-grade")) == ("103.59", "S")
    assert "과거 실적 없음(5년 필요): 목표대비실적으로 대체" in text(response)


@pytest.mark.parametrize("query", ["?scheme=abc", "?scheme=99999", "?q=7", "?q=", "?scheme=-1"])
def test_a_bad_choice_gets_the_default(client, director, schemes, query):
    response = client.get(f"/jbsss/2023/evaluation/{query}")
    assert response.status_code == 200
    assert card(response, "expected-grade") == "가"


def test_the_reviewer_reads_the_same_figures_without_the_planning_links(client, institution,
                                                                       schemes):
    client.force_login(make_user(institution, roles.REVIEWER, "province"))
    response = client.get("/jbsss/2023/evaluation/review/")
    assert (card(response, "expected-total"), card(response, "expected-grade")) == ("100.00", "가")
    page = text(response)
    assert "읽기 전용" in page and "목표 시뮬레이터" not in page
    assert client.get("/jbsss/2023/evaluation/").status_code == 403
    assert client.get("/jbsss/2024/evaluation/simulator/").status_code == 403


def test_a_year_without_a_scheme_says_what_to_do(client, director):
    page = text(client.get("/jbsss/2024/evaluation/"))
    assert "2024년 평가 체계가 없습니다." in page


def test_the_simulator_tries_a_target_and_refuses_text(client, director, schemes):
    indicator = support()
    response = client.get("/jbsss/2024/evaluation/simulator/")
    assert "난이도 경고 5건" in text(response)
    response = client.get(f"/jbsss/2024/evaluation/simulator/?t{indicator.pk}=90")
    assert "난이도 경고 4건" in text(response)
    assert Target.objects.get(indicator=indicator, year=2024).value == 60  # nothing saved
    response = client.get(f"/jbsss/2024/evaluation/simulator/?t{indicator.pk}=abc")
    assert response.status_code == 200
    assert "숫자를 입력하세요." in response.content.decode()
    assert "난이도 경고 5건" in text(response)  # the plan's target stands


def test_the_pace_chart_shows_the_forecast_band(client, director):
    indicator = support()
    approved_results(indicator, {1: 15, 2: 17})
    page = client.get(f"/jbsss/2024/indicators/{indicator.pk}/?q=2").content.decode()
    # 64회 expected against 60회: 107%, from 62회 (103%) to 66회 (110%).
    assert "연말 예상 107%(103%–110%)" in page
    assert 'class="chart__band"' in page


# The admin -------------------------------------------------------------------------------


def test_the_admin_refuses_weights_that_do_not_add_up(client, administrator, schemes):
    scheme = schemes[(2024, "도 출연기관 (가–마)")]
    url = f"/admin/goals/evaluationscheme/{scheme.pk}/change/"
    data = change_form_data(client.get(url))
    data["items-0-weight"] = "9"
    response = client.post(url, data)
    assert response.status_code == 200
    assert "배점의 합이 101점으로, 배점 합계 100점과 다릅니다." in response.content.decode()
    data["items-0-weight"] = "8"
    data["bands-1-lower_bound"] = "95"  # 나 from 95, as 가
    response = client.post(url, data)
    assert "하한이 같거나 순서가 뒤바뀐 구간이 있습니다." in response.content.decode()
    assert scheme.items.first().weight == 8


def without_fallback(client, scheme):
    """The scheme's 지원사업횟수 posted from the admin with no fallback method
    (its own method must then stand): (response, url, the data sent)."""
    url = f"/admin/goals/evaluationscheme/{scheme.pk}/change/"
    data = change_form_data(client.get(url))
    index = next(index for index, item in enumerate(scheme.items.all())
                 if item.indicator.measurement == "지원사업횟수")
    data[f"items-{index}-fallback"] = "none"
    return client.post(url, data), url, data


def test_the_admin_refuses_a_method_without_its_years(client, administrator, schemes):
    scheme = schemes[(2024, "보건복지부 사회서비스원 (S–D)")]
    response, url, data = without_fallback(client, scheme)
    assert response.status_code == 200
    assert ("지원사업횟수: 목표부여(편차) 방식에는 최근 5년의 실적이 필요한데 1년뿐입니다."
            in response.content.decode())
    for year in (2019, 2020, 2021, 2022):
        PastResult.objects.create(indicator=support(), year=year, value=D(40 + year - 2019))
    response = client.post(url, data)
    assert response.status_code == 302
    assert scheme.items.get(indicator=support()).fallback == "none"


def test_the_admin_refuses_a_method_whose_best_and_worst_targets_are_equal(
        client, administrator, schemes):
    scheme = schemes[(2024, "보건복지부 사회서비스원 (S–D)")]
    for year in (2019, 2020, 2021, 2022):
        PastResult.objects.create(indicator=support(), year=year, value=D(82))  # as 2023
    response, _url, _data = without_fallback(client, scheme)
    assert response.status_code == 200
    assert ("지원사업횟수: 과거 실적에 변동이 없어 최고목표와 최저목표가 같습니다."
            in response.content.decode())
    assert scheme.items.get(indicator=support()).fallback != "none"


def test_past_results_are_entered_on_the_indicator_page(client, administrator):
    indicator = support()
    url = f"/admin/goals/indicator/{indicator.pk}/change/"
    data = change_form_data(client.get(url))
    data.update({"past_results-TOTAL_FORMS": "1", "past_results-0-year": "2022",
                 "past_results-0-value": "52", "past_results-0-note": "2022년 보고서"})
    response = client.post(url, data)
    assert response.status_code == 302, response.context and response.context["errors"]
    assert PastResult.objects.get(indicator=indicator).value == 52
    data["past_results-0-year"] = "2023"
    data["past_results-TOTAL_FORMS"] = "2"
    data.update({"past_results-1-year": "2023", "past_results-1-value": "80"})
    response = client.post(url, data)
    assert "2023년 실적은 2023년 계획의 성과지표" in response.content.decode()


def test_a_target_is_revised_in_the_admin_with_reason_and_approver(client, administrator,
                                                                   approver):
    target = Target.objects.get(indicator=support(), year=2024)
    url = f"/admin/goals/target/{target.pk}/change/"
    data = change_form_data(client.get(url))
    data.update({"revisions-TOTAL_FORMS": "1", "revisions-0-value": "70",
                 "revisions-0-reason": "", "revisions-0-approved_by": str(approver.pk),
                 "revisions-0-approved_on": "2024-06-30"})
    response = client.post(url, data)
    assert response.status_code == 200
    assert "변경 사유를 입력하세요." in response.content.decode()
    data["revisions-0-reason"] = "도 예산 삭감으로 사업 축소"
    response = client.post(url, data)
    assert response.status_code == 302, response.context and response.context["errors"]
    revision = TargetRevision.objects.get()
    assert (revision.value, revision.approved_by, target.in_force()) == (70, approver, 70)
    target.refresh_from_db()
    assert target.value == 60  # the original stays
    # The program page shows both beside the target, and keeps the original.
    program_url = f"/admin/goals/program/{target.indicator.program_id}/change/"
    response = client.get(program_url)
    assert "목표 변경: 당초 60회 → 변경 70회." in response.content.decode()
    data = change_form_data(response)
    data["indicators-0-target_2024"] = "65"
    response = client.post(program_url, data)
    assert response.status_code == 200
    assert "변경된 목표의 당초 값은 바꾸지 않습니다." in response.content.decode()
    assert Target.objects.get(pk=target.pk).value == 60


def test_only_the_institutions_approvers_can_be_chosen(client, administrator, approver):
    other = make_user(None, roles.APPROVER, "elsewhere")
    staff = make_user(administrator.institutions.first(), roles.STAFF, "kim")
    target = Target.objects.get(indicator=support(), year=2024)
    response = client.get(f"/admin/goals/target/{target.pk}/change/")
    choices = response.context["inline_admin_formsets"][0].formset.empty_form.fields[
        "approved_by"].queryset
    assert list(choices) == [approver]
    assert other not in choices and staff not in choices


def test_a_closed_years_target_cannot_be_revised(client, administrator):
    target = Target.objects.get(indicator__measurement="지원사업 횟수", year=2023)
    response = client.get(f"/admin/goals/target/{target.pk}/change/")
    assert not response.context["inline_admin_formsets"][0].has_add_permission


def test_the_program_page_warns_of_a_soft_target_beside_it(client, administrator, plan_2024):
    program = program_named(plan_2024, OUTSOURCING)
    page = client.get(f"/admin/goals/program/{program.pk}/change/").content.decode()
    assert "난이도 경고: 목표(60회)가 전년 실적(82회)보다 낮습니다." in page


# The plan import --------------------------------------------------------------------------


def exported(institution, year=2024):
    return render_xlsx(gather(institution, year))


def with_target(workbook, measurement, value):
    book = load_workbook(BytesIO(workbook))
    summary = book[layout.SUMMARY]
    columns = list(layout.SUMMARY_COLUMNS)
    for row in summary.iter_rows(min_row=layout.FIRST_ROW):
        if row[columns.index("measurement")].value == measurement:
            row[columns.index("target")].value = value
    out = BytesIO()
    book.save(out)
    out.seek(0)
    return out


def test_the_import_warns_of_soft_targets(institution):
    outcome = import_workbook(BytesIO(exported(institution)), institution)
    assert len(outcome.warnings) == 5
    assert "지원사업횟수: 목표(60회)가 전년 실적(82회)보다 낮습니다." in outcome.warnings
    outcome = import_workbook(with_target(exported(institution), "지원사업횟수", 85), institution)
    assert len(outcome.warnings) == 4
    assert Target.objects.get(indicator=support(), year=2024).value == 85


def test_the_upload_page_shows_the_warnings(client, institution, approver):
    client.force_login(approver)
    upload = BytesIO(exported(institution))
    upload.name = "2024.xlsx"
    response = client.post("/reports/jbsss/upload/", {"workbook": upload}, follow=True)
    assert "목표 난이도 경고: 지원사업횟수: 목표(60회)가 전년 실적(82회)보다 낮습니다." in text(response)


def test_the_import_keeps_a_revised_target(institution, approver):
    target = Target.objects.get(indicator=support(), year=2024)
    TargetRevision.objects.create(target=target, value=D(70), reason="조정", approved_by=approver,
                                  approved_on=date(2024, 6, 30))
    workbook = exported(institution)  # shows 70, the target in force
    outcome = import_workbook(BytesIO(workbook), institution)
    assert sum(outcome.counts.values()) == 0
    with pytest.raises(ImportFailed) as refused:
        import_workbook(with_target(workbook, "지원사업횟수", 75), institution)
    assert "변경된 목표입니다(당초 60, 변경 70)" in str(refused.value)
    with pytest.raises(ImportFailed):  # nor emptied
        import_workbook(with_target(workbook, "지원사업횟수", None), institution)
    target.refresh_from_db()
    assert (target.value, target.in_force()) == (60, 70)
