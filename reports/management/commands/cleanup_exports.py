from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from reports import exports


class Command(BaseCommand):
    help = _("데이터가 바뀐 뒤의 보고서 파일, 오래된 파일, 어느 내보내기에도 속하지 않는 파일을 지우고, "
             "멈춘 작업자의 내보내기를 다시 대기시키거나 실패로 적습니다.")

    def handle(self, *args, **options):
        deleted, orphans = exports.clean_up()
        self.stdout.write(_("내보내기 %(deleted)s건, 남은 파일 %(orphans)s개를 지웠습니다.")
                          % {"deleted": deleted, "orphans": orphans})
