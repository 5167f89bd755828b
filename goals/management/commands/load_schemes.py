from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from goals.schemes import EXAMPLE_SCHEMES, SchemeDocumentError, load_schemes, read_schemes


class Command(BaseCommand):
    help = _("평가 체계 문서(fixtures/evaluation_schemes.json: 예시)를 적재합니다. 기관 문서를 먼저 "
             "적재하세요.")

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", default=str(EXAMPLE_SCHEMES))

    def handle(self, *args, path, **options):
        try:
            schemes = load_schemes(read_schemes(path))
        except (SchemeDocumentError, OSError, ValueError) as error:
            raise CommandError(str(error)) from error
        for scheme in schemes:
            self.stdout.write(self.style.SUCCESS(_("평가 체계를 적재했습니다: %(scheme)s")
                                                 % {"scheme": scheme}))
