"""A figure as people type it: one parser for every path (entry page, sheet, admin, loader, import)."""

from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from goals import figures, parsing
from goals.parsing import BadValue, parse, plain


@pytest.mark.parametrize("typed, unit, value", [
    ("2회", "회", D(2)),
    ("1,250 건", "건", D(1250)),
    ("85점", "점", D(85)),
    (" 88.3 % ", "%", D("88.3")),
    ("3개소", "개소", D(3)),
    ("1,068", "명", D(1068)),
])
def test_a_unit_typed_with_the_number_is_understood(typed, unit, value):
    assert parse(typed, unit=unit) == value


def test_a_unit_that_does_not_match_is_refused_with_the_right_one():
    with pytest.raises(BadValue, match="이 지표의 단위는 '회'입니다."):
        parse("2건", unit="회")
    with pytest.raises(BadValue, match="이 단위사업의 단위는 '명'입니다."):
        parse("25회", unit="명", subject="단위사업")
    with pytest.raises(BadValue, match="단위가 없습니다"):
        parse("2회", unit="")


@pytest.mark.parametrize("typed", ["해당 없음", "해당없음", "측정 전", " 측정전 "])
def test_not_measured_is_a_value_of_its_own_not_zero(typed):
    assert parse(typed, unit="점") is figures.NOT_MEASURED
    assert parse(typed, qualitative=True) is figures.NOT_MEASURED
    assert plain(figures.NOT_MEASURED) == "해당 없음"


def test_text_that_is_not_a_number():
    with pytest.raises(BadValue, match="숫자를 입력하세요"):
        parse("열두", unit="회")
    with pytest.raises(BadValue, match="숫자를 입력하세요"):
        parse("회", unit="회")
    with pytest.raises(BadValue, match="너무 큽니다"):
        parse("1e999999999", unit="회")
    assert parse("구축완료", qualitative=True) == "구축완료"
    assert parse("   ") is None


@given(st.decimals(min_value=0, max_value=10**9, places=2))
def test_what_is_shown_in_a_field_reads_back_as_the_same_figure(value):
    assert parse(plain(value), unit="건") == value
    assert parse(f"{value:,f}건", unit="건") == value


def test_the_parser_reads_no_models_and_no_database():
    import ast
    import inspect

    tree = ast.parse(inspect.getsource(parsing))
    imported = {node.module for node in ast.walk(tree)
                if isinstance(node, ast.ImportFrom) and node.module}
    imported |= {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import)
                 for alias in node.names}
    assert not [name for name in imported if "models" in name or name.startswith("django.db")]


@pytest.mark.parametrize("typed, target", [
    ("60", (D(60), "")),
    ("1,250", (D(1250), "")),
    (" 94.4 ", (D("94.4"), "")),
    (D("0.198"), (D("0.198"), "")),
    (82, (D(82), "")),
    (0.28, (D("0.28"), "")),
    ("상시", (None, "상시")),
    ("구축완료", (None, "구축완료")),
    ("", (None, "")),
    (None, (None, "")),
])
def test_a_target_is_a_number_or_a_state_whatever_path_it_comes_by(typed, target):
    assert parsing.target(typed) == target


@pytest.mark.parametrize("typed", ["NaN", "inf", "-Infinity", "sNaN", D("NaN"), float("inf")])
def test_a_target_that_is_no_finite_number_is_refused(typed):
    with pytest.raises(BadValue, match="숫자 또는 상시·구축완료"):
        parsing.target(typed)
