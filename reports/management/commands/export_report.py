from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from goals.models import Institution, Plan
from reports import exports


def institution_for(code):
    """The institution with `code`, or the only one there is."""
    institutions = Institution.objects.filter(code=code) if code else Institution.objects.all()
    found = list(institutions[:2])
    if len(found) == 1:
        return found[0]
    if not found:
        raise CommandError(_("기관을 찾을 수 없습니다: %(code)s") % {"code": code or "-"})
    raise CommandError(_("기관이 여럿입니다. --institution 으로 기관 코드를 주세요."))


class Command(BaseCommand):
    help = _("한 해의 경영성과 목표 보고서를 PDF, XLSX 또는 HWPX 파일로 씁니다.")

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--format", choices=sorted(exports.FORMATS), required=True)
        parser.add_argument("--output", required=True, help=_("쓸 파일 경로"))
        parser.add_argument("--institution", help=_("기관 코드(기관이 여럿일 때)"))
        parser.add_argument("--report", choices=sorted(exports.REPORTS), default="plan",
                            help=_("plan: 경영성과 목표 보고서, results: 경영성과 실적 보고서(승인된 값)"))
        parser.add_argument("--quarterly", action="store_true",
                            help=_("PDF와 HWPX에 분기별 실적과 제출 상태를 덧붙입니다."))

    def handle(self, *args, year, format, output, institution=None, quarterly=False,
               report="plan", **options):
        found = institution_for(institution)
        if format not in exports.REPORT_FORMATS[report]:
            raise CommandError(_("이 보고서는 %(formats)s 형식으로만 만듭니다.")
                               % {"formats": ", ".join(exports.REPORT_FORMATS[report])})
        chosen = exports.ExportOptions(quarterly=quarterly).for_format(format)
        try:
            data = exports.render(found, year, report=report, format=format, options=chosen)
        except Plan.DoesNotExist:
            raise CommandError(_("%(year)s년 계획이 없습니다.") % {"year": year}) from None
        # Written beside the target and moved over it: never half a file.
        path = Path(output)
        partial = path.with_name(f".{path.name}.partial")
        partial.write_bytes(data)
        partial.replace(path)
        self.stdout.write(_("%(path)s (%(size)s바이트)") % {"path": output, "size": len(data)})
