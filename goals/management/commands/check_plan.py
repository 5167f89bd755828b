from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from goals.consistency import find_contradictions, find_evaluation_problems, find_soft_targets
from goals.models import Institution, Plan
from goals.selectors import year_figures


class Command(BaseCommand):
    help = _("한 해 계획의 모순(단위사업 합계, 전년 실적, 요약 목표, 사업비 억원·천원)과 평가 체계의 "
             "문제(배점 합계, 등급 구간, 과거 실적이 필요한 평가 방법)를 찾습니다. 있으면 0이 아닌 값으로 "
             "끝납니다. 전년 실적이나 기준치보다 낮은 목표는 경고로만 알립니다.")

    def add_arguments(self, parser):
        parser.add_argument("year", type=int)
        parser.add_argument("--institution", help=_("기관 코드(기관이 하나면 생략)"))

    def handle(self, *args, year, institution=None, **options):
        institution = self.institution(institution)
        try:
            figures = year_figures(institution, year)
        except Plan.DoesNotExist:
            raise CommandError(_("%(institution)s의 %(year)s년 계획이 없습니다.")
                               % {"institution": institution, "year": year}) from None
        findings = find_contradictions(figures) + find_evaluation_problems(figures)
        for finding in findings:
            self.stdout.write(f"- {finding}")
        warnings = find_soft_targets(figures)
        if warnings:
            self.stdout.write(_("목표 난이도 경고(평가에서 먼저 묻는 목표):"))
            for warning in warnings:
                self.stdout.write(f"! {warning}")
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
