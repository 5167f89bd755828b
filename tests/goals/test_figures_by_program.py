"""The figures kept under the outline and the versions of the programs they
were read from (goals.figures_cache): a staff member's programs, read again
and again while colleagues save theirs, are built once; a whole year is
built again only where a program changed; and nothing is stale after a write
to a program, to last year's programs it continues, to the outline, or a
row moved away from it.

These tests commit, as production does (see test_figures_cache)."""

import pytest
from django.db.models import QuerySet

from goals import entry, selectors, versions
from goals.models import Plan, Program, Result
from goals.synthetic import build_synthetic_plan
from tests.support.entry_fixtures import (approver, care, entry_url, field_name,  # noqa: F401
                                          fill, form_data, other_staff, outsourcing, staff)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def builds(monkeypatch):
    """The programs of every build, in order: "all" for a whole year."""
    made = []
    build = selectors.build_year_figures

    def counted(*args, programs=None, **kwargs):
        made.append("all" if programs is None else "queryset" if isinstance(programs, QuerySet)
                    else sorted(programs))
        return build(*args, programs=programs, **kwargs)

    monkeypatch.setattr(selectors, "build_year_figures", counted)
    return made


def shown(client, program, owner):
    """What the entry page's input of `owner` holds."""
    return form_data(client.get(entry_url()), program)[field_name(program, "value", owner)]


def test_a_colleagues_save_keeps_my_figures_and_my_own_save_shows_at_once(
        client, builds, staff, other_staff, outsourcing, care):
    mine = outsourcing.unit_projects.order_by("order").first()
    client.force_login(staff)
    assert shown(client, outsourcing, mine) == ""
    assert shown(client, outsourcing, mine) == ""
    assert len(builds) == 1

    institution_before = versions.current(outsourcing.category.plan.institution)
    client.force_login(other_staff)
    assert fill(client, care, {care.unit_projects.order_by("order").first(): "3"}).status_code \
        == 302
    assert versions.current(outsourcing.category.plan.institution) != institution_before
    built = len(builds)
    client.force_login(staff)
    assert shown(client, outsourcing, mine) == ""
    assert len(builds) == built  # the colleague's save left mine kept

    assert fill(client, outsourcing, {mine: "5"}).status_code == 302
    assert shown(client, outsourcing, mine) == "5"
    assert fill(client, outsourcing, {mine: "7"}).status_code == 302
    assert shown(client, outsourcing, mine) == "7"


def test_last_years_values_my_programs_continue_are_read_afresh(builds):
    institution = build_synthetic_plan(indicators=10, code="synthetic")
    # Its year before is still open (the document's 2023 is closed: its
    # values cannot change without reopening it, which changes the outline).
    Plan.objects.filter(institution=institution, year=2023).update(status=Plan.Status.DRAFT)
    versions.bump(institution)
    plan = Plan.objects.get(institution=institution, year=2024)
    program = Program.objects.filter(category__plan=plan).order_by("pk").first()
    last_years = program.indicators.order_by("order").first().previous

    def baseline():
        book = selectors.quarter_figures(plan, 1, [program.pk])
        return next(figure for figure in book.programs[0].indicators
                    if figure.indicator.previous_id == last_years.pk).baseline_actual

    before = baseline()
    assert baseline() == before and len(builds) == 1
    result = Result.objects.get(indicator=last_years, period=5)
    result.value = before + 10
    result.save()
    assert baseline() == before + 10


def test_a_result_moved_to_another_program_leaves_the_one_it_was_read_at(
        client, staff, outsourcing, care):
    mine = outsourcing.unit_projects.order_by("order").first()
    theirs = care.unit_projects.order_by("order").first()
    client.force_login(staff)
    assert fill(client, outsourcing, {mine: "5"}).status_code == 302
    assert shown(client, outsourcing, mine) == "5"
    result = Result.objects.get(unit_project=mine, period=1)
    result.unit_project = theirs
    result.save()
    assert shown(client, outsourcing, mine) == ""


def test_the_outline_read_with_my_figures_shows_at_once(client, staff, outsourcing):
    client.force_login(staff)
    indicator = outsourcing.indicators.order_by("order").first()
    assert indicator.measurement in client.get(entry_url()).content.decode()
    indicator.measurement = "새 지표 이름"
    indicator.save()
    assert "새 지표 이름" in client.get(entry_url()).content.decode()
    program = Program.objects.get(pk=outsourcing.pk)
    program.name = "새 사업 이름"
    program.save()
    assert "새 사업 이름" in client.get(entry_url()).content.decode()


def test_a_submitted_and_approved_quarter_shows_as_such(client, staff, approver, outsourcing):
    from tests.support.entry_fixtures import fill_quarter

    client.force_login(staff)
    assert f'name="p{outsourcing.pk}-value_' in client.get(entry_url()).content.decode()
    fill_quarter(outsourcing, 1, staff)
    entry.submit(staff, outsourcing, 1)
    page = client.get(entry_url()).content.decode()
    assert f'name="p{outsourcing.pk}-value_' not in page  # submitted: read only
    assert 'class="status status--submitted"' in page
    entry.approve(approver, outsourcing, 1)
    page = client.get(entry_url()).content.decode()
    assert f'name="p{outsourcing.pk}-value_' not in page  # approved: locked
    assert 'class="status status--approved"' in page
    assert 'class="status status--submitted"' not in page


def test_a_colleagues_save_builds_only_their_program_into_the_year(
        client, builds, staff, outsourcing, care):
    institution = outsourcing.category.plan.institution
    unit = outsourcing.unit_projects.order_by("order").first()

    def q1_of_unit():
        book = selectors.year_figures(institution, 2024, 1, shown=selectors.EVERYTHING)
        program = next(each for each in book.programs if each.program.pk == outsourcing.pk)
        return next(each for each in program.unit_projects
                    if each.unit_project.pk == unit.pk).quarters.get(1)

    assert q1_of_unit() is None
    assert builds == ["all"]
    client.force_login(staff)
    assert fill(client, outsourcing, {unit: "5"}).status_code == 302
    del builds[:]
    assert q1_of_unit() == 5
    assert builds == [[outsourcing.pk]]
    assert q1_of_unit() == 5 and len(builds) == 1  # and kept so
    whole = selectors.year_figures(institution, 2024, 1, shown=selectors.EVERYTHING)
    assert [each.program.pk for each in whole.programs] == list(
        Program.objects.filter(category__plan__institution=institution, category__plan__year=2024)
        .order_by("category__order", "number").values_list("pk", flat=True))


def test_an_approval_that_moves_the_default_basis_builds_the_year_afresh(
        builds, staff, approver, outsourcing):
    from tests.support.entry_fixtures import fill_quarter

    institution = outsourcing.category.plan.institution
    assert selectors.year_figures(institution, 2024).quarter == 4  # nothing approved: Q4
    fill_quarter(outsourcing, 1, staff)
    entry.submit(staff, outsourcing, 1)
    assert selectors.year_figures(institution, 2024).quarter == 4
    entry.approve(approver, outsourcing, 1)
    assert selectors.year_figures(institution, 2024).quarter == 1  # the latest approved
    assert builds[-1] == "all"


def as_read(book):
    """What a page shows of a year: each indicator's and unit project's values
    with their marks, each program's spending, the year's totals."""
    return {
        "quarter": book.quarter, "shown": book.shown,
        "programs": [(each.program.pk, each.executed_won, each.execution_is_unapproved,
                      [(figure.indicator.pk, figure.quarters, figure.cumulative, figure.result,
                        figure.achievement, figure.unapproved, figure.pace.status)
                       for figure in each.indicators],
                      [(unit.unit_project.pk, unit.quarters, unit.result, unit.unapproved)
                       for unit in each.unit_projects])
                     for each in book.programs],
        "totals": (book.average_achievement, book.status_counts, book.executed_won,
                   book.achievement_is_unapproved),
    }


def test_each_readers_year_is_the_year_built_for_them(client, staff, other_staff, approver,
                                                     outsourcing, care):
    """Staff read their own drafts and everyone else's approved values, the
    director approved values, the approver every value. However each year is
    made (kept, composed, a staff member's programs put in place of the
    shared year's and those left for the next reader), it is the year built
    for them alone, after every kind of write, read in every order."""
    from tests.support.entry_fixtures import fill_quarter

    institution = outsourcing.category.plan.institution
    readers = [selectors.Shown(owner_id=staff.pk), selectors.Shown(owner_id=other_staff.pk),
               selectors.APPROVED_ONLY, selectors.EVERYTHING]

    def all_read_as_built(order=readers):
        for shown in order:
            for quarter in (None, 1):
                kept = selectors.year_figures(institution, 2024, quarter, shown=shown)
                built = selectors.build_year_figures(institution, 2024, quarter, shown=shown)
                assert as_read(kept) == as_read(built), (shown, quarter)
        return True

    assert all_read_as_built()
    client.force_login(staff)
    assert fill(client, outsourcing, {outsourcing.unit_projects.order_by("order").first(): "5"}
                ).status_code == 302
    assert all_read_as_built()
    client.force_login(other_staff)
    assert fill(client, care, {care.unit_projects.order_by("order").first(): "6"}
                ).status_code == 302
    assert all_read_as_built(readers[::-1])
    own = selectors.year_figures(institution, 2024, shown=readers[0])
    mine = next(each for each in own.programs if each.program.pk == outsourcing.pk)
    colleagues = next(each for each in own.programs if each.program.pk == care.pk)
    assert any(unit.is_unapproved(1) for unit in mine.unit_projects)  # their draft, marked
    assert not any(unit.quarters.get(1) for unit in colleagues.unit_projects)  # not theirs
    # Their own program's quarter approved: the default basis moves to it.
    fill_quarter(outsourcing, 2, staff)
    entry.submit(staff, outsourcing, 2)
    entry.approve(approver, outsourcing, 2)
    assert selectors.year_figures(institution, 2024, shown=readers[0]).quarter == 2
    assert all_read_as_built()


def test_a_page_reads_each_version_once_however_many_ways_it_reads_its_figures(
        client, staff, outsourcing):
    """The indicator page reads its program's figures, the year's and the
    year's evaluation: one state of the versions, read once."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    indicator = outsourcing.indicators.order_by("order").first()
    client.force_login(staff)
    url = f"/jbsss/2024/indicators/{indicator.pk}/"
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as seen:
        assert client.get(url).status_code == 200
    reads = [query["sql"] for query in seen.captured_queries
             if query["sql"].startswith("SELECT") and "version\"" in query["sql"].split(" FROM ")[1]
             .split()[0]]
    assert len(reads) == 2, reads  # the outline's, and the programs'


def test_a_few_programs_at_the_default_basis_follow_the_others_approvals(staff, approver,
                                                                        outsourcing, care):
    institution = outsourcing.category.plan.institution
    assert selectors.year_figures(institution, 2024, programs=[care.pk]).quarter == 4
    from tests.support.entry_fixtures import fill_quarter

    fill_quarter(outsourcing, 2, staff)
    entry.submit(staff, outsourcing, 2)
    entry.approve(approver, outsourcing, 2)
    assert selectors.year_figures(institution, 2024, programs=[care.pk]).quarter == 2


def test_a_program_read_alone_is_as_read_with_the_year(db):
    """Last year's values an indicator continues count by their quarter's
    standing, whichever programs are read with it: here the indicator
    continues one of a program that another program, not its own, continues."""
    from goals.models import Submission

    institution = build_synthetic_plan(indicators=10, code="synthetic")
    first, second = Program.objects.filter(category__plan__institution=institution,
                                           category__plan__year=2024).order_by("pk")
    continued = second.previous.indicators.order_by("order").first()
    indicator = first.indicators.order_by("order").first()
    indicator.previous = continued
    indicator.save()
    Plan.objects.filter(institution=institution, year=2023).update(status=Plan.Status.DRAFT)
    Result.objects.filter(indicator=continued).delete()  # its year: from its quarters
    Result.objects.create(indicator=continued, period=1, value=7)
    Submission.objects.create(program=second.previous, quarter=1,
                              status=Submission.Status.APPROVED)

    def read(programs):
        book = selectors.build_year_figures(institution, 2024, 1, programs=programs)
        figures = next(each for each in book.programs if each.program.pk == first.pk)
        return [(figure.indicator.pk, figure.baseline_actual, figure.baseline_target,
                 figure.change, figure.quarters) for figure in figures.indicators]

    assert read([first.pk]) == read(None)


def test_a_program_moved_since_the_year_was_read_is_built_with_the_plan_read_afresh(db):
    from goals.models import Category

    institution = build_synthetic_plan(indicators=10, code="synthetic")
    year = selectors.build_year_figures(institution, 2024)
    program = year.programs[0].program
    moved_to = Category.objects.create(plan=year.plan, order=99, name="새 분야")
    Program.objects.filter(pk=program.pk).update(category=moved_to)
    part = selectors.build_year_figures(institution, 2024, programs=[program.pk], within=year)
    assert part.programs[0].program.category.name == "새 분야"
    assert part.quarter == year.quarter


def test_drafts_saved_leave_the_approved_year_kept_and_its_approval_shows_at_once(
        client, builds, staff, approver, outsourcing):
    """Readers of approved values only (the director, the province's reports,
    a colleague) see a quarter's values once it is approved: the drafts saved
    all through the quarter leave their figures kept; every step of the
    quarter's approval, and a year confirmed, shows at once."""
    from tests.support.entry_fixtures import fill_quarter

    institution = outsourcing.category.plan.institution
    unit = outsourcing.unit_projects.order_by("order").first()

    def read(shown=selectors.APPROVED_ONLY):
        book = selectors.year_figures(institution, 2024, 2, shown=shown)
        program = next(each for each in book.programs if each.program.pk == outsourcing.pk)
        return next(each for each in program.unit_projects if each.unit_project.pk == unit.pk)

    assert read().quarters.get(1) is None and builds == ["all"]
    client.force_login(staff)
    # The quarter's first save makes its submission, a draft, which it shows.
    assert fill(client, outsourcing, {unit: "5"}).status_code == 302
    assert read().quarters.get(1) is None
    assert fill(client, outsourcing, {unit: "6"}).status_code == 302
    del builds[:]
    assert read().quarters.get(1) is None
    assert builds == []  # the drafts changed nothing it shows
    assert read(selectors.Shown(owner_id=staff.pk)).quarters.get(1) == 6  # the owner's draft
    assert read(selectors.EVERYTHING).quarters.get(1) == 6

    fill_quarter(outsourcing, 2, staff, value="1")
    entry.submit(staff, outsourcing, 2)
    assert read().quarters.get(2) is None  # submitted, not approved
    entry.approve(approver, outsourcing, 2)
    assert read().quarters.get(2) == 1
    entry.reopen(approver, outsourcing, 2, "숫자 확인")
    assert read().quarters.get(2) is None  # reopened: no longer approved
    del builds[:]
    assert read().quarters.get(2) is None and builds == []

    # A year confirmed by planning staff stands approved: it shows at once.
    year = Result.objects.create(unit_project=unit, period=5, value=40)
    assert read().confirmed == 40
    year.delete()
    assert read().confirmed is None


def test_a_colleagues_program_is_read_as_everyone_reads_it(builds, staff, other_staff, care,
                                                          outsourcing):
    """A program page of someone else's program shows its approved values:
    the figures every reader of it shares, built once for all of them."""
    institution = care.category.plan.institution
    colleague = selectors.Shown(owner_id=staff.pk)
    mine = selectors.Shown(owner_id=other_staff.pk)
    unit = care.unit_projects.order_by("order").first()
    entry.save_quarter(other_staff, care, 1, [entry.Entry(entry.key_of(unit), "3", confirmed="3")])

    def q1_of_unit(book):
        return next(each for each in book.programs[0].unit_projects
                    if each.unit_project.pk == unit.pk)

    for shown in (colleague, selectors.APPROVED_ONLY, colleague):
        book = selectors.year_figures(institution, 2024, 1, shown=shown, with_text=True,
                                      programs=[care.pk])
        assert book.shown == shown
        assert q1_of_unit(book).quarters.get(1) is None  # the colleague's draft: not shown
    assert builds == [[care.pk]]
    # Its owner reads it with their drafts, marked: built for them.
    book = selectors.year_figures(institution, 2024, 1, shown=mine, with_text=True,
                                  programs=[care.pk])
    assert book.shown == mine and builds == [[care.pk], [care.pk]]
    assert q1_of_unit(book).quarters.get(1) == 3 and q1_of_unit(book).is_unapproved(1)


def test_a_program_given_to_me_or_taken_away_shows_on_my_entry_page_at_once(
        client, staff, outsourcing, care):
    """The entry page's programs are kept under what picks them (the owner),
    not read each time: a program given or taken away changes the outline."""
    client.force_login(staff)
    page = client.get(entry_url()).content.decode()
    assert f'id="program-{outsourcing.pk}"' in page and f'id="program-{care.pk}"' not in page
    care.owner = staff
    care.save()
    page = client.get(entry_url()).content.decode()
    assert f'id="program-{outsourcing.pk}"' in page and f'id="program-{care.pk}"' in page
    outsourcing.owner = None
    outsourcing.save()
    page = client.get(entry_url()).content.decode()
    assert f'id="program-{outsourcing.pk}"' not in page and f'id="program-{care.pk}"' in page


def test_a_value_written_outside_the_entry_service_is_taken_as_seen(builds, outsourcing):
    """The admin and the shell write without holding the quarter locked, so an
    approval may have come between their check and their write: such a write
    makes the figures of approved values afresh, and so does a confirmed year
    moved into a quarter."""
    institution = outsourcing.category.plan.institution
    unit = outsourcing.unit_projects.order_by("order").first()

    def confirmed():
        book = selectors.year_figures(institution, 2024, 2)
        program = next(each for each in book.programs if each.program.pk == outsourcing.pk)
        return next(each for each in program.unit_projects
                    if each.unit_project.pk == unit.pk).confirmed

    assert confirmed() is None
    Result.objects.create(unit_project=unit, period=1, value=3)
    del builds[:]
    assert confirmed() is None
    assert builds == [[outsourcing.pk]]  # built afresh
    year = Result.objects.create(unit_project=unit, period=5, value=40)
    assert confirmed() == 40
    year = Result.objects.get(pk=year.pk)
    year.period = 2
    year.save()
    assert confirmed() is None


def test_spending_and_evidence_saved_as_drafts_leave_the_approved_year_kept(
        client, builds, staff, outsourcing):
    """Spending and evidence, saved under their quarter's lock like results,
    change nothing readers of approved values see until the approval."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from goals import execution

    institution = outsourcing.category.plan.institution
    client.force_login(staff)
    unit = outsourcing.unit_projects.order_by("order").first()
    assert fill(client, outsourcing, {unit: "5"}).status_code == 302  # the quarter's draft made
    selectors.year_figures(institution, 2024, 1)
    del builds[:]
    assert execution.save_execution(staff, outsourcing, 1, "1000000").ok
    entry.add_evidence(staff, outsourcing, 1,
                       SimpleUploadedFile("명단.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf"))
    book = selectors.year_figures(institution, 2024, 1)
    assert builds == []
    assert next(each for each in book.programs
                if each.program.pk == outsourcing.pk).executions.get(1) is None
    everything = selectors.year_figures(institution, 2024, 1, shown=selectors.EVERYTHING)
    assert next(each for each in everything.programs
                if each.program.pk == outsourcing.pk).executions[1].amount_won == 1000000


def test_my_entry_page_read_again_is_kept_in_the_process_not_unpickled(
        client, monkeypatch, builds, staff, other_staff, outsourcing, care):
    """A staff member's programs are kept in the process too, as a whole year
    is: read again, they are read from the shared cache (and unpickled) no
    more; a colleague's save leaves them kept, and my own save shows at once."""
    from goals import figures_cache

    reads = []
    read = figures_cache._read
    monkeypatch.setattr(figures_cache, "_read", lambda key: reads.append(key) or read(key))
    mine = outsourcing.unit_projects.order_by("order").first()
    client.force_login(staff)
    assert shown(client, outsourcing, mine) == ""
    read_first = len(reads)
    assert shown(client, outsourcing, mine) == ""
    assert len(reads) == read_first  # nothing read from the shared cache

    client.force_login(other_staff)
    assert fill(client, care, {care.unit_projects.order_by("order").first(): "3"}).status_code \
        == 302
    client.force_login(staff)
    built, read_before = len(builds), len(reads)
    assert shown(client, outsourcing, mine) == ""
    assert len(builds) == built and len(reads) == read_before  # the colleague's save: kept

    assert fill(client, outsourcing, {mine: "5"}).status_code == 302
    built = len(builds)
    assert shown(client, outsourcing, mine) == "5"
    assert builds[built:] == ["queryset"]  # mine, built afresh after my save

    figures_cache.local.clear()  # another process: the shared cache has the same
    assert shown(client, outsourcing, mine) == "5"
    assert builds[built:] == ["queryset"]


def kept(programs):
    """Figures kept of so many programs."""
    from types import SimpleNamespace

    from goals.figures_cache import Kept

    return Kept(SimpleNamespace(programs=[None] * programs), {}, built_at=0)


def test_a_process_keeps_figures_up_to_so_many_programs_least_recently_read_out_first():
    from goals.figures_cache import _Local

    local = _Local(10)
    local.set("year", kept(6))
    local.set("mine", kept(3))
    assert local.get("year") is not None  # read last: "mine" is now the oldest
    local.set("colleague's", kept(2))  # 11 programs: the oldest goes
    assert local.get("mine") is None
    assert local.get("year") is not None and local.get("colleague's") is not None
    local.set("year", kept(1))  # kept again, smaller: counted once
    assert local.kept_programs == 3
    local.set("too large", kept(11))
    assert local.get("too large") is None and local.kept_programs == 3


def test_a_program_read_after_its_year_is_taken_from_it_until_an_approval(
        builds, staff, approver, outsourcing, care):
    """A few programs read with approved values only come from the whole
    year this process keeps, built for none, as they would be built alone;
    an approval since the year was read shows at once."""
    from tests.support.entry_fixtures import fill_quarter

    institution = outsourcing.category.plan.institution
    selectors.year_figures(institution, 2024, 1)
    assert builds == ["all"]
    for programs in ([care.pk], Program.objects.filter(pk=outsourcing.pk).values("pk")):
        part = selectors.year_figures(institution, 2024, 1, programs=programs)
        alone = selectors.build_year_figures(institution, 2024, 1, programs=programs)
        assert as_read(part) == as_read(alone)
        assert [each.category.pk for each in part.categories] == [
            each.category.pk for each in alone.categories]
    assert builds == ["all", [care.pk], "queryset"]  # the two built alone, to compare

    fill_quarter(outsourcing, 1, staff)
    entry.submit(staff, outsourcing, 1)
    entry.approve(approver, outsourcing, 1)
    part = selectors.year_figures(institution, 2024, 1, programs=[outsourcing.pk])
    assert part.programs[0].quarter_status(1) == "approved"
    assert as_read(part) == as_read(selectors.build_year_figures(
        institution, 2024, 1, programs=[outsourcing.pk]))


def test_pages_leave_the_figures_they_read_as_they_were(client, staff, outsourcing):
    """The figures each process keeps are the same objects for every request
    and thread: a page that reads them, even one sent back with its
    problems, changes nothing of them (figures kept again, built afresh
    after a write, are new objects)."""
    import pickle

    from goals import figures_cache

    def kept_now():
        return {key: (entry.kept, pickle.dumps(entry.kept.figures))
                for key, entry in figures_cache.local.entries.items()}

    mine = outsourcing.unit_projects.order_by("order").first()
    client.force_login(staff)
    assert fill(client, outsourcing, {mine: "5"}).status_code == 302
    assert shown(client, outsourcing, mine) == "5"
    before = kept_now()
    assert fill(client, outsourcing, {mine: "5.5.5"}).status_code == 400  # sent back
    assert client.get(f"/jbsss/2024/programs/{outsourcing.pk}/").status_code == 200
    assert client.get("/jbsss/2024/").status_code == 200
    after = kept_now()
    still = [key for key in before if key in after and after[key][0] is before[key][0]]
    assert len(still) >= 2  # the entry page's figures among them
    assert [after[key][1] for key in still] == [before[key][1] for key in still]
