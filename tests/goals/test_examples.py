"""The demo shows a living year: example results for Q1–Q3, marked as such on
every page, removable, and never touching the document's own figures."""

from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command

from goals import entry, figures, roles
from goals.examples import ExamplesRefused, add_examples, remove_examples
from goals.models import Program, Result, Submission
from goals.selectors import year_figures
from tests.support.entry_fixtures import make_user
from tests.goals.test_dashboard import indicator_rows, page
from tests.goals.test_selector import main_table

pytestmark = pytest.mark.django_db

BANNER = "예시 데이터: 분기 실적은 데모를 위해 넣은 예시입니다."


@pytest.fixture
def example_year(plan_2024, institution):
    call_command("setup_demo", stdout=StringIO())
    approver = make_user(institution, roles.APPROVER, "example-approver")
    add_examples(plan_2024, approver)
    return plan_2024


def test_the_example_year_has_every_state_a_year_goes_through(example_year, institution):
    statuses = Counter(Submission.objects.filter(program__category__plan=example_year)
                       .values_list("quarter", "status"))
    assert statuses[(1, "approved")] == 14
    assert statuses[(2, "approved")] == 11 and statuses[(2, "returned")] == 1
    assert statuses[(2, "submitted")] == 2
    assert statuses[(3, "submitted")] and statuses[(3, "draft")]
    assert not Result.objects.filter(is_example=False, period__in=(1, 2, 3)).exists()
    book = year_figures(institution, 2024)
    assert book.quarter == 2  # the latest quarter with approved values
    counts = book.status_counts
    assert counts[figures.BEHIND] >= 3 and counts[figures.ON_TRACK] >= 3
    assert counts[figures.UNMEASURED] == 1  # the satisfaction survey comes at the year's end


def test_every_page_says_so_while_they_are_there(client, example_year, institution):
    director = make_user(institution, roles.DIRECTOR, "example-director")
    client.force_login(director)
    program = Program.objects.filter(category__plan=example_year).first()
    for url in ("/jbsss/2024/", "/jbsss/compare/", f"/jbsss/2024/programs/{program.pk}/"):
        assert BANNER in page(client, url), url
    client.logout()
    assert BANNER in client.get("/accounts/login/").content.decode()
    call_command("remove_examples", stdout=StringIO())
    client.force_login(director)
    html = page(client, "/jbsss/2024/")
    assert BANNER not in html
    assert not Result.objects.filter(period__in=(1, 2, 3)).exists()
    assert not Submission.objects.exists()
    assert {row["실적"] for row in indicator_rows(html)[1].values()} == {"-"}


def the_document(institution):
    """What the document says: both years' main tables and 2023's results."""
    return (main_table(year_figures(institution, 2024)),
            main_table(year_figures(institution, 2023)),
            [(f.indicator.pk, f.result) for f in year_figures(institution, 2023).indicators])


def test_the_documents_figures_are_untouched(institution, plan_2024):
    before = the_document(institution)
    with pytest.raises(ExamplesRefused):  # no owners yet: nobody to enter them
        add_examples(plan_2024, make_user(institution, roles.APPROVER, "example-approver"))
    call_command("setup_demo", stdout=StringIO())
    add_examples(plan_2024, make_user(institution, roles.APPROVER, "second"))
    assert Result.objects.filter(is_example=True).count() > 100
    with pytest.raises(ExamplesRefused):  # never twice, never over real results
        add_examples(plan_2024, make_user(institution, roles.APPROVER, "third"))
    assert the_document(institution) == before
    assert remove_examples()[0] > 100
    assert the_document(institution) == before


def test_what_a_user_saved_over_an_example_stays(example_year):
    returned = Submission.objects.get(program__category__plan=example_year, status="returned")
    program = returned.program
    example = Result.objects.filter(period=2, unit_project__program=program).first()
    outcome = entry.save_quarter(program.owner, program, 2, [entry.Entry(
        key=entry.key_of(example.owner), value=str(example.value), note="증빙 보완",
        version=example.version)])
    assert outcome.ok
    remove_examples()
    assert list(Result.objects.filter(period__in=(1, 2, 3))) == [example]


def test_the_example_year_spends_its_budgets_and_flags_one_program(example_year, institution):
    from goals.examples import SPENDS_EARLY
    from goals.models import Execution

    assert Execution.objects.filter(is_example=True).count() > 30
    book = year_figures(institution, 2024)  # approved values, at Q2
    flagged = [program for program in book.programs if program.divergence]
    assert [program.divergence for program in flagged] == [figures.SPENT_NOT_ACHIEVED]
    assert flagged[0].execution_rate >= figures.DIVERGENCE_HIGH
    assert flagged[0] is [program for program in book.programs
                          if program.program.owner_id][SPENDS_EARLY]
    remove_examples()
    assert not Execution.objects.exists()
