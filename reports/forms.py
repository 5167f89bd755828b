from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from goals import access, uploads
from goals.forms import ALL_VALUES, APPROVED_VALUES, ValuesForm
from goals.models import QUARTERS

from .exports import FORMATS, REPORT_NAMES, ExportOptions


class WorkbookForm(forms.Form):
    workbook = forms.FileField(
        label=_("계획 워크북(XLSX)"),
        help_text=_("이 화면에서 내려받은 보고서 XLSX를 엑셀에서 고쳐 올립니다. 총괄표의 연도에 해당하는 "
                    "계획이 없으면 새로 만들고, 있으면 고친 내용대로 바꿉니다."))

    def clean_workbook(self):
        workbook = self.cleaned_data["workbook"]
        if not workbook.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(_("XLSX 파일만 올릴 수 있습니다."))
        if workbook.size > settings.PLAN_WORKBOOK_MAX_BYTES:
            raise forms.ValidationError(uploads.too_large(settings.PLAN_WORKBOOK_MAX_BYTES))
        return workbook


class ExportForm(forms.Form):
    """What a download button asks for: a report, its format and options."""

    report = forms.ChoiceField(label=_("보고서"), required=False, choices=[
        (name, label) for name, label in REPORT_NAMES.items()], error_messages={
        "invalid_choice": _("알 수 없는 보고서입니다: %(value)s")})
    format = forms.ChoiceField(label=_("형식"), choices=[
        (name, kind.label) for name, kind in FORMATS.items()], error_messages={
        "required": _("형식을 고르세요."),
        "invalid_choice": _("알 수 없는 형식입니다: %(value)s. PDF, XLSX, HWPX 가운데 고르세요.")})
    quarterly = forms.BooleanField(label=_("분기별 실적 포함"), required=False)
    # What the page the button stands on shows: its basis quarter and values.
    q = forms.TypedChoiceField(label=_("기준 분기"), coerce=int, required=False, empty_value=None,
                               choices=[(quarter, quarter) for quarter in QUARTERS])
    values = forms.ChoiceField(label=_("표시할 값"), required=False,
                               choices=[(APPROVED_VALUES, APPROVED_VALUES),
                                        (ALL_VALUES, ALL_VALUES)])

    def request(self, user, institution):
        """The keyword arguments of reports.exports.request_export. Values not
        approved yet go into the report only for those who may ask for them
        (goals.access.shown_values); others get the approved values."""
        data = self.cleaned_data
        shown, _refusal = access.shown_values(
            user, institution, ValuesForm.include_unapproved(data), export=True)
        return {"report": data["report"] or "plan", "format": data["format"],
                "options": ExportOptions(quarterly=data["quarterly"], quarter=data["q"],
                                         unapproved=shown.unapproved)}
