"""The data version of an institution's goal book: every write to it, through
every path, gives it a new version as it commits, and nothing else does: not
a write in another institution, not a refused write, not a login.

The tests run inside a transaction that never commits; `watch()` runs what
would follow each commit (Django's on_commit callbacks)."""

from contextlib import contextmanager
from io import BytesIO

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import transaction

from goals import access, entry, versions
from goals.models import Institution, Narrative, Result, Submission, Target
from goals.synthetic import build_synthetic_plan
from reports.importer import import_workbook
from tests.support.entry_fixtures import (approver, care, fill, other_staff,  # noqa: F401
                                          outsourcing, staff, PASSWORD)
from tests.support.admin_pages import change_form_data, make_administrator
from tests.support.workbooks import typed_on_summary

pytestmark = pytest.mark.django_db


@pytest.fixture
def elsewhere(db):
    """Another institution with a plan of its own."""
    return build_synthetic_plan(indicators=5, code="elsewhere")


class Versions:
    """The versions of our institution and of another, before and after."""

    def __init__(self, ours, theirs):
        self.ours, self.theirs = ours, theirs
        self.before = self.now()

    def now(self):
        return versions.current(self.ours), versions.current(self.theirs)

    def changed(self):
        """(ours changed, theirs changed)"""
        return tuple(after != before for after, before in zip(self.now(), self.before))


@pytest.fixture
def watch(institution, elsewhere, django_capture_on_commit_callbacks):
    """with watch() as seen: (writes); then seen.changed()."""
    @contextmanager
    def watching():
        seen = Versions(institution, elsewhere)
        with django_capture_on_commit_callbacks(execute=True):
            yield seen
    return watching


def test_every_model_of_the_goal_book_says_which_institution_it_belongs_to():
    """A model of goals without its way to the institution would give every
    institution a new version on each write (safe, but wasteful)."""
    models = {model._meta.model_name for model in versions.goal_book_models()}
    assert {"result", "target", "evidence", "institution", "submission"} <= models
    assert models <= set(access.INSTITUTION_PATHS)
    assert "dataversion" not in models and "historicalresult" not in models


def test_a_version_is_a_token_that_never_comes_back(institution,
                                                    django_capture_on_commit_callbacks):
    first = versions.current(institution)
    assert versions.current(institution) == first  # reading changes nothing
    seen = {first}
    for _ in range(3):
        with django_capture_on_commit_callbacks(execute=True):
            versions.bump(institution)
            assert versions.current(institution) in seen  # not before the commit
        seen.add(versions.current(institution))
    assert len(seen) == 4


def test_a_write_rolled_back_changes_nothing(institution, plan_2024,
                                             django_capture_on_commit_callbacks):
    before = versions.current(institution)
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            Narrative.objects.filter(program__category__plan=plan_2024).first().delete()
            raise RuntimeError
    assert versions.current(institution) == before


def test_the_entry_form_changes_only_its_institutions_version(client, watch, staff, outsourcing):
    client.force_login(staff)
    unit = outsourcing.unit_projects.first()
    with watch() as versions_seen:
        response = fill(client, outsourcing, {unit: "5"})
    assert response.status_code == 302
    assert versions_seen.changed() == (True, False)


def test_a_save_of_many_values_makes_each_version_new_once(client, watch, staff, outsourcing):
    """One version a commit, however many rows it wrote: at the end of a
    quarter every save would otherwise update the institution's row once a
    value, each queued behind the others' saves."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(staff)
    units = list(outsourcing.unit_projects.order_by("order")[:4])
    with CaptureQueriesContext(connection) as seen, watch():
        assert fill(client, outsourcing, {unit: str(n) for n, unit in
                                          enumerate(units, start=1)}).status_code == 302
    updates = [query["sql"] for query in seen.captured_queries
               if query["sql"].startswith("UPDATE") and "version" in query["sql"].split()[1]]
    assert len([sql for sql in updates if "goals_dataversion" in sql]) == 1, updates
    assert len([sql for sql in updates if "goals_programversion" in sql]) <= 1, updates


def test_an_entered_value_changes_its_programs_version_not_the_outline(
        client, watch, staff, other_staff, outsourcing, care):
    institution = outsourcing.category.plan.institution
    client.force_login(staff)
    with watch():
        fill(client, outsourcing, {outsourcing.unit_projects.first(): "5"})
    before = (versions.outline(institution),
              versions.program_versions([outsourcing.pk, care.pk]))
    client.force_login(other_staff)
    with watch() as seen:
        assert fill(client, care, {care.unit_projects.first(): "5"}).status_code == 302
    assert seen.changed() == (True, False)
    outline, programs = (versions.outline(institution),
                         versions.program_versions([outsourcing.pk, care.pk]))
    assert outline == before[0]
    assert programs[outsourcing.pk] == before[1][outsourcing.pk]
    assert programs[care.pk] not in ("", before[1][care.pk])
    # A change to the programs themselves is the outline's.
    with watch():
        care.name = "새 이름"
        care.save()
    assert versions.outline(institution) != outline


def test_a_refused_write_changes_nothing(client, watch, staff, outsourcing):
    client.force_login(staff)
    first, second = outsourcing.unit_projects.all()[:2]
    with watch() as versions_seen:
        response = fill(client, outsourcing, {first: "5", second: "많이"})
    assert response.status_code == 400
    assert not Result.objects.filter(unit_project__in=[first, second]).exists()
    assert versions_seen.changed() == (False, False)


def test_approving_a_quarter_and_adding_evidence(client, watch, staff, approver, outsourcing,
                                                  settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    with watch() as versions_seen:
        entry.add_evidence(staff, outsourcing, 1,
                           SimpleUploadedFile("출석부.pdf", b"%PDF-1.7\n"))
    assert versions_seen.changed() == (True, False)
    Submission.objects.update_or_create(program=outsourcing, quarter=1,
                                        defaults={"status": "submitted"})
    client.force_login(approver)
    with watch() as versions_seen:
        response = client.post(f"/jbsss/2024/approval/1/{outsourcing.pk}/approve/")
    assert response.status_code == 302
    assert Submission.objects.get(program=outsourcing, quarter=1).status == "approved"
    assert versions_seen.changed() == (True, False)


def test_the_admin(client, watch, institution, plan_2024):
    client.force_login(make_administrator(institution))
    program = plan_2024.categories.first().programs.first()
    url = f"/admin/goals/program/{program.pk}/change/"
    data = change_form_data(client.get(url))
    data["indicators-0-target_2024"] = "65"
    with watch() as versions_seen:
        assert client.post(url, data).status_code == 302
    assert versions_seen.changed() == (True, False)
    # A narrative line deleted on the same page (an inline).
    data = change_form_data(client.get(url))
    first = Narrative.objects.get(pk=data["narratives-0-id"])
    data["narratives-0-DELETE"] = "on"
    with watch() as versions_seen:
        assert client.post(url, data).status_code == 302
    assert not Narrative.objects.filter(pk=first.pk).exists()
    assert versions_seen.changed() == (True, False)


def test_a_deleted_row_and_what_it_takes_with_it(watch, plan_2024):
    with watch() as versions_seen:
        Target.objects.filter(indicator__program__category__plan=plan_2024).first().delete()
    assert versions_seen.changed() == (True, False)


def test_the_plan_workbook_import(watch, institution):
    workbook, _row = typed_on_summary(institution, "지원사업횟수", {"target": 70})
    with watch() as versions_seen:
        import_workbook(BytesIO(workbook), institution)
    assert versions_seen.changed() == (True, False)


def test_logging_in_and_other_tables_change_nothing(client, watch, staff):
    with watch() as versions_seen:
        assert client.post("/accounts/login/", {"username": "kim", "password": PASSWORD}
                           ).status_code == 302
        get_user_model().objects.create_user("newcomer")
    assert versions_seen.changed() == (False, False)


def test_a_bulk_made_plan_has_its_own_version(watch):
    with watch() as versions_seen:
        third = build_synthetic_plan(indicators=5, code="third")
        made = versions.current(third)
    assert versions_seen.changed() == (False, False)
    assert versions.current(third) != made


@pytest.mark.django_db(transaction=True)
def test_a_restore_gives_versions_never_seen_before(institution, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    before = versions.current(institution)
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", output=str(archive))
    call_command("flush", interactive=False)
    call_command("restore", str(archive))
    restored = Institution.objects.get(code="jbsss")
    assert versions.current(restored) != before
