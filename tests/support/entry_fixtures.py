"""Users, programs and form helpers shared by the tests; the admin's are in admin_pages."""

import pytest
from django.contrib.auth import get_user_model

from goals import entry, roles
from goals.models import Institution, Program

PASSWORD = "pw-entry-1"
OUTSOURCING = "수탁기관 운영 활성화 지원"  # eight unit projects counting towards 지원사업횟수
WORKING_CONDITIONS = "종사자 근로조건 향상"  # a rate (직접고용비율) and a count
CARE = "전북형 돌봄 체계화 및 고도화"  # unit projects that count towards no indicator


def make_user(institution, role, username, name=""):
    user = get_user_model().objects.create_user(username, password=PASSWORD, first_name=name)
    if role:
        user.groups.add(roles.ensure_groups()[role])
    if institution is not None:
        institution.members.add(user)
    return user


def program_named(plan, name):
    return Program.objects.select_related("category__plan__institution").get(
        category__plan=plan, name=name)


@pytest.fixture
def staff(institution):
    return make_user(institution, roles.STAFF, "kim", "김담당")


@pytest.fixture
def other_staff(institution):
    return make_user(institution, roles.STAFF, "lee", "이담당")


@pytest.fixture
def approver(institution):
    return make_user(institution, roles.APPROVER, "park", "박팀장")


@pytest.fixture
def director(client, institution):
    """The institution's director (원장), logged in on `client`."""
    user = make_user(institution, roles.DIRECTOR, "director")
    client.force_login(user)
    return user


@pytest.fixture
def outsider(institution):
    other = Institution.objects.create(code="other", name="다른 기관")
    return make_user(other, roles.STAFF, "outsider", "외부인")


def owned(plan, name, owner):
    program = program_named(plan, name)
    program.owner = owner
    program.save()
    return program


@pytest.fixture
def outsourcing(plan_2024, staff):
    return owned(plan_2024, OUTSOURCING, staff)


@pytest.fixture
def working_conditions(plan_2024, staff):
    return owned(plan_2024, WORKING_CONDITIONS, staff)


@pytest.fixture
def care(plan_2024, other_staff):
    return owned(plan_2024, CARE, other_staff)


def entry_url(quarter=1):
    return f"/jbsss/2024/entry/{quarter}/"


def save_url(program, quarter=1):
    return f"/jbsss/2024/entry/{quarter}/{program.pk}/"


def section_of(response, program):
    return next(section for section in response.context["sections"]
                if section["quarter"].program.pk == program.pk)


def form_data(response, program):
    """The program's quarter form as the browser would send it back untouched."""
    form = section_of(response, program)["form"]
    data = {}
    for name in form.fields:
        value = form[name].value()
        data[form.add_prefix(name)] = "" if value is None else value
    return data


def field_name(program, kind, owner):
    """p15-value_u10: the form field of an input."""
    key = f"{'u' if hasattr(owner, 'group') else 'i'}{owner.pk}"
    return f"p{program.pk}-{kind}_{key}"


def fill(client, program, values, notes=None, quarter=1, reason="", confirm=True):
    """Open the entry page, type `values` ({owner: text}) and save; with
    `confirm`, the values are confirmed should any look like a mistake (the
    tests' values are not always likely ones)."""
    data = form_data(client.get(entry_url(quarter)), program)
    for owner, text in values.items():
        data[field_name(program, "value", owner)] = text
        if confirm:
            data[field_name(program, "confirm", owner)] = text
    for owner, text in (notes or {}).items():
        data[field_name(program, "note", owner)] = text
    data[f"p{program.pk}-reason"] = reason
    return client.post(save_url(program, quarter), data)


def fill_quarter(program, quarter, user, value="1"):
    """Every input of the program's quarter saved through the write service
    as `user`: `value` where a count goes, 50 for a rate, 해당 없음 for a
    milestone. The inputs, in order."""
    lines = entry.inputs_of(list(program.indicators.all()), list(program.unit_projects.all()))
    entries = []
    for owner in lines:
        if owner.kind == "milestone":
            raw = "해당 없음"
        elif owner.unit == "%":
            raw = "50"
        else:
            raw = value
        entries.append(entry.Entry(key=entry.key_of(owner), value=raw))
    outcome = entry.save_quarter(user, program, quarter, entries)
    assert outcome.ok, outcome
    return lines


def approved_results(indicator, values):
    """Results of `indicator` ({quarter: value}) in quarters already approved:
    what the director, the reviewer and the exports count."""
    from decimal import Decimal

    from goals.models import Result, Submission

    for quarter, value in values.items():
        Result.objects.create(indicator=indicator, period=quarter, value=Decimal(value))
    for quarter in values:
        Submission.objects.update_or_create(program=indicator.program, quarter=quarter,
                                            defaults={"status": Submission.Status.APPROVED})
