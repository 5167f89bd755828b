from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from goals import uploads


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
