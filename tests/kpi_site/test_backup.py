"""Backup and restore: all data and evidence in one archive, back into an
empty database, with the report's figures identical."""

from datetime import date
from decimal import Decimal as D

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.core.management.base import CommandError

from goals import formatting as fmt
from goals import roles
from goals.evaluation import evaluation
from goals.models import (EvaluationScheme, Evidence, Institution, PastResult, Period, Result,
                          Target, TargetRevision)
from goals.schemes import load_schemes, read_schemes
from goals.selectors import year_figures
from tests.support.entry_fixtures import OUTSOURCING, program_named


def report_figures(institution):
    """Every figure a report prints, as text."""
    rows = []
    for year in (2023, 2024):
        book = year_figures(institution, year, with_text=True)
        for program in book.programs:
            rows.append((year, program.program.name, fmt.cheon(program.budget_won),
                         fmt.eok(program.budget_won), program.program.owner_id and
                         program.program.owner.username,
                         tuple(fmt.unit_total(total) for total in program.unit_totals.values()),
                         len(program.narratives["results"])))
            for figure in program.indicators:
                rows.append((year, figure.indicator.measurement,
                             fmt.quantity(figure.target, figure.indicator.unit),
                             fmt.quantity(figure.result, figure.indicator.unit),
                             fmt.rate(figure.achievement), fmt.change(figure.change),
                             fmt.baseline(figure.baseline_actual, figure.baseline_target,
                                          figure.baseline_unit, figure.baseline_note),
                             tuple(figure.quarters.values())))
    return rows


@pytest.mark.django_db(transaction=True)
def test_restore_reproduces_every_figure_and_file(institution, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    staff = get_user_model().objects.create_user("kim", password="pw")
    # The roles the archive holds are not those a migrated database makes afresh.
    Group.objects.all().delete()
    staff.groups.add(roles.ensure_groups()[roles.STAFF])
    program = program_named(institution.plans.get(year=2024), OUTSOURCING)
    program.owner = staff
    program.save()
    unit = program.unit_projects.first()
    Result.objects.create(unit_project=unit, period=Period.Q1, value=D(7), updated_by=staff)
    Evidence.objects.create(program=program, quarter=1, name="출석부.pdf",
                            content_type="application/pdf", size=9, sha256="-",
                            file=ContentFile(b"%PDF-1.4\n", name="x"), uploaded_by=staff)
    # The evaluation: schemes, a past result, a revised target.
    load_schemes(read_schemes())
    approver = get_user_model().objects.create_user("park", password="pw")
    approver.groups.add(Group.objects.get(name=roles.APPROVER))
    indicator = program.indicators.get()
    PastResult.objects.create(indicator=indicator, year=2020, value=D(44))
    TargetRevision.objects.create(target=Target.objects.get(indicator=indicator, year=2024),
                                  value=D(70), reason="조정", approved_by=approver,
                                  approved_on=date(2024, 6, 30))
    before = report_figures(institution)
    history_before = Result.history.count()
    evaluations_before = evaluated(institution)

    archive = tmp_path / "backup.tar.gz"
    call_command("backup", output=str(archive))
    call_command("flush", interactive=False)
    for path in (tmp_path / "media").rglob("*"):
        if path.is_file():
            path.unlink()
    assert not Institution.objects.exists()

    call_command("restore", str(archive))
    restored = Institution.objects.get(code="jbsss")
    assert report_figures(restored) == before
    assert evaluated(restored) == evaluations_before
    assert EvaluationScheme.objects.count() == 4
    assert TargetRevision.objects.get().approved_by.username == "park"
    assert Result.history.count() == history_before
    evidence = Evidence.objects.get()
    assert evidence.file.read() == b"%PDF-1.4\n"
    assert evidence.uploaded_by.username == "kim"
    assert roles.has_role(evidence.uploaded_by, roles.STAFF)
    assert Group.objects.get(name=roles.ADMINISTRATOR).permissions.filter(
        codename="change_program").exists()
    # Closed and approved periods come back as they were: still locked.
    assert restored.plans.get(year=2023).is_closed


def evaluated(institution):
    """Every scheme's total and grade, and each indicator's 평점 and target."""
    rows = []
    for scheme in EvaluationScheme.objects.order_by("year", "name"):
        result = evaluation(institution, scheme.year, scheme.pk, quarter=4)
        rows.append((scheme.year, scheme.name, result.total, result.grade,
                     [(row.target, row.score, row.history) for row in result.evaluated]))
    return rows


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_database_that_is_not_empty(institution, tmp_path):
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", output=str(archive))
    with pytest.raises(CommandError):
        call_command("restore", str(archive))
