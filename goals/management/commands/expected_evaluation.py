from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from goals import formatting as fmt
from goals.evaluation import evaluation, schemes_of
from goals.models import Institution, Plan
from goals.selectors import APPROVED_ONLY, EVERYTHING


class Command(BaseCommand):
    help = _("한 해의 경영평가 예상(연말 예상 총점과 등급, 현재 진도 기준 총점과 등급)을 그해의 "
             "평가 체계마다 출력합니다. goals.evaluation이 화면과 같은 값을 냅니다.")

    def add_arguments(self, parser):
        parser.add_argument("--institution", help=_("기관 코드(기본: 첫 기관)"))
        parser.add_argument("--year", type=int, help=_("연도(기본: 가장 최근 계획)"))
        parser.add_argument("--quarter", type=int, choices=[1, 2, 3, 4],
                            help=_("진도 기준 분기(기본: 승인된 마지막 분기)"))
        parser.add_argument("--all-values", action="store_true",
                            help=_("승인되지 않은 값도 셉니다(기본: 승인된 값만)."))

    def handle(self, *args, institution=None, year=None, quarter=None, all_values=False,
               **options):
        found = (Institution.objects.filter(code=institution) if institution
                 else Institution.objects.order_by("id"))
        found = found.first()
        if found is None:
            raise CommandError(_("기관이 없습니다."))
        plans = Plan.objects.filter(institution=found).order_by("-year")
        plan = plans.filter(year=year).first() if year else plans.first()
        if plan is None:
            raise CommandError(_("그해 계획이 없습니다."))
        schemes = schemes_of(found, plan.year)
        if not schemes:
            raise CommandError(_("%(year)s년 평가 체계가 없습니다.") % {"year": plan.year})
        shown = EVERYTHING if all_values else APPROVED_ONLY
        for scheme in schemes:
            result = evaluation(found, plan.year, scheme.pk, quarter, shown)
            places = scheme.places
            self.stdout.write(_(
                "%(year)s %(scheme)s: 연말 예상 %(total)s점 %(grade)s · 현재 진도 기준 "
                "%(now)s점 %(grade_now)s (%(quarter)s분기 말, %(values)s, 실적 없는 지표 "
                "%(unscored)s개 0점)") % {
                "year": plan.year, "scheme": scheme.name,
                "total": fmt.score(result.total, places), "grade": result.grade or "-",
                "now": fmt.score(result.total_now, places),
                "grade_now": result.grade_now or "-", "quarter": result.book.quarter,
                "values": _("미승인 포함") if all_values else _("승인된 값"),
                "unscored": len(result.unscored)})
            for problem in result.problems:
                self.stdout.write(f"  ! {problem}")
