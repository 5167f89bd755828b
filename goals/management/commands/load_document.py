from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from goals.loading import DocumentError, load_document, read_document

DEFAULT_DOCUMENT = Path(settings.BASE_DIR) / "fixtures" / "jbsss_2024.json"


class Command(BaseCommand):
    help = _("경영성과 목표 문서(fixtures/*.json)를 빈 데이터베이스에 적재합니다.")

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", default=str(DEFAULT_DOCUMENT))

    def handle(self, *args, path, **options):
        try:
            institution = load_document(read_document(path))
        except (DocumentError, OSError, ValueError) as error:
            raise CommandError(str(error)) from error
        plans = ", ".join(str(plan.year) for plan in institution.plans.order_by("year"))
        self.stdout.write(self.style.SUCCESS(
            _("%(name)s: %(plans)s년 계획을 적재했습니다.") % {"name": institution.name,
                                                      "plans": plans}))
