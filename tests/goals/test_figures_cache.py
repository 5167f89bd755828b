"""The year's figures kept under the institution's data version
(goals.figures_cache): a page read twice between writes is built once, and a
figure never survives a write that changes it, whichever way it is written
(the entry page, the sheet, approval, the admin, the plan workbook, a target
revision, a restore); a write in another institution leaves this one's kept.

These tests commit, as production does: the figures are kept only outside a
transaction (the other tests run inside one that never commits, where they
are always built afresh), and a new version follows each commit."""

from datetime import date
from decimal import Decimal as D
from io import BytesIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from goals import roles
from goals.models import Indicator, Institution, Submission, Target, TargetRevision
from goals.selectors import EVERYTHING, year_figures
from goals.synthetic import build_synthetic_plan
from reports import layout
from reports.document import gather
from reports.importer import import_workbook
from reports.xlsx import render_xlsx
from tests.support.entry_fixtures import (approver, fill, make_user, outsourcing,  # noqa: F401
                                  staff)
from tests.support.admin_pages import change_form_data, make_administrator
from tests.goals.test_entry_sheet import download, put, upload

pytestmark = pytest.mark.django_db(transaction=True)
MEASURE = "지원사업횟수"  # outsourcing's indicator, made of its eight unit projects


@pytest.fixture
def indicator(outsourcing):
    return Indicator.objects.get(program=outsourcing, measurement=MEASURE)


@pytest.fixture
def director(institution):
    return make_user(institution, roles.DIRECTOR, "director", "원장")


def figure_of(book, indicator):
    return next(figure for figure in book.indicators if figure.indicator.pk == indicator.pk)


class Readers:
    """What the overview, the program page and an export show of an
    indicator: its Q1 value and its target in force, read with every value
    (the approver's default) or only approved ones (the director's)."""

    def __init__(self, client, user, indicator, approved_only=False):
        self.client, self.user, self.indicator = client, user, indicator
        self.values = "approved" if approved_only else "all"
        self.shown = None if approved_only else EVERYTHING

    def read(self):
        self.client.force_login(self.user)
        query = f"?q=1&values={self.values}"
        overview = self.client.get(f"/jbsss/2024/{query}")
        program = self.client.get(
            f"/jbsss/2024/programs/{self.indicator.program_id}/{query}")
        assert overview.status_code == program.status_code == 200
        report = gather(self.indicator.program.category.plan.institution, 2024, quarter=1,
                        **({"shown": self.shown} if self.shown else {}))
        figures = [figure_of(overview.context["book"], self.indicator),
                   figure_of(program.context["book"], self.indicator),
                   figure_of(report.book, self.indicator)]
        return [(figure.quarters[1], figure.target) for figure in figures]

    def all_show(self, quarter_value, target):
        seen = self.read()
        assert seen == [(quarter_value, target)] * 3, seen
        return True


@pytest.fixture
def readers(client, approver, indicator):
    return Readers(client, approver, indicator)


def test_a_page_read_twice_between_writes_builds_the_figures_once(client, director,
                                                                  institution):
    client.force_login(director)

    def queries():
        with CaptureQueriesContext(connection) as context:
            assert client.get("/jbsss/2024/").status_code == 200
        return len(context.captured_queries)

    built, kept = queries(), queries()
    assert kept < built - 5, (built, kept)


def test_the_entry_page_save(client, readers, staff, outsourcing, indicator):
    assert readers.all_show(None, D(60))
    client.force_login(staff)
    unit = outsourcing.unit_projects.order_by("order").first()
    assert fill(client, outsourcing, {unit: "5"}).status_code == 302
    assert readers.all_show(D(5), D(60))
    client.force_login(staff)
    assert fill(client, outsourcing, {unit: "7"}).status_code == 302
    assert readers.all_show(D(7), D(60))


def test_the_sheet_upload(client, readers, staff, outsourcing, indicator):
    assert readers.all_show(None, D(60))
    client.force_login(staff)
    workbook = download(client)
    put(workbook, outsourcing.unit_projects.order_by("order").first(), 4)
    assert upload(client, workbook, confirm=True).status_code == 302
    assert readers.all_show(D(4), D(60))


def test_approval_and_return(client, staff, approver, director, outsourcing, indicator):
    """The director reads approved values only: approving a quarter brings
    its values in; returning it after reopening takes them out again."""
    approved = Readers(client, director, indicator, approved_only=True)
    client.force_login(staff)
    unit = outsourcing.unit_projects.order_by("order").first()
    assert fill(client, outsourcing, {unit: "5"}).status_code == 302
    # Submitted as the entry page would once its evidence is in.
    Submission.objects.update_or_create(program=outsourcing, quarter=1,
                                        defaults={"status": "submitted"})
    assert approved.all_show(None, D(60))
    client.force_login(approver)
    assert client.post(f"/jbsss/2024/approval/1/{outsourcing.pk}/approve/").status_code == 302
    assert Submission.objects.get(program=outsourcing, quarter=1).status == "approved"
    assert approved.all_show(D(5), D(60))
    client.force_login(approver)
    assert client.post(f"/jbsss/2024/approval/1/{outsourcing.pk}/reopen/",
                       {f"reopen{outsourcing.pk}-comment": "다시 봅니다"}).status_code == 302
    assert Submission.objects.get(program=outsourcing, quarter=1).status != "approved"
    assert approved.all_show(None, D(60))


def test_the_admin(client, readers, institution, outsourcing, indicator):
    assert readers.all_show(None, D(60))
    client.force_login(make_administrator(institution))
    url = f"/admin/goals/program/{outsourcing.pk}/change/"
    data = change_form_data(client.get(url))
    data["indicators-0-target_2024"] = "65"
    assert client.post(url, data).status_code == 302
    assert readers.all_show(None, D(65))


def test_the_plan_workbook_import(readers, institution, indicator):
    assert readers.all_show(None, D(60))
    workbook = load_workbook(BytesIO(render_xlsx(gather(institution, 2024))))
    sheet = workbook[layout.SUMMARY]
    row = next(cell.row for cell in sheet["D"] if cell.value == MEASURE)
    sheet.cell(row, 6, 70)
    output = BytesIO()
    workbook.save(output)
    import_workbook(BytesIO(output.getvalue()), institution)
    assert readers.all_show(None, D(70))


def test_a_target_revision(readers, approver, indicator):
    assert readers.all_show(None, D(60))
    TargetRevision.objects.create(
        target=Target.objects.get(indicator=indicator, year=2024), value=D(50),
        reason="사업 축소", approved_by=approver, approved_on=date(2024, 6, 30))
    assert readers.all_show(None, D(50))


@pytest.mark.skipif(
    connection.vendor == "postgresql",
    reason="Seen once on PostgreSQL under xdist (1 of 4 runs): restore's loaddata met a "
           "historical institution row already there (goals_historicalinstitution_pkey). "
           "Not understood yet; tests/kpi_site/test_backup.py restores on PostgreSQL every run.")
def test_a_restore(readers, tmp_path, settings, indicator):
    settings.MEDIA_ROOT = tmp_path / "media"
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", output=str(archive))
    target = Target.objects.get(indicator=indicator, year=2024)
    target.value = D(80)
    target.save()
    assert readers.all_show(None, D(80))
    call_command("flush", interactive=False)
    call_command("restore", str(archive))
    restored = Indicator.objects.get(measurement=MEASURE, program__name=indicator.program.name,
                                     program__category__plan__year=2024)
    approver = get_user_model().objects.get(username="park")
    assert Readers(readers.client, approver, restored).all_show(None, D(60))


def test_a_write_elsewhere_keeps_ours_and_ours_keeps_theirs(client, readers, staff,
                                                            outsourcing, indicator):
    elsewhere = build_synthetic_plan(indicators=5, code="elsewhere")
    theirs = year_figures(elsewhere, 2024)
    assert year_figures(elsewhere, 2024) is theirs  # kept
    ours = year_figures(indicator.program.category.plan.institution, 2024)
    # A write here: a new build here, none there.
    client.force_login(staff)
    assert fill(client, outsourcing,
                {outsourcing.unit_projects.order_by("order").first(): "5"}).status_code == 302
    assert readers.all_show(D(5), D(60))
    assert year_figures(elsewhere, 2024) is theirs
    assert year_figures(indicator.program.category.plan.institution, 2024) is not ours
    # A write there: ours kept.
    ours = year_figures(indicator.program.category.plan.institution, 2024)
    target = Target.objects.filter(indicator__program__category__plan__institution=elsewhere,
                                   year=2024).first()
    target.value = (target.value or 0) + 1
    target.save()
    assert year_figures(elsewhere, 2024) is not theirs
    assert year_figures(indicator.program.category.plan.institution, 2024) is ours


def test_a_users_new_name_shows_at_once_but_a_login_keeps_the_figures(client, director,
                                                                      staff, outsourcing):
    institution = outsourcing.category.plan.institution
    client.force_login(director)
    assert "김담당" in client.get("/jbsss/2024/").content.decode()
    book = year_figures(institution, 2024)
    client.post("/accounts/login/", {"username": "kim", "password": "pw-entry-1"})
    assert year_figures(institution, 2024) is book
    staff.first_name = "김새이름"
    staff.save()
    client.force_login(director)
    page = client.get("/jbsss/2024/").content.decode()
    assert "김새이름" in page and "김담당" not in page


def test_inside_a_transaction_the_figures_see_its_writes_and_keep_nothing(indicator):
    institution = Institution.objects.get(code="jbsss")
    before = figure_of(year_figures(institution, 2024, 1, shown=EVERYTHING), indicator)
    assert before.target == D(60)
    with transaction.atomic():
        Target.objects.filter(indicator=indicator, year=2024).update(value=D(61))
        inside = figure_of(year_figures(institution, 2024, 1, shown=EVERYTHING), indicator)
        assert inside.target == D(61)
        transaction.set_rollback(True)
    after = figure_of(year_figures(institution, 2024, 1, shown=EVERYTHING), indicator)
    assert after.target == D(60)


def test_the_figures_kept_hold_no_password_hash(client, approver, staff, outsourcing):
    """The figures are pickled into a cache shared by the workers (the
    database, or Redis): the users in them (owners, who saved) come without
    their password hashes."""
    import pickle

    client.force_login(staff)
    assert fill(client, outsourcing, {outsourcing.unit_projects.first(): "5"}).status_code == 302
    institution = outsourcing.category.plan.institution
    for book in (year_figures(institution, 2024),
                 year_figures(institution, 2024, 1, shown=EVERYTHING, for_entry=True)):
        kept = pickle.dumps(book)
        assert staff.password.encode() not in kept
        assert b"pbkdf2" not in kept and b"md5$" not in kept
