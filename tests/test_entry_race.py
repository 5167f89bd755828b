"""Two saves of the same value at the same moment, in two threads with their
own database connections: one is written, the other is told, never both and
never an error."""

import threading

import pytest
from django.db import connection

from goals import entry
from goals.models import Result
from tests.entry_fixtures import OUTSOURCING, make_user, program_named

pytestmark = [
    pytest.mark.django_db(transaction=True),
    # The in-memory SQLite of the tests answers a second writer with "table is
    # locked" at once; a SQLite file (settings: IMMEDIATE, timeout 20) makes it
    # wait, as PostgreSQL's row lock does. CI runs this on PostgreSQL.
    pytest.mark.skipif(connection.vendor == "sqlite",
                       reason="in-memory SQLite does not wait for a lock"),
]


def test_simultaneous_saves_of_the_same_value(institution):
    staff = make_user(institution, "담당자", "racer", "경주자")
    program = program_named(institution.plans.get(year=2024), OUTSOURCING)
    program.owner = staff
    program.save()
    unit = program.unit_projects.order_by("order").first()
    start = threading.Barrier(2)
    outcomes, errors = [], []

    def save(value):
        try:
            start.wait()
            outcomes.append(entry.save_quarter(staff, program, 1, [
                entry.Entry(entry.key_of(unit), value, version=0)]))
        except Exception as error:  # noqa: BLE001 - the test reports it
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(value,)) for value in ("5", "7")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(outcome.ok for outcome in outcomes) == [False, True]
    refused = next(outcome for outcome in outcomes if not outcome.ok)
    assert refused.problems[0].conflict
    result = Result.objects.get(unit_project=unit, period=1)
    assert result.version == 1
    assert refused.problems[0].current.value == result.value
