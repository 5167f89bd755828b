"""
Notifications (알림): a return, an approval or a reminder reaches the person
it concerns in the app (the bell in the header) and, when a mail server is
configured (settings.NOTIFY_BY_EMAIL), by e-mail once the transaction
commits. Without a mail server nothing is sent; a mail server that fails is
logged and changes nothing.

Each notification goes to one user about what that user may read: a
program's owner about their program, in their own institution.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from . import access
from . import formatting as fmt
from .models import Notification, Program, Submission, due_dates

log = logging.getLogger(__name__)


def notify(user, institution, text, url=""):
    """Tell `user` (a member of `institution`) `text`, with a link to `url`."""
    if user is None or not access.is_member(user, institution):
        return None
    notification = Notification.objects.create(user=user, institution=institution,
                                               text=text[:500], url=url[:300])
    if settings.NOTIFY_BY_EMAIL and user.email:
        transaction.on_commit(lambda: _mail(user.email, text, url))
    return notification


def _mail(address, text, url):
    try:
        send_mail(_("[경영성과 목표] %(text)s") % {"text": text[:80]},
                  f"{text}\n\n{url}", settings.DEFAULT_FROM_EMAIL, [address])
    except Exception:  # a mail server down must not undo or refuse the step
        log.exception("notification mail to %s failed", address)


def entry_url(program, quarter):
    plan = program.category.plan
    return (reverse("goals:entry", args=[plan.institution.code, plan.year, quarter])
            + f"#program-{program.pk}")


def quarter_moved(program, quarter, status, comment=""):
    """Tell a program's owner that the approver returned or approved its quarter."""
    institution = program.category.plan.institution
    if status == Submission.Status.RETURNED:
        text = _("%(program)s %(quarter)s분기가 반려되었습니다: %(comment)s") % {
            "program": program.name, "quarter": quarter, "comment": comment}
    else:
        text = _("%(program)s %(quarter)s분기가 승인되었습니다.") % {
            "program": program.name, "quarter": quarter}
    return notify(program.owner, institution, text, entry_url(program, quarter))


class NobodyToRemind(Exception):
    pass


def missing_programs(plan, quarter):
    """The plan's programs with an owner whose quarter is not submitted yet."""
    done = Submission.objects.filter(
        program__category__plan=plan, quarter=quarter,
        status__in=[Submission.Status.SUBMITTED, Submission.Status.APPROVED]).values("program")
    return list(Program.objects.filter(category__plan=plan, owner__isnull=False)
                .exclude(pk__in=done).select_related("owner", "category__plan__institution"))


def remind(plan, quarter, programs=None, text=None):
    """Remind the owners of `programs` (the quarter's missing ones by default);
    raises NobodyToRemind when there is no one."""
    programs = missing_programs(plan, quarter) if programs is None else programs
    if not programs:
        raise NobodyToRemind(_("알림을 받을 담당자가 없습니다. 모든 사업이 제출되었거나 담당자가 "
                               "지정되지 않았습니다."))
    due = due_dates(plan)[quarter]
    sent = []
    for program in programs:
        message = text or _("%(program)s %(quarter)s분기 실적을 %(due)s까지 제출해 주세요.") % {
            "program": program.name, "quarter": quarter, "due": fmt.day(due)}
        if notify(program.owner, plan.institution, message, entry_url(program, quarter)):
            sent.append(program)
    return sent


def due_reminders(plans, today=None, days_before=(3, 1, 0)):
    """The daily reminders: for each plan's quarter due in `days_before` days
    or already past, its missing programs' owners; at most one a day each."""
    today = today or timezone.localdate()
    sent = 0
    for plan in plans:
        for quarter, due in due_dates(plan).items():
            left = (due - today).days
            if left not in days_before and not (-30 <= left < 0):
                continue
            for program in missing_programs(plan, quarter):
                start = timezone.make_aware(
                    timezone.datetime.combine(today, timezone.datetime.min.time()))
                if Notification.objects.filter(
                        user=program.owner, url=entry_url(program, quarter),
                        created_at__gte=start, created_at__lt=start + timedelta(days=1)).exists():
                    continue
                text = (_("%(program)s %(quarter)s분기 실적 제출 기한이 지났습니다(%(due)s).")
                        if left < 0 else
                        _("%(program)s %(quarter)s분기 실적 제출 기한은 %(due)s입니다.")) % {
                    "program": program.name, "quarter": quarter, "due": fmt.day(due)}
                if notify(program.owner, plan.institution, text, entry_url(program, quarter)):
                    sent += 1
    return sent
