"""The production settings, plus the load test's floor: a trivial page behind
the same middleware (login, session, CSRF, history), answered by the same
gunicorn in the same run (benchmarks/load_test.py)."""

from kpi_site.settings import *  # noqa: F401,F403

ROOT_URLCONF = "benchmarks.load_urls"
