"""Staff enter a quarter's results in the browser: checked, all or nothing,
with who and why kept, and nothing lost when two people save the same value."""

from decimal import Decimal as D

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from goals import entry
from goals.history import result_changes
from goals.models import Indicator, Period, Plan, Program, Result, Submission
from goals.selectors import EVERYTHING, year_figures
from goals.synthetic import build_synthetic_plan
from tests.support.entry_fixtures import (CARE, PASSWORD, care, entry_url, field_name, fill,  # noqa: F401
                                  fill_quarter, form_data, make_user, other_staff, outsourcing, program_named,
                                  save_url, section_of, staff, working_conditions)

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


def units(program):
    return list(program.unit_projects.order_by("order"))


def stored(owner, quarter=1):
    result = Result.objects.filter(unit_project=owner, period=quarter).first()
    return result.value if result else None


def test_the_page_shows_my_programs_with_target_so_far_and_last_quarter(
        staff_client, outsourcing, care):
    first, second = units(outsourcing)[:2]
    Result.objects.create(unit_project=first, period=Period.Q1, value=D(7))
    Result.objects.create(unit_project=second, period=Period.Q1, value=D(5))
    response = staff_client.get(entry_url(2))
    assert response.status_code == 200
    page = response.content.decode()
    assert [section["quarter"].program.name for section in response.context["sections"]] == [
        outsourcing.name]  # not 돌봄, another staff member's
    assert CARE not in page
    form = section_of(response, outsourcing)["form"]
    rows = form.groups[0][1]
    assert [row.line.name for row in rows] == [unit.name for unit in units(outsourcing)]
    first_row = rows[0]
    assert (first_row.line.target, first_row.line.cumulative, first_row.line.last_quarter) == (
        D(25), D(7), D(7))
    # The indicator's own line: its target, and Q1 made of its unit projects (7 + 5).
    total = form.groups[0][0].total
    assert (total.target, total.last_quarter, total.cumulative) == (D(60), D(12), D(12))
    assert "60회" in page and "12회" in page
    # Every input has a label.
    assert f'<label for="id_p{outsourcing.pk}-value_u{first.pk}">{first.name}</label>' in page
    assert f'for="id_p{outsourcing.pk}-note_u{first.pk}"' in page


def test_saving_unit_projects_makes_the_indicators_quarter(staff_client, outsourcing):
    values = dict(zip(units(outsourcing), ["7", "5", "0", "1", "0", "2", "0", "1"]))
    response = fill(staff_client, outsourcing, values)
    assert response.status_code == 302
    assert response["Location"] == f"{entry_url()}#program-{outsourcing.pk}"
    assert [stored(unit) for unit in units(outsourcing)] == [7, 5, 0, 1, 0, 2, 0, 1]
    figure = next(f for f in year_figures(outsourcing.category.plan.institution, 2024,
                                          quarter=1, shown=EVERYTHING).indicators
                  if f.indicator.program_id == outsourcing.pk)
    assert figure.quarters[1] == 16
    page = staff_client.get(entry_url()).content.decode()
    assert "값 8개를 저장했습니다" in page
    assert 'data-total="i' in page and "16회</td>" in page
    result = Result.objects.get(unit_project=units(outsourcing)[0], period=1)
    assert result.updated_by.username == "kim"


def test_a_bad_value_is_refused_beside_its_field_and_nothing_is_saved(staff_client, outsourcing):
    first, second, third = units(outsourcing)[:3]
    response = fill(staff_client, outsourcing, {first: "7", second: "3.5", third: "다섯"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "건수·횟수는 정수로 입력하세요." in page
    assert "숫자를 입력하세요" in page and "다섯" in page
    assert "아무 값도 저장되지 않았습니다" in page
    second_id = f"id_p{outsourcing.pk}-value_u{second.pk}"
    assert f'aria-invalid="true" aria-describedby="{second_id}_error"' in page
    assert f'id="{second_id}_error"' in page
    assert Result.objects.filter(unit_project__program=outsourcing).count() == 0
    # What was typed stays in the fields, to be corrected.
    assert 'value="3.5"' in page and 'value="7"' in page


def test_a_number_beyond_any_decimal_is_too_large_not_an_error(staff_client, outsourcing):
    # abs() of 1e999999999 overflows Python's decimal context: it was a 500.
    first, second = units(outsourcing)[:2]
    response = fill(staff_client, outsourcing, {first: "1e999999999", second: "-1e999999999"})
    assert response.status_code == 400
    assert "값이 너무 큽니다." in response.content.decode()
    assert not Result.objects.filter(unit_project__program=outsourcing).exists()
    data = form_data(staff_client.get(entry_url()), outsourcing)
    data[field_name(outsourcing, "value", first)] = "3"
    data[field_name(outsourcing, "read_value", first)] = "1e999999999"
    assert staff_client.post(save_url(outsourcing), data).status_code == 302
    assert stored(first) == 3


def test_a_rate_has_one_decimal_and_at_most_100(staff_client, working_conditions):
    direct, treatment, welfare = units(working_conditions)
    response = fill(staff_client, working_conditions, {direct: "100.5", treatment: "1"})
    assert "100 이하여야 합니다." in response.content.decode()
    response = fill(staff_client, working_conditions, {direct: "88.35", treatment: "1"})
    assert "소수점 첫째 자리까지" in response.content.decode()
    response = fill(staff_client, working_conditions, {direct: "-1"})
    assert "0 이상이어야 합니다." in response.content.decode()
    assert Result.objects.filter(unit_project__program=working_conditions).count() == 0
    assert fill(staff_client, working_conditions, {direct: "88.3", treatment: "1,234"}
                ).status_code == 302
    assert (stored(direct), stored(treatment)) == (D("88.3"), 1234)


def test_unit_projects_counting_towards_no_indicator_have_inputs(client, care, other_staff):
    client.force_login(other_staff)
    response = client.get(entry_url())
    form = section_of(response, care)["form"]
    assert [row.line.name for row in form.loose] == [
        "돌봄대상자", "사회서비스 연계상담", "위기가구 발굴 및 네트워크 강화활동"]
    assert "성과지표에 집계되지 않는 단위사업" in response.content.decode()
    target = form.loose[0].line.owner
    assert fill(client, care, {target: "30"}).status_code == 302
    assert stored(target) == 30


def test_clearing_a_value_deletes_it_and_history_keeps_it(staff_client, outsourcing):
    first = units(outsourcing)[0]
    fill(staff_client, outsourcing, {first: "7"}, {first: "현장 점검"})
    assert Result.objects.get(unit_project=first).note == "현장 점검"
    assert fill(staff_client, outsourcing, {first: ""}).status_code == 302
    assert not Result.objects.filter(unit_project=first).exists()
    change = result_changes(program=outsourcing)[0]
    assert (change.kind, change.old, change.new, change.who) == ("삭제", "7", "", "김담당")


def test_a_note_needs_a_value(staff_client, outsourcing):
    first = units(outsourcing)[0]
    response = fill(staff_client, outsourcing, {}, {first: "메모만"})
    assert response.status_code == 400
    assert "비고를 남기려면 값을 입력하세요." in response.content.decode()


def test_history_keeps_who_old_new_and_the_reason(staff_client, outsourcing):
    first = units(outsourcing)[0]
    fill(staff_client, outsourcing, {first: "7"})
    fill(staff_client, outsourcing, {first: "9"}, reason="오타 수정")
    indicator = outsourcing.indicators.get()
    changes = result_changes(indicator)
    assert [(c.kind, c.old, c.new, c.who, c.period) for c in changes] == [
        ("수정", "7", "9", "김담당", "1분기"), ("입력", "", "7", "김담당", "1분기")]
    assert changes[0].reason == "실적 입력 화면: 오타 수정"
    assert changes[1].reason == "실적 입력 화면"


def test_two_sessions_saving_the_same_value(outsourcing, staff):
    """The second to save is told who saved what first, and sees it; nothing
    of theirs is written until they save again, knowingly."""
    first, second = units(outsourcing)[:2]
    one, two = Client(), Client()
    for session in (one, two):  # two browsers, each logging in through the page
        assert session.post("/accounts/login/", {"username": "kim",
                                                 "password": PASSWORD}).status_code == 302
    first_page = form_data(one.get(entry_url()), outsourcing)
    second_page = form_data(two.get(entry_url()), outsourcing)

    first_page[field_name(outsourcing, "value", first)] = "5"
    assert one.post(save_url(outsourcing), first_page).status_code == 302
    second_page[field_name(outsourcing, "value", first)] = "7"
    second_page[field_name(outsourcing, "value", second)] = "3"
    response = two.post(save_url(outsourcing), second_page)
    assert response.status_code == 400
    page = response.content.decode()
    assert "김담당님이" in page and "먼저 5(으)로 저장했습니다" in page and "입력한 값은 7" in page
    assert stored(first) == 5 and stored(second) is None  # all or nothing

    # Saving the form again, having seen the other value, is deliberate.
    again = form_data(response, outsourcing)
    assert again[field_name(outsourcing, "value", first)] == "7"
    assert again[field_name(outsourcing, "version", first)] in (1, "1")
    assert two.post(save_url(outsourcing), again).status_code == 302
    assert (stored(first), stored(second)) == (7, 3)


def test_a_value_someone_else_changed_is_not_overwritten_by_an_untouched_field(
        outsourcing, staff):
    first, second = units(outsourcing)[:2]
    one, two = Client(), Client()
    one.force_login(staff)
    two.force_login(staff)
    stale = form_data(two.get(entry_url()), outsourcing)
    fill(one, outsourcing, {first: "5"})
    stale[field_name(outsourcing, "value", second)] = "3"
    assert two.post(save_url(outsourcing), stale).status_code == 302
    assert (stored(first), stored(second)) == (5, 3)


def test_the_service_compares_versions(outsourcing, staff):
    first = units(outsourcing)[0]
    key = entry.key_of(first)
    assert entry.save_quarter(staff, outsourcing, 1, [entry.Entry(key, "4")]).changed == 1
    outcome = entry.save_quarter(staff, outsourcing, 1, [entry.Entry(key, "6", version=0)])
    assert not outcome.ok and outcome.problems[0].conflict
    assert outcome.problems[0].current.value == 4
    assert entry.save_quarter(staff, outsourcing, 1, [entry.Entry(key, "6", version=1)]).ok
    assert stored(first) == 6


def test_submitting_needs_every_value_and_then_freezes_the_quarter(staff_client, outsourcing):
    all_units = units(outsourcing)
    fill(staff_client, outsourcing, {unit: "1" for unit in all_units[:-1]})
    response = staff_client.post(f"{save_url(outsourcing)}submit/", follow=True)
    page = response.content.decode()
    assert "빈 값이 있어 제출할 수 없습니다: 분야별 매뉴얼 발간" in page
    assert not Submission.objects.filter(program=outsourcing, status="submitted").exists()

    fill(staff_client, outsourcing, {all_units[-1]: "0"})
    response = staff_client.post(f"{save_url(outsourcing)}submit/", follow=True)
    assert "1분기를 제출했습니다" in response.content.decode()
    submission = Submission.objects.get(program=outsourcing, quarter=1)
    assert submission.status == Submission.Status.SUBMITTED
    assert submission.history.first().history_user.username == "kim"

    # Submitted: no inputs on the page, and a crafted post changes nothing.
    response = staff_client.get(entry_url())
    page = response.content.decode()
    assert f'name="p{outsourcing.pk}-value_u' not in page
    assert "제출한 분기입니다. 값을 바꾸려면 승인자에게 반려를 요청하세요." in page
    data = {f"p{outsourcing.pk}-value_u{all_units[0].pk}": "9",
            f"p{outsourcing.pk}-version_u{all_units[0].pk}": "1"}
    response = staff_client.post(save_url(outsourcing), data)
    assert response.status_code == 400
    assert "제출한 분기입니다" in response.content.decode()
    assert stored(all_units[0]) == 1


def test_a_closed_year_takes_no_entry(client, institution, staff):
    last_year = program_named(institution.plans.get(year=2023), "수탁기관 운영 활성화 지원")
    last_year.owner = staff
    Plan.objects.filter(pk=last_year.category.plan_id).update(status="confirmed")
    last_year.save()
    Plan.objects.filter(pk=last_year.category.plan_id).update(status="closed")
    client.force_login(staff)
    page = client.get("/jbsss/2023/entry/4/").content.decode()
    assert "마감된 연도입니다. 실적을 바꿀 수 없습니다." in page
    assert 'name="p' not in page
    unit = last_year.unit_projects.first()
    response = client.post(f"/jbsss/2023/entry/4/{last_year.pk}/", {
        f"p{last_year.pk}-value_u{unit.pk}": "99"})
    assert response.status_code == 400
    assert not Result.objects.filter(unit_project=unit, period=4, value=99).exists()


def test_only_quarters_one_to_four(staff_client, outsourcing):
    assert staff_client.get(entry_url(5)).status_code == 404
    assert staff_client.get(entry_url(0)).status_code == 404
    assert staff_client.get("/jbsss/2024/entry/").status_code == 302


def test_a_tampered_field_of_another_program_changes_nothing(staff_client, outsourcing, care):
    data = form_data(staff_client.get(entry_url()), outsourcing)
    their_unit = care.unit_projects.first()
    data[f"p{outsourcing.pk}-value_u{their_unit.pk}"] = "5"
    data[f"p{care.pk}-value_u{their_unit.pk}"] = "5"
    staff_client.post(save_url(outsourcing), data)
    assert not Result.objects.filter(unit_project=their_unit).exists()
    # Through the service, another program's input is refused outright.
    with pytest.raises(Exception) as refused:
        entry.save_quarter(outsourcing.owner, outsourcing, 1,
                           [entry.Entry(entry.key_of(their_unit), "5")])
    assert refused.type.__name__ == "PermissionDenied"


def query_count(client, url):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


def test_the_entry_page_costs_the_same_queries_at_500_indicators(client, plan_2024, institution):
    owner = make_user(institution, "담당자", "everything", "모든 사업 담당")
    Program.objects.filter(category__plan=plan_2024).update(owner=owner)
    client.force_login(owner)
    query_count(client, entry_url())  # sessions and caches warm
    document = query_count(client, entry_url())
    big = build_synthetic_plan(indicators=500)
    big.members.add(owner)
    Program.objects.filter(category__plan__institution=big, category__plan__year=2024).update(
        owner=owner)
    response = client.get("/synthetic/2024/entry/1/")
    assert sum(len(section["quarter"].lines) for section in response.context["sections"]) == 500
    assert query_count(client, "/synthetic/2024/entry/1/") == document


def test_a_milestone_is_chosen_from_its_steps(staff_client, outsourcing):
    milestone = Indicator.objects.create(
        program=outsourcing, order=2, measurement="정보공시제 진척도", kind="milestone",
        rollup="latest", unit="", steps=["미착수", "설계", "구축완료"])
    page = staff_client.get(entry_url()).content.decode()
    field = f"p{outsourcing.pk}-value_i{milestone.pk}"
    assert f'<select name="{field}" id="id_{field}" form="entry-form">' in page
    assert '<option value="설계">설계</option>' in page
    response = fill(staff_client, outsourcing, {milestone: "끝"})
    assert "다음 단계 중 하나를 고르세요: 미착수, 설계, 구축완료" in response.content.decode()
    assert fill(staff_client, outsourcing, {milestone: "설계"}).status_code == 302
    result = Result.objects.get(indicator=milestone, period=1)
    assert (result.value, result.state) == (None, "설계")
    assert '<option value="설계" selected>' in staff_client.get(entry_url()).content.decode()


def test_a_submitted_quarter_reads_as_cards_with_their_names_on_a_narrow_screen(
        staff_client, staff, outsourcing):
    """The read-only table of a submitted quarter names every cell, as the
    inputs' rows do: a narrow screen writes the name before the value."""
    fill_quarter(outsourcing, 1, staff, value="2")
    Submission.objects.update_or_create(program=outsourcing, quarter=1,
                                        defaults={"status": Submission.Status.SUBMITTED})
    page = staff_client.get(entry_url()).content.decode()
    section = page[page.index(f'id="program-{outsourcing.pk}"'):]
    section = section[:section.index("</table>")]
    assert "<input" not in section  # read only
    for name in ("연간 목표", "누계", "전분기", "1분기 실적", "비고", "마지막 저장"):
        assert f'data-label="{name}"' in section, name
    assert 'data-label="1분기 실적">2회</td>' in section


@pytest.mark.parametrize("code", ["jbsss", "987654321"])
def test_each_programs_forms_post_to_its_own_quarter(client, staff, outsourcing,
                                                    working_conditions, code):
    """The page writes each program's URLs from one reversed a page; an
    institution whose code is the number standing in for the program id is
    reversed a program at a time."""
    outsourcing.category.plan.institution.__class__.objects.filter(code="jbsss").update(code=code)
    client.force_login(staff)
    page = client.get(f"/{code}/2024/entry/2/").content.decode()
    for program in (outsourcing, working_conditions):
        for action in ("submit/", "execution/", "evidence/"):
            assert page.count(f'action="/{code}/2024/entry/2/{program.pk}/{action}"') == 1, (
                program, action)
