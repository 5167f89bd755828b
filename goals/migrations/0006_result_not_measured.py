"""해당 없음 / 측정 전: a quarter's result may say the indicator is not
measured in it, instead of a value."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("goals", "0005_submission_returned"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="result",
            name="result_value_or_state",
        ),
        migrations.AddField(
            model_name="historicalresult",
            name="not_measured",
            field=models.BooleanField(default=False, verbose_name="해당 없음·측정 전"),
        ),
        migrations.AddField(
            model_name="result",
            name="not_measured",
            field=models.BooleanField(default=False, verbose_name="해당 없음·측정 전"),
        ),
        migrations.AddConstraint(
            model_name="result",
            constraint=models.CheckConstraint(
                condition=models.Q(("value__isnull", False),
                                   models.Q(("state", ""), _negated=True),
                                   ("not_measured", True), _connector="OR"),
                name="result_value_or_state"),
        ),
        migrations.AddConstraint(
            model_name="result",
            constraint=models.CheckConstraint(
                condition=models.Q(("not_measured", False),
                                   models.Q(("state", ""), ("value__isnull", True)),
                                   _connector="OR"),
                name="result_not_measured_has_no_value"),
        ),
    ]
