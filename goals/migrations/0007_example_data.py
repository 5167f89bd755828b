"""The demo's example results and quarters are marked, so that a banner can
say so and a command can remove them."""

from django.db import migrations, models

HELP = "데모가 넣은 예시 실적. remove_examples 명령으로 지웁니다."


class Migration(migrations.Migration):

    dependencies = [
        ("goals", "0006_result_not_measured"),
    ]

    operations = [
        migrations.AddField(
            model_name="historicalresult",
            name="is_example",
            field=models.BooleanField(default=False, help_text=HELP, verbose_name="예시 데이터"),
        ),
        migrations.AddField(
            model_name="result",
            name="is_example",
            field=models.BooleanField(default=False, help_text=HELP, verbose_name="예시 데이터"),
        ),
        migrations.AddField(
            model_name="historicalsubmission",
            name="is_example",
            field=models.BooleanField(default=False, verbose_name="예시 데이터"),
        ),
        migrations.AddField(
            model_name="submission",
            name="is_example",
            field=models.BooleanField(default=False, verbose_name="예시 데이터"),
        ),
    ]
