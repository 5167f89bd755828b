"""
A figure as people type it: "1,250", "2회", "85 점", "구축완료", "해당 없음".

One parser for every path a value comes in by: `parse` for a result (the
entry page, the entry sheet), `target` for a target (the admin, the
document's loader, the plan import). Pure: it knows nothing of models, only
the unit and whether the figure is qualitative.
"""

from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from .figures import NOT_MEASURED

# Result.value holds 14 digits, two of them after the point.
LARGEST_VALUE = Decimal(10) ** 12
# Typed for a quarter in which the indicator is not measured.
NOT_MEASURED_WORDS = ("해당 없음", "해당없음", "측정 전", "측정전")
NOT_MEASURED_TEXT = NOT_MEASURED_WORDS[0]
# The units of the goal book, longest first so that 개소 is not read as 소.
UNITS = ("개소", "회", "건", "명", "%", "점")


class BadValue(ValueError):
    """What was typed is not a figure; the message says why, in Korean."""


def parse(raw, *, unit="", qualitative=False, subject=None):
    """
    The figure typed in `raw` for something measured in `unit`: a Decimal, a
    state (for a qualitative indicator), NOT_MEASURED, or None when nothing
    was typed. A unit typed after the number must be `unit` ("2회" into a
    회 field); `subject` names what it is for in the message (지표, 단위사업).
    Raises BadValue.
    """
    text = "" if raw is None else " ".join(str(raw).split())
    if not text:
        return None
    if text in NOT_MEASURED_WORDS:
        return NOT_MEASURED
    if qualitative:
        return text
    number, typed_unit = _split_unit(text)
    if typed_unit and typed_unit != unit:
        subject = subject or _("지표")
        if unit:
            raise BadValue(_("이 %(subject)s의 단위는 '%(unit)s'입니다.") % {
                "subject": subject, "unit": unit})
        raise BadValue(_("이 %(subject)s에는 단위가 없습니다. 숫자만 입력하세요.") % {
            "subject": subject})
    try:
        value = Decimal(number.replace(",", ""))
    except InvalidOperation:
        raise BadValue(_("숫자를 입력하세요('%(text)s'은(는) 숫자가 아닙니다).") % {
            "text": text if len(text) <= 20 else f"{text[:20]}…"}) from None
    if not value.is_finite():
        raise BadValue(_("숫자를 입력하세요."))
    if value.copy_abs() >= LARGEST_VALUE:  # abs() would overflow on 1e999999999
        raise BadValue(_("값이 너무 큽니다."))
    return value


def target(raw):
    """
    A target as (value, state): a number (60, "1,250", 94.4) is a value, any
    other text (상시, 구축완료) a state; (None, "") for nothing. The state is
    kept as typed; whether it fits the indicator is the model's to say.
    Raises BadValue for a number that is not finite.
    """
    if raw is None or isinstance(raw, bool):
        return None, "" if raw is None else str(raw)
    if isinstance(raw, (int, float, Decimal)):
        value = Decimal(repr(raw)) if isinstance(raw, float) else Decimal(raw)
    else:
        text = str(raw).strip()
        if not text:
            return None, ""
        try:
            value = Decimal(text.replace(",", ""))
        except InvalidOperation:
            return None, text
    if not value.is_finite():
        raise BadValue(_("숫자 또는 상시·구축완료 같은 정성 목표를 입력하세요."))
    return value, ""


def _split_unit(text):
    """("1,250", "건") of "1,250 건"; the unit is empty when none was typed."""
    for unit in UNITS:
        if text.endswith(unit):
            return text[:-len(unit)].rstrip(), unit
    return text, ""


def plain(figure):
    """A figure as it is typed back into a field: 1234, 88.3, 구축완료, 해당
    없음; empty for none."""
    if figure is None:
        return ""
    if figure is NOT_MEASURED:
        return NOT_MEASURED_TEXT
    if isinstance(figure, str):
        return figure
    return format(figure.normalize(), "f")
