import hashlib
import io
import json
import tarfile
import time
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils import timezone
from django.utils.translation import gettext as _

# Rebuilt by migrate, or only meaningful while the app runs: the reports
# made (made again on request), their tasks and the data versions.
EXCLUDED = ["contenttypes", "auth.permission", "sessions", "admin.logentry", "goals.dataversion",
            "goals.programversion", "goals.notification",
            "reports.export", "django_tasks_database"]
EXPORTS_FOLDER = "exports"
FORMAT = 1


class Command(BaseCommand):
    help = _("모든 데이터와 증빙 파일을 하나의 압축 파일(.tar.gz)로 백업합니다.")

    def add_arguments(self, parser):
        parser.add_argument("--output", required=True, help=_("백업 파일 경로(.tar.gz)"))

    def handle(self, *args, output, **options):
        data = io.StringIO()
        call_command("dumpdata", exclude=excluded(), natural_foreign=True,
                     natural_primary=False, indent=None, stdout=data)
        payload = data.getvalue().encode("utf-8")
        media = Path(settings.MEDIA_ROOT)
        files = sorted(path for path in media.rglob("*") if path.is_file()
                       and path.relative_to(media).parts[0] != EXPORTS_FOLDER) if media.exists() else []
        manifest = {
            "format": FORMAT,
            "created": timezone.now().isoformat(),
            "data_sha256": hashlib.sha256(payload).hexdigest(),
            "files": {str(path.relative_to(media)): _sha256(path) for path in files},
        }
        with tarfile.open(output, "w:gz") as archive:
            _add(archive, "manifest.json", json.dumps(manifest, ensure_ascii=False, indent=1).encode())
            _add(archive, "data.json", payload)
            for path in files:
                archive.add(path, arcname=f"media/{path.relative_to(media)}")
        self.stdout.write(self.style.SUCCESS(
            _("백업했습니다: %(output)s (데이터 %(size)s바이트, 파일 %(count)d개)")
            % {"output": output, "size": f"{len(payload):,}", "count": len(files)}))



def excluded():
    from django.apps import apps

    return EXCLUDED + [app for app in ("axes",) if apps.is_installed(app)]


def _sha256(path):
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _add(archive, name, payload):
    info = tarfile.TarInfo(name)
    info.size = len(payload)
    info.mtime = int(time.time())
    archive.addfile(info, io.BytesIO(payload))
