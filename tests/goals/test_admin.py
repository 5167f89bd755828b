"""The structure in the admin: a program with its indicators and targets on
one page; closed years and approved quarters stay as they are."""

from decimal import Decimal as D

import pytest
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from goals import roles
from goals.models import Category, Indicator, Period, Program, Result, Submission, Target
from goals.synthetic import build_synthetic_plan
from tests.support.admin_pages import administrator, change_form_data, make_administrator  # noqa: F401
from tests.support.entry_fixtures import OUTSOURCING, WORKING_CONDITIONS, program_named

pytestmark = pytest.mark.django_db


@pytest.fixture
def outsourcing(plan_2024):
    return program_named(plan_2024, OUTSOURCING)


def test_program_page_holds_indicators_targets_and_three_year_plan(client, administrator,
                                                                   outsourcing):
    response = client.get(f"/admin/goals/program/{outsourcing.pk}/change/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "지원사업횟수" in page
    assert "2024년 목표" in page and "2026년 목표" in page
    assert "소속시설 협력체계 강화" in page
    indicator_forms = response.context["inline_admin_formsets"][0].formset.forms
    assert indicator_forms[0]["target_2024"].value() == "60"


def test_changing_a_target_on_the_program_page_keeps_who_and_old_value(client, administrator,
                                                                       outsourcing):
    response = client.get(f"/admin/goals/program/{outsourcing.pk}/change/")
    data = change_form_data(response)
    data["indicators-0-target_2024"] = "65"
    data["unit_projects-1-target_2025"] = "상시"
    response = client.post(f"/admin/goals/program/{outsourcing.pk}/change/", data)
    assert response.status_code == 302, response.context and response.context["errors"]
    target = Target.objects.get(indicator__program=outsourcing, year=2024)
    assert target.value == 65
    previous = target.history.order_by("history_date")
    assert [record.value for record in previous] == [60, 65]
    assert previous.last().history_user == administrator
    unit = Target.objects.get(unit_project__program=outsourcing, unit_project__order=2, year=2025)
    assert (unit.value, unit.state) == (None, "상시")


def test_a_bad_target_is_refused_next_to_its_field(client, administrator, outsourcing):
    data = change_form_data(client.get(f"/admin/goals/program/{outsourcing.pk}/change/"))
    data["indicators-0-target_2024"] = "-5"
    data["unit_projects-0-target_2024"] = "30"
    response = client.post(f"/admin/goals/program/{outsourcing.pk}/change/", data)
    assert response.status_code == 200
    assert "0 이상이어야 합니다." in response.content.decode()
    # Nothing of the form was written.
    assert Target.objects.get(indicator__program=outsourcing, year=2024).value == 60
    assert Target.objects.get(unit_project__program=outsourcing, unit_project__order=1,
                              year=2024).value == 25


def test_a_closed_year_is_read_only_in_the_admin(client, administrator, institution):
    last_year = program_named(institution.plans.get(year=2023), OUTSOURCING)
    page = client.get(f"/admin/goals/program/{last_year.pk}/change/")
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    response = client.post(f"/admin/goals/program/{last_year.pk}/change/", {"name": "바꿈"})
    assert response.status_code == 403
    assert Program.objects.get(pk=last_year.pk).name == "수탁기관 운영 활성화 지원"


def test_an_approved_quarter_cannot_change_in_the_admin(client, administrator, outsourcing):
    indicator = outsourcing.indicators.get()
    result = Result.objects.create(indicator=indicator, period=Period.Q1, value=D(3))
    Submission.objects.create(program=outsourcing, quarter=1, status=Submission.Status.APPROVED)
    response = client.post(f"/admin/goals/result/{result.pk}/change/", {
        "indicator": indicator.pk, "period": 1, "value": "9", "state": "", "note": ""})
    assert response.status_code == 403
    response = client.post("/admin/goals/result/add/", {
        "unit_project": outsourcing.unit_projects.first().pk, "period": 1, "value": "9",
        "state": "", "note": ""})
    assert response.status_code == 200
    assert "승인된 분기의 실적은 바꿀 수 없습니다" in response.content.decode()
    assert Result.objects.get(pk=result.pk).value == 3
    assert Result.objects.count() == 1 + Result.objects.filter(
        indicator__program__category__plan__year=2023).count() + Result.objects.filter(
        unit_project__program__category__plan__year=2023).count()


def test_search_and_filters(client, administrator, institution):
    response = client.get("/admin/goals/indicator/", {"q": "만족도"})
    assert response.status_code == 200
    shown = list(response.context["cl"].result_list)
    assert {indicator.measurement for indicator in shown} == {"만족도 점수"}
    assert len(shown) == 2
    response = client.get("/admin/goals/indicator/", {"program__category__plan__year": "2024",
                                                      "is_new__exact": "1"})
    assert len(response.context["cl"].result_list) == Indicator.objects.filter(
        program__category__plan__year=2024, is_new=True).count() == 9


# Each institution's administrator keeps their own -----------------------------

@pytest.fixture
def elsewhere(db):
    """Another institution with a plan and an administrator of its own."""
    other = build_synthetic_plan(indicators=5, code="elsewhere")
    return other, make_administrator(other, "elsewhere-keeper")


def test_an_administrator_sees_only_their_institution(client, administrator, elsewhere,
                                                      outsourcing):
    other, keeper = elsewhere
    ours = client.get("/admin/goals/program/").context["cl"]
    assert {program.category.plan.institution for program in ours.result_list} == {
        outsourcing.category.plan.institution}
    client.force_login(keeper)
    theirs = client.get("/admin/goals/program/?q=수탁기관").context["cl"]
    assert theirs.result_count == 0
    assert [i.code for i in client.get("/admin/goals/institution/").context["cl"].result_list
            ] == ["elsewhere"]
    owners = client.get("/admin/autocomplete/", {"app_label": "goals", "model_name": "program",
                                                 "field_name": "owner", "term": "keeper"})
    assert [user["text"] for user in owners.json()["results"]] == ["elsewhere-keeper"]
    assert client.get(f"/admin/goals/program/{outsourcing.pk}/history/").status_code == 404


def test_another_institutions_category_is_not_a_choice(client, administrator, elsewhere):
    other, _keeper = elsewhere
    their_category = Category.objects.filter(plan__institution=other).first()
    response = client.post("/admin/goals/program/add/", {
        "category": their_category.pk, "number": 9, "name": "끼워넣기",
        **{f"{prefix}-{field}": value for prefix in
           ["indicators", "unit_projects", "headlines", "narratives"]
           for field, value in [("TOTAL_FORMS", 0), ("INITIAL_FORMS", 0)]}})
    assert response.status_code == 200
    assert "category" in response.context["adminform"].form.errors
    assert not Program.objects.filter(name="끼워넣기").exists()


def test_an_administrator_adds_users_to_their_institution_but_no_superusers(
        client, administrator, institution):
    response = client.post("/admin/auth/user/add/", {
        "username": "newcomer", "password1": "", "password2": "", "usable_password": "false"})
    assert response.status_code == 302
    newcomer = get_user_model().objects.get(username="newcomer")
    assert list(newcomer.institutions.all()) == [institution]
    page = client.get(f"/admin/auth/user/{newcomer.pk}/change/")
    data = {name: value for name, value in change_form_data(page).items() if value is not None}
    data.update(is_superuser="on", is_staff="on", first_name="새 직원",
                date_joined_0="2026-11-26", date_joined_1="09:00:00")
    response = client.post(f"/admin/auth/user/{newcomer.pk}/change/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    newcomer.refresh_from_db()
    assert (newcomer.first_name, newcomer.is_staff, newcomer.is_superuser) == (
        "새 직원", True, False)
    superuser = get_user_model().objects.create_superuser("root", password="pw")
    institution.members.add(superuser)
    assert client.get(f"/admin/auth/user/{superuser.pk}/password/").status_code == 404


def test_the_roles_are_not_changed_by_an_administrator(client, administrator):
    staff_role = roles.ensure_groups()[roles.STAFF]
    page = client.get(f"/admin/auth/group/{staff_role.pk}/change/")
    assert not page.context["has_change_permission"]  # shown to read
    response = client.post(f"/admin/auth/group/{staff_role.pk}/change/",
                           {"name": "담당자", "permissions": [1, 2, 3]})
    assert response.status_code == 403
    assert not staff_role.permissions.exists()


@pytest.mark.parametrize("sent", ["abc", ":", "99999999999999999999"])
def test_an_autocomplete_value_that_is_no_id_is_refused_beside_its_field(client, administrator,
                                                                         outsourcing, sent):
    # Django's autocomplete widget looked the sent text up as an id: a 500.
    indicator = outsourcing.indicators.get()
    result = Result.objects.create(indicator=indicator, period=Period.Q1, value=D(3))
    response = client.post(f"/admin/goals/result/{result.pk}/change/", {
        "indicator": sent, "period": 1, "value": "4", "state": "", "note": ""})
    assert response.status_code == 200
    assert "indicator" in response.context["adminform"].form.errors
    assert Result.objects.get(pk=result.pk).value == 3


def test_a_result_taken_off_its_indicator_is_refused(client, administrator, outsourcing):
    # Showing the refused form asked the result without an owner for its lock: a 500.
    result = Result.objects.create(indicator=outsourcing.indicators.get(), period=Period.Q1,
                                   value=D(3))
    response = client.post(f"/admin/goals/result/{result.pk}/change/", {
        "indicator": "", "unit_project": "", "period": 1, "value": "4", "state": "", "note": ""})
    assert response.status_code == 200
    assert response.context["adminform"].form.errors
    assert Result.objects.get(pk=result.pk).indicator_id == result.indicator_id


def indicator_data(client, indicator):
    response = client.get(f"/admin/goals/indicator/{indicator.pk}/change/")
    data = change_form_data(response)
    return {name: value for name, value in data.items() if value is not None}


def test_an_indicators_steps_are_a_list_of_short_texts(client, administrator, outsourcing):
    indicator = outsourcing.indicators.get()
    url = f"/admin/goals/indicator/{indicator.pk}/change/"
    # An emptied field means no steps of its own; it was stored as NULL: a 500.
    data = indicator_data(client, indicator)
    data["steps"] = ""
    assert client.post(url, data).status_code == 302
    assert Indicator.objects.get(pk=indicator.pk).steps == []
    for steps in ["5", '{"a": 1}', '["착수", 3]', '[""]', f'["{"가" * 51}"]']:
        data["steps"] = steps
        response = client.post(url, data)
        assert response.status_code == 200, steps
        assert "단계는 [&quot;미착수&quot;, &quot;추진중&quot;, &quot;구축완료&quot;]처럼 50자 " \
            "이내의 글을 순서대로 적습니다." in response.content.decode()
    data["steps"] = '["착수", "완료"]'
    assert client.post(url, data).status_code == 302
    assert Indicator.objects.get(pk=indicator.pk).milestone_steps == ["착수", "완료"]


@pytest.mark.parametrize("typed, message", [
    ("1e20", "전체 자릿수가 14 개를 넘지 않도록 해주세요."),  # Django's own messages
    ("0.001", "전체 유효자리 개수가 2 개를 넘지 않도록 해주세요."),
    ("가" * 51, "이 값이 최대 50 개의 글자인지 확인하세요"),
])
def test_a_target_the_database_cannot_hold_is_refused(client, administrator, outsourcing, typed,
                                                      message):
    # Stored as it was typed: PostgreSQL failed with a 500, SQLite kept it.
    data = change_form_data(client.get(f"/admin/goals/program/{outsourcing.pk}/change/"))
    data["indicators-0-target_2024"] = typed
    response = client.post(f"/admin/goals/program/{outsourcing.pk}/change/", data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Target.objects.get(indicator__program=outsourcing, year=2024).value == 60


@pytest.mark.parametrize("url", [
    "/admin/goals/program/?category__name=%00",
    "/admin/goals/indicator/?kind__exact=a%00",
    "/admin/goals/plan/?status__exact=%00",
    "/admin/auth/user/?q=%00",
    "/admin/autocomplete/?term=%00&app_label=goals&model_name=program&field_name=previous",
    "/admin/autocomplete/?term=%00&app_label=goals&model_name=program&field_name=owner",
])
def test_a_nul_in_the_query_string_is_a_bad_request(client, administrator, url):
    # PostgreSQL cannot compare text holding NUL: filters and searches were a 500.
    administrator.is_superuser = True
    administrator.save()
    response = client.get(url)
    assert response.status_code == 400
    assert "잘못된 요청" in response.content.decode()


def test_a_row_taking_the_place_of_a_stored_one_is_refused_beside_it(client, administrator,
                                                                     outsourcing):
    # Django leaves the program out of an inline row's constraint checks: a form
    # that does not list the stored row (here tampered) failed in the database.
    url = f"/admin/goals/program/{outsourcing.pk}/change/"
    data = change_form_data(client.get(url))
    data["indicators-INITIAL_FORMS"] = "0"
    response = client.post(url, data)
    assert response.status_code == 200
    assert "성과지표의 사업 또한 순서 은/는 이미 존재합니다." in response.content.decode()
    assert outsourcing.indicators.count() == 1


@pytest.mark.parametrize("typed", ["sNaN", "NaN", "-Infinity"])
def test_a_decimal_that_is_no_number_is_refused_beside_its_field(client, administrator,
                                                                 outsourcing, typed):
    # Django compared "sNaN" with the initial value before checking it: a 500.
    indicator = outsourcing.indicators.get()
    url = f"/admin/goals/indicator/{indicator.pk}/change/"
    data = indicator_data(client, indicator)
    data["targets-0-value"] = typed
    response = client.post(url, data)
    assert response.status_code == 200
    assert "숫자를 입력하세요." in response.content.decode()
    result = Result.objects.create(indicator=indicator, period=Period.Q1, value=D(3))
    response = client.post(f"/admin/goals/result/{result.pk}/change/", {
        "indicator": indicator.pk, "period": 1, "value": typed, "state": "", "note": ""})
    assert response.status_code == 200
    assert Result.objects.get(pk=result.pk).value == 3


def test_the_institution_filter_offers_only_ones_own(client, administrator, elsewhere):
    their_name = elsewhere[0].name
    urls = ["/admin/goals/program/", "/admin/goals/plan/", "/admin/goals/generalstatus/"]
    for url in urls:
        assert their_name not in client.get(url).content.decode(), url
    client.force_login(get_user_model().objects.create_superuser("root", password="pw"))
    assert their_name in client.get(urls[0]).content.decode()


def test_another_administrator_cannot_post_to_our_pages(client, administrator, elsewhere,
                                                        outsourcing):
    data = change_form_data(client.get(f"/admin/goals/program/{outsourcing.pk}/change/"))
    data["name"] = "바뀐 이름"
    client.force_login(elsewhere[1])
    response = client.post(f"/admin/goals/program/{outsourcing.pk}/change/", data)
    assert (response.status_code, response["Location"]) == (302, "/admin/")
    assert Program.objects.get(pk=outsourcing.pk).name == "수탁기관 운영 활성화 지원"


def test_a_past_version_is_read_not_restored(client, administrator, outsourcing):
    submission = Submission.objects.create(program=outsourcing, quarter=1)
    version = submission.history.latest().history_id
    submission.status = Submission.Status.APPROVED
    submission.save()
    url = f"/admin/goals/submission/{submission.pk}/history/{version}/"
    past = client.get(url)
    assert past.context["adminform"].form["status"].value() == Submission.Status.DRAFT
    assert client.post(url, {"program": outsourcing.pk, "quarter": 1,
                             "status": "draft"}).status_code == 403
    assert Submission.objects.get(pk=submission.pk).status == Submission.Status.APPROVED


def test_a_user_of_another_institution_too_is_not_ours_to_keep(client, administrator,
                                                               institution, elsewhere):
    shared = get_user_model().objects.create_user("shared", password="pw")
    institution.members.add(shared)
    elsewhere[0].members.add(shared)
    assert client.get(f"/admin/auth/user/{shared.pk}/password/").status_code == 404
    assert client.get(f"/admin/auth/user/{shared.pk}/change/")["Location"] == "/admin/"


def test_an_administrator_gives_roles_only(client, administrator, institution):
    Group.objects.create(name="모든 권한")
    member = get_user_model().objects.create_user("member", password="pw")
    institution.members.add(member)
    form = client.get(f"/admin/auth/user/{member.pk}/change/").context["adminform"].form
    assert sorted(group.name for group in form.fields["groups"].queryset) == sorted(roles.ROLES)


def test_other_institutions_names_are_not_in_the_filters(client, administrator, elsewhere):
    their_categories = Category.objects.filter(plan__institution=elsewhere[0])
    page = client.get("/admin/goals/program/").content.decode()
    assert all(category.name not in page for category in their_categories)
    assert "2023" in page  # our years are offered


def test_the_roles_and_their_permissions_come_with_the_database():
    administrator_role = Group.objects.get(name=roles.ADMINISTRATOR)
    codenames = set(administrator_role.permissions.values_list("codename", flat=True))
    assert {"change_program", "change_user", "view_group"} <= codenames
    assert "change_group" not in codenames
    assert Group.objects.filter(name__in=roles.ROLES).count() == len(roles.ROLES)


def test_no_list_asks_the_database_once_a_row(client, institution):
    # A superuser sees both institutions, so each list holds a few rows, then a page of them.
    client.force_login(get_user_model().objects.create_superuser("root", password="pw"))
    urls = [f"/admin/goals/{model._meta.model_name}/" for model in admin.site._registry
            if model._meta.app_label == "goals"]

    def counts():
        found = {}
        for url in urls:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            found[url] = len(queries)
        return found

    outsourcing = program_named(institution.plans.get(year=2024), OUTSOURCING)
    Submission.objects.create(program=outsourcing, quarter=1)
    with_document = counts()
    build_synthetic_plan(indicators=150, code="big")  # with quarters entered and submitted
    assert counts() == with_document


def test_a_target_its_indicator_cannot_reach_is_refused(client, administrator, plan_2024):
    # The workbook import refused these; the admin took them.
    program = program_named(plan_2024, WORKING_CONDITIONS)
    rate = program.indicators.get(kind="rate")
    url = f"/admin/goals/program/{program.pk}/change/"
    data = change_form_data(client.get(url))
    index = next(i for i in range(10) if str(data.get(f"indicators-{i}-id")) == str(rate.pk))
    data[f"indicators-{index}-target_2024"] = "250"
    response = client.post(url, data)
    assert response.status_code == 200
    assert "100" in str(response.context["inline_admin_formsets"][0].formset.forms[index]
                        .errors["target_2024"])
    assert Target.objects.get(indicator=rate, year=2024).value != 250

    count_target = Target.objects.filter(indicator__program=program, year=2024,
                                         indicator__kind="count").first()
    url = f"/admin/goals/indicator/{count_target.indicator_id}/change/"
    data = change_form_data(client.get(url))
    index = next(i for i in range(10) if str(data.get(f"targets-{i}-id")) == str(count_target.pk))
    data[f"targets-{index}-value"] = "2.5"
    response = client.post(url, data)
    assert response.status_code == 200
    assert "건수·횟수는 정수로 입력하세요." in response.content.decode()
    assert Target.objects.get(pk=count_target.pk).value == count_target.value


# Forms that show a subset keep the rest (issue 14, finding 3) ---------------------


def form_data(response):
    """The change page's form as the browser sends it back: a choice the
    page does not offer is not sent."""
    data = change_form_data(response)
    form = response.context["adminform"].form
    for name, field in form.fields.items():
        if not hasattr(field, "queryset") or name not in data:
            continue
        offered = {str(pk) for pk in field.queryset.values_list("pk", flat=True)}
        if isinstance(data[name], list):
            data[name] = [str(value) for value in data[name] if str(value) in offered]
        elif str(data[name]) not in offered:
            data[name] = ""
    return data


def test_saving_the_institution_keeps_members_the_form_does_not_show(
        client, administrator, institution, elsewhere):
    shared = get_user_model().objects.create_user("shared", password="pw")
    institution.members.add(shared)
    elsewhere[0].members.add(shared)
    superuser = get_user_model().objects.create_superuser("root", password="pw")
    institution.members.add(superuser)
    before = set(institution.members.all())
    url = f"/admin/goals/institution/{institution.pk}/change/"
    response = client.get(url)
    offered = set(response.context["adminform"].form.fields["members"].queryset)
    assert shared not in offered and superuser not in offered
    data = form_data(response)
    data["address"] = "전주시"
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert set(institution.members.all()) == before
    assert institution.history.first().address == "전주시"


def test_a_member_the_administrator_removes_is_removed(client, administrator, institution):
    leaving = get_user_model().objects.create_user("leaving", password="pw")
    institution.members.add(leaving)
    url = f"/admin/goals/institution/{institution.pk}/change/"
    data = form_data(client.get(url))
    data["members"] = [pk for pk in data["members"] if pk != str(leaving.pk)]
    assert client.post(url, data).status_code == 302
    assert leaving not in institution.members.all()


def test_saving_a_program_keeps_an_owner_the_form_does_not_offer(
        client, administrator, institution, elsewhere, outsourcing):
    shared = get_user_model().objects.create_user("shared", password="pw")
    institution.members.add(shared)
    elsewhere[0].members.add(shared)
    Program.objects.filter(pk=outsourcing.pk).update(owner=shared)
    url = f"/admin/goals/program/{outsourcing.pk}/change/"
    data = form_data(client.get(url))
    data["purpose"] = "목적을 고침"
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    outsourcing.refresh_from_db()
    assert (outsourcing.owner, outsourcing.purpose) == (shared, "목적을 고침")


def test_saving_a_user_keeps_the_groups_the_form_does_not_offer(client, administrator,
                                                                institution):
    extra = Group.objects.create(name="감사 담당")
    member = get_user_model().objects.create_user("member", password="pw")
    institution.members.add(member)
    member.groups.add(extra, roles.ensure_groups()[roles.STAFF])
    url = f"/admin/auth/user/{member.pk}/change/"
    data = form_data(client.get(url))
    data.update(first_name="새 이름", date_joined_0="2026-11-26", date_joined_1="09:00:00")
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert set(member.groups.values_list("name", flat=True)) == {"감사 담당", roles.STAFF}
