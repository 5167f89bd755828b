"""What the models and the database refuse, whatever path a write takes."""

from decimal import Decimal as D

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from goals.models import (GeneralStatus, Indicator, Kind, Period, PeriodLocked, Result,
                          Submission, Target)

pytestmark = pytest.mark.django_db


@pytest.fixture
def outsourcing(plan_2024):
    return Indicator.objects.get(program__category__plan=plan_2024, measurement="지원사업횟수")


def refused(**fields):
    with pytest.raises(IntegrityError), transaction.atomic():
        Result.objects.bulk_create([Result(**fields)])


def test_one_target_per_indicator_and_year(outsourcing):
    with pytest.raises(IntegrityError), transaction.atomic():
        Target.objects.bulk_create([Target(indicator=outsourcing, year=2024, value=D(61))])


def test_an_indicator_with_results_cannot_be_deleted(outsourcing):
    Result.objects.create(indicator=outsourcing, period=Period.Q1, value=D(3))
    with pytest.raises(ProtectedError):
        outsourcing.delete()


def test_the_database_checks_results(outsourcing):
    refused(indicator=outsourcing, period=6, value=D(1))
    refused(indicator=outsourcing, period=0, value=D(1))
    refused(indicator=outsourcing, period=Period.Q1, value=D(-1))
    refused(indicator=outsourcing, period=Period.Q1)  # neither a value nor a state
    refused(period=Period.Q1, value=D(1))  # nobody's result
    unit = outsourcing.unit_projects.first()
    refused(indicator=outsourcing, unit_project=unit, period=Period.Q1, value=D(1))
    Result.objects.create(indicator=outsourcing, period=Period.Q1, value=D(1))
    refused(indicator=outsourcing, period=Period.Q1, value=D(2))  # one per quarter


def test_funding_shares_make_100(institution):
    status = GeneralStatus.objects.get(institution=institution, year=2024)
    status.other_share = D("5.7")
    with pytest.raises(ValidationError):
        status.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        status.save()


def test_an_approved_quarter_is_locked(outsourcing):
    result = Result.objects.create(indicator=outsourcing, period=Period.Q1, value=D(3))
    Submission.objects.create(program=outsourcing.program, quarter=1,
                              status=Submission.Status.APPROVED)
    result.value = D(4)
    with pytest.raises(PeriodLocked):
        result.save()
    with pytest.raises(PeriodLocked):
        result.delete()
    with pytest.raises(PeriodLocked):
        Result.objects.create(unit_project=outsourcing.unit_projects.first(),
                              period=Period.Q1, value=D(1))
    assert Result.objects.get(pk=result.pk).value == 3
    # Other quarters stay open.
    Result.objects.create(indicator=outsourcing, period=Period.Q2, value=D(2))


def test_a_closed_year_is_locked(institution):
    last_year = Indicator.objects.get(program__category__plan__year=2023,
                                      measurement="지원사업 횟수")
    target = last_year.targets.get()
    target.value = D(57)
    with pytest.raises(PeriodLocked):
        target.save()
    result = last_year.results.get()
    result.value = D(83)
    with pytest.raises(PeriodLocked):
        result.save()
    assert last_year.results.get().value == 82


def test_every_save_raises_the_version_and_keeps_history(outsourcing):
    user = get_user_model().objects.create(username="editor")
    result = Result.objects.create(indicator=outsourcing, period=Period.Q1, value=D(3))
    assert result.version == 1
    result.value = D(5)
    result._history_user = user
    result.save()
    assert result.version == 2
    assert Result.objects.get(pk=result.pk).version == 2
    newest, oldest = result.history.all()[:2]
    assert (oldest.value, newest.value) == (3, 5)
    assert newest.history_user == user
    delta = newest.diff_against(oldest)
    assert {change.field for change in delta.changes} >= {"value", "version"}


@pytest.mark.parametrize("kind, value, state, valid", [
    (Kind.COUNT, D(3), "", True),
    (Kind.COUNT, D("3.5"), "", False),
    (Kind.COUNT, D(-1), "", False),
    (Kind.RATE, D("88.3"), "", True),
    (Kind.RATE, D("88.35"), "", False),
    (Kind.RATE, D("100.1"), "", False),
    (Kind.SCORE, D("94.4"), "", True),
    (Kind.SCORE, D(101), "", False),
    (Kind.MILESTONE, None, "구축완료", True),
    (Kind.MILESTONE, None, "끝", False),
    (Kind.MILESTONE, D(1), "", False),
    (Kind.COUNT, None, "", False),
])
def test_values_are_checked_against_the_indicator(kind, value, state, valid):
    indicator = Indicator(kind=kind, steps=["미착수", "추진중", "구축완료"])
    message = indicator.check_value(value, state)
    assert (message is None) == valid
    if not valid:
        assert str(message)  # a Korean sentence for the field


def test_a_result_that_does_not_fit_is_refused_by_clean(outsourcing):
    result = Result(indicator=outsourcing, period=Period.Q1, value=D("2.5"))
    with pytest.raises(ValidationError) as error:
        result.full_clean()
    assert "정수" in str(error.value)
