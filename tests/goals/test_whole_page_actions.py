"""Issue 13: one 저장 for the whole entry page (all or nothing, problems beside
their fields), 모두 제출 with a page that names what will lock, and the
approver approving several programs at once, each recorded on its own."""

import pytest

from goals import entry
from goals.models import Result, Submission
from tests.support.entry_fixtures import (approver, entry_url, form_data, outsider,  # noqa: F401
                                  outsourcing, staff, working_conditions)
from tests.support.entry_fixtures import fill_quarter

pytestmark = pytest.mark.django_db


def page_data(client, *programs, quarter=1):
    response = client.get(entry_url(quarter))
    data = {}
    for program in programs:
        data.update(form_data(response, program))
    return data


def first_input(program):
    return entry.inputs_of(list(program.indicators.order_by("pk")),
                           list(program.unit_projects.order_by("pk")))[-1]


def stored(owner):
    return Result.objects.filter(period=1, **{
        "unit_project" if hasattr(owner, "group") else "indicator": owner}).first()


def name(program, owner, kind="value"):
    return f"p{program.pk}-{kind}_{entry.key_of(owner)}"


def test_one_save_keeps_both_programs(client, staff, outsourcing, working_conditions):
    client.force_login(staff)
    unit = outsourcing.unit_projects.order_by("pk").first()
    indicator = first_input(working_conditions)
    data = page_data(client, outsourcing, working_conditions)
    data[name(outsourcing, unit)] = "3"
    data[name(working_conditions, indicator)] = "2"
    response = client.post("/jbsss/2024/entry/1/save/", data)
    assert response.status_code == 302
    assert Result.objects.get(unit_project=unit, period=1).value == 3
    assert stored(indicator).value == 2


def test_one_bad_value_saves_nothing_and_is_shown_beside_its_field(
        client, staff, outsourcing, working_conditions):
    client.force_login(staff)
    unit = outsourcing.unit_projects.order_by("pk").first()
    indicator = first_input(working_conditions)
    data = page_data(client, outsourcing, working_conditions)
    data[name(outsourcing, unit)] = "3"
    data[name(working_conditions, indicator)] = "세 번"
    response = client.post("/jbsss/2024/entry/1/save/", data)
    assert response.status_code == 400
    assert not Result.objects.filter(period=1).exists()
    page = response.content.decode()
    assert "아무 값도 저장되지 않았습니다" in page and working_conditions.name in page
    assert f'id="id_{name(working_conditions, indicator)}_error"' in page
    # What was typed comes back in its field.
    assert 'value="3"' in page


def test_submit_all_names_what_will_lock_and_submits_the_complete_ones(
        client, staff, outsourcing, working_conditions):
    fill_quarter(outsourcing, 1, staff)
    client.force_login(staff)
    page = client.get("/jbsss/2024/entry/1/submit/").content.decode()
    assert "제출하면 승인자가 검토하는 동안 값과 증빙을 바꿀 수 없습니다" in page
    ready = page[:page.index("빈 값이 있어 제출하지 않는 사업")]
    assert outsourcing.name in ready and working_conditions.name not in ready
    response = client.post("/jbsss/2024/entry/1/submit/")
    assert response.status_code == 302
    assert Submission.objects.get(program=outsourcing, quarter=1).status == "submitted"
    assert not Submission.objects.filter(program=working_conditions, quarter=1,
                                         status="submitted").exists()


def test_submit_all_with_nothing_ready_is_refused(client, staff, working_conditions):
    client.force_login(staff)
    response = client.post("/jbsss/2024/entry/1/submit/", follow=True)
    assert "제출할 수 있는 사업이 없습니다" in response.content.decode()


def test_the_approver_approves_two_at_once_each_in_its_history(
        client, staff, approver, outsourcing, working_conditions):
    for program in (outsourcing, working_conditions):
        fill_quarter(program, 1, staff)
        entry.submit(staff, program, 1)
    client.force_login(approver)
    response = client.post("/jbsss/2024/approval/1/approve/",
                           {"program": [outsourcing.pk, working_conditions.pk]}, follow=True)
    assert "2개 사업을 승인했습니다" in response.content.decode()
    for program in (outsourcing, working_conditions):
        submission = Submission.objects.get(program=program, quarter=1)
        assert submission.status == "approved"
        assert submission.history.filter(status="approved").count() == 1


@pytest.mark.parametrize("case, message", [
    ("draft", "제출된 분기만 승인할 수 있습니다"),
    ("other institution", "이 계획의 사업이 아닌 것이 있습니다. 아무것도 승인하지 않았습니다."),
    ("garbage", "알 수 없는 사업이 있습니다. 아무것도 승인하지 않았습니다."),
    ("nothing", "승인할 사업을 고르세요.")])
def test_bulk_approval_with_a_bad_id_changes_nothing(
        client, staff, approver, outsourcing, working_conditions, case, message):
    from goals.synthetic import build_synthetic_plan
    from goals.models import Program

    fill_quarter(outsourcing, 1, staff)
    entry.submit(staff, outsourcing, 1)
    other = {"draft": working_conditions.pk, "garbage": "x1"}.get(case)
    if case == "other institution":
        build_synthetic_plan(indicators=4, code="elsewhere")
        other = Program.objects.filter(category__plan__institution__code="elsewhere").first().pk
    client.force_login(approver)
    data = {"program": [outsourcing.pk, other] if other else []}
    response = client.post("/jbsss/2024/approval/1/approve/", data, follow=True)
    page = response.content.decode()
    assert message in page
    assert Submission.objects.get(program=outsourcing, quarter=1).status == "submitted"
    assert not Submission.objects.filter(status="approved").exists()


def test_the_approver_filters_to_what_waits(client, staff, approver, outsourcing,
                                            working_conditions):
    fill_quarter(outsourcing, 1, staff)
    entry.submit(staff, outsourcing, 1)
    client.force_login(approver)
    page = client.get("/jbsss/2024/approval/1/?status=submitted").content.decode()
    assert f'id="program-{outsourcing.pk}"' in page
    assert f'id="program-{working_conditions.pk}"' not in page
