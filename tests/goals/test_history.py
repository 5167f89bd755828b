"""The history of a value: who, when, old → new, and why."""

from decimal import Decimal as D

import pytest
from django.contrib.auth import get_user_model
from simple_history.utils import update_change_reason

from goals.history import result_changes
from goals.models import Indicator, Period, Result

pytestmark = pytest.mark.django_db


def test_changes_to_an_indicators_unit_projects_are_its_history(plan_2024):
    indicator = Indicator.objects.get(program__category__plan=plan_2024,
                                      measurement="지원사업횟수")
    unit = indicator.unit_projects.order_by("order").first()
    user = get_user_model().objects.create(username="kim", first_name="김담당")
    result = Result(unit_project=unit, period=Period.Q1, value=D(7))
    result._history_user = user
    result.save()
    result.value = D(9)
    result._history_user = user
    result.save()
    update_change_reason(result, "오타 수정")
    changes = result_changes(indicator)
    assert [(c.kind, c.old, c.new, c.who, c.period) for c in changes] == [
        ("수정", "7", "9", "김담당", "1분기"),
        ("입력", "", "7", "김담당", "1분기"),
    ]
    assert changes[0].reason == "오타 수정"
    assert changes[0].subject == unit.name
    assert result_changes(program=indicator.program)[0].new == "9"
