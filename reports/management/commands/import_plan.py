from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from django.db import transaction

from goals.models import Institution
from reports.importer import ImportFailed, create_institution, import_workbook, workbook_code

from .export_report import institution_for


class Command(BaseCommand):
    help = _("보고서 워크북(XLSX)으로 한 해의 계획을 만들거나 바꿉니다. 문제가 있으면 아무것도 바꾸지 않습니다.")

    def add_arguments(self, parser):
        parser.add_argument("workbook", help=_("XLSX 파일 경로"))
        parser.add_argument("--institution", help=_("기관 코드(기관이 여럿일 때)"))
        parser.add_argument("--user", help=_("변경 이력에 남길 사용자 아이디"))

    def handle(self, *args, workbook, institution=None, user=None, **options):
        with open(workbook, "rb") as handle:
            code = institution or workbook_code(handle)
        found = Institution.objects.filter(code=code).first() if code else None
        if found is None and not code:
            found = institution_for(institution)
        if found is None and institution:
            with open(workbook, "rb") as handle:
                if workbook_code(handle) != institution:
                    raise CommandError(_("기관을 찾을 수 없습니다: %(code)s") % {"code": institution})
        created = found is None
        who = None
        if user:
            who = get_user_model().objects.filter(username=user).first()
            if who is None:
                raise CommandError(_("사용자를 찾을 수 없습니다: %(user)s") % {"user": user})
        try:
            # An institution the database does not have yet is made from the
            # workbook, with its 일반현황, in the same transaction as its plan.
            with transaction.atomic(), open(workbook, "rb") as handle:
                if created or workbook_code(handle) == found.code:
                    # The years of 일반현황 the database lacks come too.
                    handle.seek(0)
                    found = create_institution(handle, None if created else found)
                handle.seek(0)
                outcome = import_workbook(handle, found, who)
        except ImportFailed as failure:
            raise CommandError("\n".join(str(problem) for problem in failure.problems)) from None
        if created:
            self.stdout.write(_("기관 %(name)s을(를) 만들었습니다(일반현황 %(count)s개 연도).")
                              % {"name": found.name, "count": found.statuses.count()})
        counts = outcome.counts
        self.stdout.write(_("%(year)s년 계획: 추가 %(created)s, 수정 %(updated)s, 삭제 %(deleted)s")
                          % {"year": outcome.plan.year, "created": counts["created"],
                             "updated": counts["updated"], "deleted": counts["deleted"]})
        if outcome.last_year_note:
            self.stdout.write(outcome.last_year_note)
        for warning in outcome.warnings:
            self.stdout.write(_("목표 난이도 경고: %(warning)s") % {"warning": warning})
