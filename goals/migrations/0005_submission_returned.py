"""반려 becomes a state of its own: a quarter sent back to its owner is
returned, no longer a draft. Quarters already sent back (a draft whose last
step was a return) become returned."""

from django.db import migrations, models

STATUSES = [("draft", "작성중"), ("submitted", "제출"), ("returned", "반려"), ("approved", "승인")]


def mark_returned(apps, schema_editor):
    Submission = apps.get_model("goals", "Submission")
    HistoricalSubmission = apps.get_model("goals", "HistoricalSubmission")
    for submission in Submission.objects.filter(status="draft"):
        last = (HistoricalSubmission.objects.filter(id=submission.pk)
                .order_by("-history_date", "-history_id").first())
        if last is not None and (last.history_change_reason or "").startswith("반려"):
            Submission.objects.filter(pk=submission.pk).update(status="returned")


def mark_draft(apps, schema_editor):
    apps.get_model("goals", "Submission").objects.filter(status="returned").update(
        status="draft")


class Migration(migrations.Migration):

    dependencies = [
        ("goals", "0004_target_revisions"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="submission",
            name="submission_status_valid",
        ),
        migrations.AlterField(
            model_name="historicalsubmission",
            name="status",
            field=models.CharField(choices=STATUSES, default="draft", max_length=10,
                                   verbose_name="상태"),
        ),
        migrations.AlterField(
            model_name="submission",
            name="status",
            field=models.CharField(choices=STATUSES, default="draft", max_length=10,
                                   verbose_name="상태"),
        ),
        migrations.AddConstraint(
            model_name="submission",
            constraint=models.CheckConstraint(
                condition=models.Q(("status__in", ["draft", "submitted", "returned", "approved"])),
                name="submission_status_valid"),
        ),
        migrations.RunPython(mark_returned, mark_draft),
    ]
