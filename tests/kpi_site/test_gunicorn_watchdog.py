"""Workers that hang are ended (issue 14): with threads, gunicorn's --timeout
alone ended no request; kpi_site/gunicorn.py ends the worker of a request
that runs past it, and gunicorn starts another."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
GUNICORN = Path(sys.executable).parent / "gunicorn"

# A WSGI application with a request that never ends, and one that says which
# process answered.
APP = '''
import os, time
def application(environ, start_response):
    if environ["PATH_INFO"] == "/hang":
        time.sleep(600)
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [str(os.getpid()).encode()]
'''


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def get(url, timeout):
    with urllib.request.urlopen(url, timeout=timeout) as response:
        return response.read().decode()


def test_a_hanging_request_ends_its_worker_and_another_takes_its_place(tmp_path):
    (tmp_path / "hanging_app.py").write_text(APP)
    port = free_port()
    server = subprocess.Popen(
        [str(GUNICORN), "hanging_app:application", "-c", "python:kpi_site.gunicorn",
         "--bind", f"127.0.0.1:{port}", "--workers", "1", "--threads", "2", "--timeout", "2",
         "--chdir", str(tmp_path)],
        cwd=ROOT, env={**os.environ, "PYTHONPATH": f"{ROOT}:{tmp_path}"},
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        base = f"http://127.0.0.1:{port}"
        for _attempt in range(50):
            try:
                first = get(f"{base}/", 2)
                break
            except OSError:
                time.sleep(0.2)
        started = time.monotonic()
        try:
            get(f"{base}/hang", 30)
        except OSError:
            pass  # the connection ends with the worker
        assert time.monotonic() - started < 15
        for _attempt in range(50):
            try:
                second = get(f"{base}/", 2)
                break
            except OSError:
                time.sleep(0.2)
        assert second != first  # a new worker answers
    finally:
        os.killpg(server.pid, 15)
        output = server.communicate(timeout=20)[0].decode()
    assert "ran longer than 2s" in output and "GET /hang" in output
