from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from goals.consistency import find_contradictions
from goals.models import Institution, Plan
from goals.selectors import year_figures


class Command(BaseCommand):
    help = _("한 해 계획의 모순(단위사업 합계, 전년 실적, 요약 목표, 사업비 억원·천원)을 찾습니다. "
             "모순이 있으면 0이 아닌 값으로 끝납니다.")

    def add_arguments(self, parser):
        parser.add_argument("year", type=int)
        parser.add_argument("--institution", help=_("기관 코드(기관이 하나면 생략)"))

    def handle(self, *args, year, institution=None, **options):
        institution = self.institution(institution)
        try:
            figures = year_figures(institution, year)
        except Plan.DoesNotExist:
            raise CommandError(_("%(institution)s의 %(year)s년 계획이 없습니다.")
                               % {"institution": institution, "year": year})
        findings = find_contradictions(figures)
        for finding in findings:
            self.stdout.write(f"- {finding}")
        if findings:
            raise CommandError(_("%(year)s년 계획에서 모순 %(count)d건을 찾았습니다.")
                               % {"year": year, "count": len(findings)}, returncode=1)
        self.stdout.write(self.style.SUCCESS(_("%(year)s년 계획에 모순이 없습니다.") % {"year": year}))

    def institution(self, code):
        institutions = Institution.objects.all()
        if code:
            institutions = institutions.filter(code=code)
        found = list(institutions[:2])
        if len(found) != 1:
            raise CommandError(_("기관을 --institution 코드로 지정하세요.") if found
                               else _("기관이 없습니다. 먼저 load_document를 실행하세요."))
        return found[0]
