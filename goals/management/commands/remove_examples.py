from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from goals.examples import ExamplesRefused, remove_examples


class Command(BaseCommand):
    help = _("데모가 넣은 예시 실적과 분기 제출을 지웁니다. 문서의 목표·예산·전년 실적은 그대로입니다.")

    def handle(self, *args, **options):
        try:
            results, quarters = remove_examples()
        except ExamplesRefused as refusal:
            raise CommandError(str(refusal)) from None
        self.stdout.write(_("예시 실적 %(results)s개와 분기 제출 %(quarters)s개를 지웠습니다.") % {
            "results": results, "quarters": quarters})
