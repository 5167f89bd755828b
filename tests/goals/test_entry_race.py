"""Writers at the same moment, each in a thread with its own database
connection: staff saving the same program's quarter, through the service and
through the entry page, and approvers taking the same step. No update is lost,
every writer who is refused is told why, and nothing raises or answers 500."""

import threading

import pytest
from django.db import connection
from django.test import Client

from goals import entry
from goals.models import Result, Submission
from tests.support.entry_fixtures import OUTSOURCING, make_user, program_named, save_url

pytestmark = [
    pytest.mark.django_db(transaction=True),
    # The in-memory SQLite of the tests answers a second writer with "table is
    # locked" at once; a SQLite file (settings: IMMEDIATE, timeout 20) makes it
    # wait, as PostgreSQL's row lock does. CI runs this on PostgreSQL.
    pytest.mark.skipif(connection.vendor == "sqlite",
                       reason="in-memory SQLite does not wait for a lock"),
]

WRITERS = 8


def at_once(work, arguments):
    """Run work(argument) in a thread per argument, all released together.
    Returns {argument: what work returned} and the exceptions that escaped."""
    start = threading.Barrier(len(arguments))
    returned, escaped = {}, []

    def run(argument):
        try:
            start.wait()
            returned[argument] = work(argument)
        except Exception as error:  # noqa: BLE001 - the test reports it
            escaped.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(argument,)) for argument in arguments]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a writer never finished"
    return returned, escaped


@pytest.fixture
def staff(institution):
    return make_user(institution, "담당자", "racer", "경주자")


@pytest.fixture
def program(institution, staff):
    """수탁기관 운영 활성화 지원, whose eight unit projects are its inputs."""
    program = program_named(institution.plans.get(year=2024), OUTSOURCING)
    program.owner = staff
    program.save()
    return program


def units_of(program):
    return list(program.unit_projects.order_by("order"))


def versions(units):
    stored = {result.unit_project_id: result.version
              for result in Result.objects.filter(unit_project__in=units, period=1)}
    return [stored.get(unit.pk, 0) for unit in units]


def history_count(unit):
    return Result.history.filter(unit_project=unit, period=1).count()


def test_writers_of_the_same_value_write_it_once(staff, program):
    unit = units_of(program)[0]
    outcomes, escaped = at_once(lambda writer: entry.save_quarter(staff, program, 1, [
        entry.Entry(entry.key_of(unit), "5", version=0)]), range(WRITERS))
    assert escaped == []
    # The first writes; the others find the value they meant already there.
    assert sorted(outcome.changed for outcome in outcomes.values()) == [0] * (WRITERS - 1) + [1]
    assert all(outcome.ok for outcome in outcomes.values())
    result = Result.objects.get(unit_project=unit, period=1)
    assert (result.value, result.version) == (5, 1)
    assert history_count(unit) == 1


def test_writers_of_different_inputs_all_save(staff, program):
    units = units_of(program)
    # Some of these values are far above their unit's target: confirmed at once.
    outcomes, escaped = at_once(lambda unit: entry.save_quarter(staff, program, 1, [
        entry.Entry(entry.key_of(unit), str(unit.order), version=0, confirmed=str(unit.order))
    ]), units)
    assert escaped == []
    assert [outcomes[unit].changed for unit in units] == [1] * len(units)
    assert versions(units) == [1] * len(units)
    assert {result.unit_project_id: result.value for result in
            Result.objects.filter(unit_project__in=units, period=1)} == {
        unit.pk: unit.order for unit in units}
    assert [history_count(unit) for unit in units] == [1] * len(units)


def test_writers_of_different_values_lose_nothing(staff, program):
    """Eight writers each save their own value into all eight inputs of the
    quarter at once. A refused writer reads the quarter again, as the page
    tells them to, and saves once more, until every one has saved."""
    units = units_of(program)
    refusals = []

    def write(value):
        saved = []
        for _attempt in range(WRITERS * 3):
            read = versions(units)
            outcome = entry.save_quarter(staff, program, 1, [
                entry.Entry(entry.key_of(unit), str(value), version=version,
                            confirmed=str(value))
                for unit, version in zip(units, read)])
            if outcome.ok:
                saved.append([version + 1 for version in read])
                break
            refusals.append(outcome)
        return saved

    written, escaped = at_once(write, range(1, WRITERS + 1))
    assert escaped == []
    assert all(len(saved) == 1 for saved in written.values()), "a writer never saved"
    # Every refusal was a conflict telling who saved what first, on every input.
    assert refusals, "the writers never met"
    for outcome in refusals:
        assert len(outcome.problems) == len(units)
        assert all(problem.conflict and problem.current is not None
                   and "먼저" in problem.message for problem in outcome.problems)
    # Each successful write raised every version exactly once: 1 to 8, no two
    # writers at the same version, none skipped.
    produced = sorted(written[value][0][0] for value in written)
    assert produced == list(range(1, WRITERS + 1))
    assert all(len(set(saved[0])) == 1 for saved in written.values())
    assert versions(units) == [WRITERS] * len(units)
    # The quarter holds the last writer's values, all of them: no torn write.
    last = next(value for value, saved in written.items() if saved[0][0] == WRITERS)
    assert {result.value for result in Result.objects.filter(unit_project__in=units,
                                                             period=1)} == {last}
    assert [history_count(unit) for unit in units] == [WRITERS] * len(units)


def test_writers_through_the_entry_page_are_told_not_failed(staff, program):
    unit = units_of(program)[0]
    clients = {}
    for value in range(1, WRITERS + 1):
        clients[value] = Client()
        clients[value].force_login(staff)
    field = f"p{program.pk}-value_u{unit.pk}"

    def post(value):
        return clients[value].post(save_url(program), {
            field: str(value), f"p{program.pk}-version_u{unit.pk}": "0",
            f"p{program.pk}-read_value_u{unit.pk}": ""})

    responses, escaped = at_once(post, range(1, WRITERS + 1))
    assert escaped == []
    assert sorted(response.status_code for response in responses.values()) == [
        302] + [400] * (WRITERS - 1)
    saved = next(value for value, response in responses.items() if response.status_code == 302)
    for response in responses.values():
        if response.status_code == 400:
            page = response.content.decode()
            assert "경주자님이" in page and f"먼저 {saved}(으)로 저장했습니다" in page
            assert "아무 값도 저장되지 않았습니다" in page
    result = Result.objects.get(unit_project=unit, period=1)
    assert (result.value, result.version) == (saved, 1)
    assert history_count(unit) == 1


@pytest.fixture
def submitted(staff, program):
    """The program's Q1, entered in full and submitted by its owner."""
    outcome = entry.save_quarter(staff, program, 1, [
        entry.Entry(entry.key_of(unit), "1") for unit in units_of(program)])
    assert outcome.ok
    entry.submit(staff, program, 1)
    return program


def test_approvers_taking_steps_at_once_one_wins(institution, submitted):
    """Four approvers approve and four return the same submitted quarter at
    once: exactly one step is taken, every other approver is told why not."""
    approvers = [make_user(institution, "승인자", f"approver{number}", f"승인자{number}")
                 for number in range(WRITERS)]
    steps_before = Submission.history.filter(program=submitted, quarter=1).count()

    def step(number):
        try:
            if number % 2:
                entry.return_quarter(approvers[number], submitted, 1, "다시 확인해 주세요")
                return "return", None
            entry.approve(approvers[number], submitted, 1)
            return "approve", None
        except entry.Refused as refusal:
            return ("return" if number % 2 else "approve"), refusal.message

    outcomes, escaped = at_once(step, range(WRITERS))
    assert escaped == []
    taken = [(number, action) for number, (action, refused) in outcomes.items()
             if refused is None]
    assert len(taken) == 1
    winner, action = taken[0]
    submission = Submission.objects.get(program=submitted, quarter=1)
    assert submission.status == (Submission.Status.APPROVED if action == "approve"
                                 else Submission.Status.RETURNED)
    assert submission.updated_by == approvers[winner]
    for number, (action, refused) in outcomes.items():
        if number != winner:
            assert refused == {"approve": "제출된 분기만 승인할 수 있습니다.",
                               "return": "제출된 분기만 반려할 수 있습니다."}[action]
    assert Submission.history.filter(program=submitted, quarter=1).count() == steps_before + 1


def test_a_save_holds_its_own_quarter_and_not_the_institution(staff, program, institution):
    """While one program's quarter is being saved (its submission held until
    the save commits), another program of the institution saves at once, and
    the plan and the institution stay writable: the lock holds the one row."""
    from django.db import transaction

    from tests.support.entry_fixtures import CARE

    other = program_named(institution.plans.get(year=2024), CARE)
    other.owner = staff
    other.save()
    unit = other.unit_projects.order_by("order").first()
    for each in (program, other):  # saved before: their quarters' rows are there
        Submission.objects.create(program=each, quarter=1)
    held, release = threading.Event(), threading.Event()

    def hold():
        try:
            with transaction.atomic():
                entry._locked_submission(program, 1, staff)
                held.set()
                release.wait(timeout=30)
        finally:
            connection.close()

    holder = threading.Thread(target=hold)
    holder.start()
    try:
        assert held.wait(timeout=30)
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = '2s'")
        try:
            outcome = entry.save_quarter(staff, other, 1, [
                entry.Entry(entry.key_of(unit), "1", version=0, confirmed="1")])
            institution.name = institution.name + " "
            institution.save()
        finally:
            with connection.cursor() as cursor:
                cursor.execute("SET lock_timeout = 0")
    finally:
        release.set()
        holder.join(timeout=30)
    assert outcome.ok and outcome.changed == 1
