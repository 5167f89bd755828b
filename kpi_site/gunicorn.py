"""
gunicorn's settings for the goal book: `gunicorn kpi_site.wsgi -c python:kpi_site.gunicorn`
(README, benchmarks/load_test.py).

With --threads, gunicorn's --timeout alone ends no request: the worker's main
thread tells the arbiter it is alive while a request thread hangs (an upload
or an export that never ends), so the worker keeps its thread, and with all
of them taken, answers nobody. Here each worker watches its own requests: one
running longer than --timeout ends the worker, as a sync worker's timeout
would, and the arbiter starts a fresh one.
"""

import gc
import os
import threading
import time

timeout = 60  # seconds; --timeout on the command line overrides it
graceful_timeout = 10

_started = {}  # request thread → (monotonic start, "METHOD /path")
_lock = threading.Lock()


def pre_request(worker, req):
    with _lock:
        _started[threading.get_ident()] = (time.monotonic(), f"{req.method} {req.path}")


def post_request(worker, req, environ, resp):
    with _lock:
        _started.pop(threading.get_ident(), None)


def overdue(limit, now=None):
    """The requests running for more than `limit` seconds, as "METHOD /path"."""
    now = time.monotonic() if now is None else now
    with _lock:
        return [what for started, what in _started.values() if now - started > limit]


# Garbage collection: a page of 500 indicators makes half a million objects,
# and every 700 allocations (Python's default) the collector looked at the
# youngest of them, and now and then at all of Django's and the app's modules
# too. Once the app is loaded, what is there stays for the worker's life:
# frozen, the full collections skip it; and the youngest generation is
# collected every 50,000 allocations. The profile (benchmarks/profile_pages.py
# --gc 50000,10,10) shows the pages' time collecting garbage falling to about
# a millisecond.
GC_THRESHOLDS = (50_000, 10, 10)


def tune_garbage_collection():
    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)


def post_worker_init(worker):
    tune_garbage_collection()
    limit = worker.cfg.timeout
    if not limit:
        return

    def watch():
        while worker.alive:
            time.sleep(1)
            late = overdue(limit)
            if late:
                worker.log.critical("Ending worker %s: %s ran longer than %ss", worker.pid,
                                    ", ".join(late), limit)
                os._exit(1)  # threads stuck in C code ignore anything gentler

    threading.Thread(target=watch, name="request-watchdog", daemon=True).start()
