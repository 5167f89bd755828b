from django.conf import settings
from django.db import models, transaction
from django.db.models import Q
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _

from goals.models import Institution


class Export(models.Model):
    """A report being made, or made, in the background (reports.exports).

    One export stands for one key: the institution, year, report, format,
    options, language and the data version it is made from. While one is
    waiting, running or ready, a second request for the same key joins it;
    its file is kept in the media store, where every web and task worker
    sees it, and offered only once it is whole.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("대기 중")
        RUNNING = "running", _("만드는 중")
        READY = "ready", _("완료")
        FAILED = "failed", _("실패")

    LIVE = (Status.QUEUED, Status.RUNNING, Status.READY)
    UNFINISHED = (Status.QUEUED, Status.RUNNING)

    institution = models.ForeignKey(Institution, models.CASCADE, related_name="exports",
                                    verbose_name=_("기관"))
    year = models.PositiveSmallIntegerField(_("연도"))
    report = models.CharField(_("보고서"), max_length=20)
    format = models.CharField(_("형식"), max_length=10)
    options = models.CharField(_("선택 사항"), max_length=200,
                               help_text=_("reports.exports.ExportOptions.key()"))
    language = models.CharField(_("언어"), max_length=10)
    data_version = models.CharField(_("자료 버전"), max_length=32)
    status = models.CharField(_("상태"), max_length=10, choices=Status.choices,
                              default=Status.QUEUED)
    page = models.PositiveIntegerField(_("배치 중인 쪽"), null=True, blank=True)
    failure = models.TextField(_("실패 사유"), blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True,
                                     blank=True, related_name="+", verbose_name=_("요청한 사람"))
    requested_at = models.DateTimeField(_("요청 일시"), auto_now_add=True)
    started_at = models.DateTimeField(_("시작 일시"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("마지막 진행 일시"), null=True, blank=True)
    finished_at = models.DateTimeField(_("끝난 일시"), null=True, blank=True)
    # Each time a worker takes the export it counts one; a worker acts on the
    # export only while the count is still the one it took.
    attempts = models.PositiveSmallIntegerField(_("시도 횟수"), default=0)
    file = models.FileField(_("파일"), upload_to="exports/", blank=True)
    size = models.PositiveIntegerField(_("크기(바이트)"), null=True, blank=True)

    class Meta:
        verbose_name = _("보고서 내보내기")
        verbose_name_plural = _("보고서 내보내기")
        ordering = ["-requested_at"]
        constraints = [
            # One render at a time per key: the second request joins the first.
            models.UniqueConstraint(
                fields=["institution", "year", "report", "format", "options", "language",
                        "data_version"],
                condition=Q(status__in=["queued", "running", "ready"]),
                name="export_one_live_per_key"),
            models.CheckConstraint(
                condition=Q(status="ready", size__isnull=False) & ~Q(file="")
                | ~Q(status="ready"),
                name="export_ready_has_file"),
        ]
        indexes = [models.Index(fields=["status", "heartbeat_at"])]

    def __str__(self):
        return f"{self.institution} {self.year} {self.report}.{self.format} ({self.status})"

    @property
    def is_finished(self):
        return self.status in (self.Status.READY, self.Status.FAILED)


@receiver(post_delete, sender=Export)
def delete_file(sender, instance, **kwargs):
    """An export's file goes with it, once the row is gone for good."""
    name, storage = instance.file.name, instance.file.storage
    if name:
        transaction.on_commit(lambda: storage.delete(name))
