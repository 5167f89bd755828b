import hashlib
import json
import tarfile
import tempfile
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from goals import roles
from goals.models import Institution

from .backup import FORMAT


class Command(BaseCommand):
    help = _("backup으로 만든 파일을 빈 데이터베이스에 복원합니다(먼저 migrate를 실행하세요).")

    def add_arguments(self, parser):
        parser.add_argument("archive", help=_("백업 파일 경로(.tar.gz)"))

    def handle(self, *args, archive, **options):
        if Institution.objects.exists():
            raise CommandError(_("데이터베이스가 비어 있지 않습니다. 빈 데이터베이스에만 복원합니다."))
        media = Path(settings.MEDIA_ROOT)
        with tarfile.open(archive, "r:gz") as backup, tempfile.TemporaryDirectory() as work:
            manifest = json.load(backup.extractfile("manifest.json"))
            if manifest.get("format") != FORMAT:
                raise CommandError(_("알 수 없는 백업 형식입니다."))
            payload = backup.extractfile("data.json").read()
            if hashlib.sha256(payload).hexdigest() != manifest["data_sha256"]:
                raise CommandError(_("백업 데이터가 손상되었습니다(체크섬 불일치)."))
            files = {}
            for name, digest in manifest["files"].items():
                relative = PurePosixPath(name)
                if relative.is_absolute() or ".." in relative.parts:
                    raise CommandError(_("백업에 허용되지 않는 파일 경로가 있습니다: %(name)s")
                                       % {"name": name})
                content = backup.extractfile(f"media/{name}").read()
                if hashlib.sha256(content).hexdigest() != digest:
                    raise CommandError(_("증빙 파일이 손상되었습니다: %(name)s") % {"name": name})
                files[relative] = content
            data = Path(work) / "data.json"
            data.write_bytes(payload)
            with transaction.atomic():
                # Migrating made the roles afresh, without users; the archive
                # brings them with their users. This version's permissions
                # are given to them again afterwards.
                Group.objects.filter(user__isnull=True).delete()
                call_command("loaddata", str(data), verbosity=0)
                roles.ensure_groups()
        for relative, content in files.items():
            target = media.joinpath(*relative.parts)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)
        self.stdout.write(self.style.SUCCESS(
            _("복원했습니다: 기관 %(institutions)d곳, 증빙 파일 %(files)d개")
            % {"institutions": Institution.objects.count(), "files": len(files)}))
