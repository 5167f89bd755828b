"""
The daily due-date reminders: the owners of programs not submitted receive a
notification 3 days and 1 day before their quarter's due date, on the day,
and every day for 30 days after it (in the app, and by e-mail when a mail
server is configured). Run once a day, e.g. from cron:

    30 8 * * *  cd /srv/goals && .venv/bin/python manage.py send_reminders

or a systemd timer (goals-reminders.service with
ExecStart=/srv/goals/.venv/bin/python manage.py send_reminders and
goals-reminders.timer with OnCalendar=*-*-* 08:30 and Persistent=true).
Running it twice the same day sends nothing more.
"""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from goals.models import Plan
from goals.notify import due_reminders


class Command(BaseCommand):
    help = _("제출 기한이 가까운(또는 지난) 분기의 미제출 사업 담당자에게 알림을 보냅니다.")

    def handle(self, *args, **options):
        sent = due_reminders(Plan.objects.filter(status=Plan.Status.CONFIRMED)
                             .select_related("institution"))
        self.stdout.write(_("알림 %(count)s건을 보냈습니다.") % {"count": sent})
