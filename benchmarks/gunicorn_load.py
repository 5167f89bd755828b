"""
gunicorn's settings for the load test: the production ones
(kpi_site/gunicorn.py), and each request's CPU time, measured in the thread
that answers it (time.thread_time: the worker's other threads and processes
count nothing), written with its kind to LOAD_CPU_LOG.<pid>. The load test
adds them up per kind of request (benchmarks/load_test.py).
"""

import cProfile
import os
import pstats
import re
import threading
import time

from kpi_site import gunicorn as production
from kpi_site.gunicorn import *  # noqa: F401,F403

KINDS = [
    ("GET", re.compile(r"^/benchmark/trivial/$"), "trivial page"),
    ("GET", re.compile(r"^/accounts/login/$"), "login page"),
    ("POST", re.compile(r"^/accounts/login/$"), "login"),
    ("GET", re.compile(r"^/[\w-]+/\d{4}/$"), "overview"),
    ("GET", re.compile(r"^/[\w-]+/\d{4}/programs/\d+/$"), "program"),
    ("GET", re.compile(r"^/[\w-]+/\d{4}/indicators/\d+/$"), "indicator"),
    ("GET", re.compile(r"^/[\w-]+/compare/$"), "compare"),
    ("GET", re.compile(r"^/[\w-]+/\d{4}/approval/\d/$"), "approval page"),
    ("GET", re.compile(r"^/[\w-]+/\d{4}/entry/\d/$"), "entry page"),
    # One 저장 for the whole page (entry/<q>/save/), or a program's own form.
    ("POST", re.compile(r"^/[\w-]+/\d{4}/entry/\d/(save|\d+)/$"), "entry save POST"),
    (None, re.compile(r"^/static/"), "static"),
    (None, re.compile(r"^/reports/"), "exports"),
]
_started = threading.local()


def kind_of(method, path):
    for kind_method, pattern, kind in KINDS:
        if (kind_method is None or kind_method == method) and pattern.match(path):
            return kind
    return "other"


# --profile DIR (benchmarks/load_test.py): each request profiled in the thread
# that answers it, the profiles of a kind added up per worker and written to
# DIR/<kind>.<pid>.prof as the worker exits.
PROFILE_DIR = os.environ.get("LOAD_PROFILE")
_profiles = {}  # kind → pstats.Stats
_profiles_lock = threading.Lock()


def pre_request(worker, req):
    production.pre_request(worker, req)
    if PROFILE_DIR:
        _started.profiler = cProfile.Profile(time.thread_time)  # CPU, not waits
        _started.profiler.enable()
    _started.cpu = time.thread_time()


def post_request(worker, req, environ, resp):
    production.post_request(worker, req, environ, resp)
    started = getattr(_started, "cpu", None)
    log = os.environ.get("LOAD_CPU_LOG")
    if started is None or not log:
        return
    cpu_ms = (time.thread_time() - started) * 1000
    profiler = getattr(_started, "profiler", None)
    if profiler is not None:
        profiler.disable()
        _started.profiler = None
        kind = kind_of(req.method, req.path)
        with _profiles_lock:
            if kind in _profiles:
                _profiles[kind].add(profiler)
            else:
                _profiles[kind] = pstats.Stats(profiler)
    with open(f"{log}.{os.getpid()}", "a", encoding="utf-8") as file:
        file.write(f"{kind_of(req.method, req.path)}\t{cpu_ms:.3f}\n")


def worker_exit(server, worker):
    with _profiles_lock:
        for kind, stats in _profiles.items():
            stats.dump_stats(os.path.join(PROFILE_DIR, f"{kind.replace(' ', '-')}.{os.getpid()}.prof"))
