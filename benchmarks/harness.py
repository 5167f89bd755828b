"""
Shared set-up of the benchmark scripts: Django on a throwaway test database
(SQLite in memory, or PostgreSQL when DATABASE_URL says so), and timing that
reports medians.
"""

import os
import statistics
import sys
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kpi_site.settings")


@contextmanager
def test_database():
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import setup_test_environment, teardown_test_environment

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        yield connection
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()


def render_as_in_production():
    """Templates rendered as production renders them. The test environment
    makes every template render send a signal that the test client answers by
    copying the context (for response.context): a cost per template, so a page
    made of many small templates would pay it many times, its one-template
    floor once. Pages timed against a floor are timed without it (their
    response.context is then None). It restores what Django's
    setup_test_environment() kept aside (django.test.utils._TestState, a
    private name: check it when Django is upgraded)."""
    from django.template.base import Template
    from django.test import utils

    Template._render = utils._TestState.saved_data.template_render


def median_ms(function, repeat=15, warmup=2):
    for _ in range(warmup):
        function()
    timings = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        timings.append((time.perf_counter() - start) * 1000)
    return statistics.median(timings)


def count_queries(function):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    connection.queries_log.clear()
    with CaptureQueriesContext(connection) as context:
        function()
    return len(context.captured_queries)


def engine():
    from django.db import connection

    return connection.vendor


def director_client(*institutions):
    """A client logged in as a director of each of `institutions`."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    from goals import roles

    director = get_user_model().objects.create_user("benchmark-director")
    director.groups.add(roles.ensure_groups()[roles.DIRECTOR])
    for institution in institutions:
        institution.members.add(director)
    client = Client()
    client.force_login(director)
    return client
