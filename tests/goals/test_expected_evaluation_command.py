"""The expected evaluation of the example year (`make run`: the document, the
example schemes and the example results of Q1–Q3), printed by the command
that the closing notes quote: the same figures as the evaluation page."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from goals.evaluation import evaluation, schemes_of
from goals.examples import add_examples

pytestmark = pytest.mark.django_db


def test_the_2024_forecast_of_the_example_year(institution):
    call_command("setup_demo", stdout=StringIO())  # the document is loaded: no examples yet
    add_examples(institution.plans.get(year=2024),
                 get_user_model().objects.get(username="approver"))
    out = StringIO()
    call_command("expected_evaluation", "--year", "2024", stdout=out)
    printed = out.getvalue()
    print(printed)
    lines = printed.splitlines()
    schemes = schemes_of(institution, 2024)
    assert len(lines) == len(schemes) == 2
    for line, scheme in zip(lines, schemes):
        result = evaluation(institution, 2024, scheme.pk)
        assert result.book.quarter == 2  # the last quarter with approved values
        assert result.grade is not None
        assert line.startswith(f"2024 {scheme.name}: 연말 예상 {result.total}점 {result.grade}")
    # The figures the closing note of issue 15 gives (approved values of Q1–Q2;
    # one indicator without any result counts 0).
    assert lines == [
        "2024 도 출연기관 (가–마): 연말 예상 79.45점 마 · 현재 진도 기준 73.37점 마 "
        "(2분기 말, 승인된 값, 실적 없는 지표 1개 0점)",
        "2024 보건복지부 사회서비스원 (S–D): 연말 예상 83.03점 B · 현재 진도 기준 76.15점 B "
        "(2분기 말, 승인된 값, 실적 없는 지표 1개 0점)",
    ]
    every = StringIO()
    call_command("expected_evaluation", "--year", "2024", "--all-values", stdout=every)
    print(every.getvalue())
    assert "미승인 포함" in every.getvalue()
