"""
Load test: 50 staff entering results and reading the dashboard at once, with a
director and an approver reading, against the app as production runs it
(gunicorn, DEBUG off, static files collected and served by WhiteNoise,
PostgreSQL), on 127.0.0.1 only, for 60 seconds.

    make load
    .venv/bin/python benchmarks/load_test.py [--workers 3 --threads 2] [--think 1,3]
    .venv/bin/python benchmarks/load_test.py --hostile-uploads 6
    .venv/bin/python benchmarks/load_test.py --exports 0   # without the report exports
    LOAD_DATABASE_URL=postgres://postgres@127.0.0.1:5432/mine_load make load

Needs locust (`pip install -e '.[load]'`; `make load` installs it) and a
PostgreSQL server. What it does, cleaning up after itself even when it fails,
all within run time + 7 minutes:

1. Drops and creates its own database (LOAD_DATABASE_URL, by default
   goalbook_load on the local server; its name must end in _load, since it is
   dropped), migrates it and collects the static files into a temporary
   STATIC_ROOT.
2. Loads the 2024 document (14 programs) and a synthetic institution "load"
   with the 36 more programs (five indicators each, every one made of a unit
   project, Q1 and Q2 submitted) that 50 staff need to own one program each:
   the institution has 20 staff, so 50 writers at once is a peak no real
   quarter brings, and every one has a program of their own to write, as in
   the app. Staff 1-14 own the document's programs, 15-50 the synthetic ones;
   the director and the approver belong to both institutions. Everyone has
   the same known password; nobody fails to log in, so the login lockout
   (django-axes) never counts a failure and stays on.
3. Starts gunicorn on 127.0.0.1:PORT with DJANGO_DEBUG=0, DJANGO_HTTPS=0, a
   random SECRET_KEY, ALLOWED_HOSTS=127.0.0.1 and the production default of
   database connections kept for a minute. 3 workers of 2 threads by
   default: on 2 cores it served the most requests with the shortest waits of
   2x4, 3x2 and 4x1 (threads overlap the database's round trips; more than
   one process per core only adds switching). Beside it, --task-workers
   report workers (`manage.py db_worker`) at nice 19, as the README's
   production section runs them: pages go first, reports take what is left.
4. Runs locust headless (benchmarks/locustfile.py) for --run-time seconds:
   users log in two a second, then every 1-3 s (--think) each staff member
   either enters Q3 of their program (reads the entry page, changes every
   number of its form, keeping the hidden versions, saves and follows the
   redirect: a refused save is a failure) or reads the dashboard (the
   overview, a program, an indicator); the director reads the dashboards and
   the year comparison, the approver the approval pages; someone opens the
   login page every second all through the run.
5. With --hostile-uploads N, N clients send the hostile workbooks of the
   hardening round (tests/support/hostile_files.py: a row numbered 1048576, a merged
   range to row 100200, a DOCTYPE, billion laughs, truncated XML, a corrupt
   deflate stream) to the entry sheet and the plan workbook uploads in turn,
   thinking as long as the users between two, for as long as they work. Each must be
   refused with a 400; the login page's p95 says whether anyone noticed.
6. With --exports 6 (the default), people who may read both institutions
   press a PDF download button as the overview's script does, follow the
   export to its file and download it: first one report alone 5 s into the
   run, then --exports different reports nobody has asked for yet (the
   other institution, the year before, with the quarters) at the same
   moment. Prints each one's wait in the queue, render and the rest (from
   the render's end to the file in hand), and fails on any export that does
   not end with its file.
7. Prints requests, failures, requests per second and p50/p95/p99 per kind
   of request and overall, the CPU seconds gunicorn and locust used, and
   exits non-zero on any failure or server error.
8. The floor: before the run, for --floor-time seconds, the same users log
   in the same way and think as long, but ask for a trivial logged-in page
   (benchmarks/load_urls.py: the same middleware, session and login) of the
   same gunicorn; its figures count from when every user has logged in.
   gunicorn measures each request's CPU time in the thread that answers it
   (benchmarks/gunicorn_load.py), so the run prints, per kind of request, CPU
   per request and p95 as ratios to the floor's, and the load mix's CPU per
   request (login excepted) against the goal of 5x. On a machine shared with
   other work the p95s swing with it; the CPU ratios much less.

Fifty users who think 1-3 s ask for about 2.5 CPU-seconds of pages a second
(a page costs 20-70 ms, a save with its redirect about 70, a login 0.4 s of
password hashing), more than 2 cores give: the latencies then are mostly the
queue. `--think 5,10` shows the pages without it.
"""

import argparse
import csv
import json
import os
import random
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BIN = Path(sys.executable).parent

DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/goalbook_load"
PASSWORD = "load-test-pw-2024"
QUARTER = 3  # open in both plans: the synthetic plan has Q1 and Q2 submitted
# PDFs nobody has asked for yet: (institution, year, with the quarters). The
# first is asked for alone, the others at the same moment.
LONE_EXPORT = ("jbsss", 2024, False)
COLD_EXPORTS = [("jbsss", 2024, True), ("jbsss", 2023, False), ("load", 2024, False),
                ("load", 2024, True), ("load", 2023, False), ("jbsss", 2023, True)]
DOCUMENT_PROGRAMS = 14
INDICATORS_PER_PROGRAM = 5


def arguments():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url",
                        default=os.environ.get("LOAD_DATABASE_URL", DEFAULT_DATABASE))
    parser.add_argument("--port", type=int, default=int(os.environ.get("LOAD_PORT", 8170)))
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--staff", type=int, default=50)
    parser.add_argument("--run-time", type=int, default=60, help="seconds, at most 60")
    parser.add_argument("--floor-time", type=int, default=45,
                        help="seconds of the floor (the same users asking for a trivial "
                             "logged-in page) before the run, at most 60; 0: none")
    parser.add_argument("--think", default="1,3",
                        help="seconds a user waits between two steps: least,most")
    parser.add_argument("--spawn-rate", type=float, default=2,
                        help="users starting per second (each login hashes a password)")
    parser.add_argument("--hostile-uploads", type=int, default=0,
                        help="clients sending hostile workbooks meanwhile (issue 14: 6)")
    parser.add_argument("--exports", type=int, default=6, choices=range(len(COLD_EXPORTS) + 1),
                        metavar="N", help="cold PDF exports asked for at once (issue 12: 6)")
    parser.add_argument("--task-workers", type=int, default=2,
                        help="report workers beside gunicorn, at nice 19")
    parser.add_argument("--profile", metavar="DIR", default="",
                        help="profile every request (cProfile, in the thread answering it) "
                             "and write each kind's profile per worker to DIR: "
                             "python -m pstats DIR/entry-page.<pid>.prof; the CPU "
                             "figures then count the profiler too")
    args = parser.parse_args()
    args.run_time = min(args.run_time, 60)
    # Users log in two a second: the floor needs their ramp and some time after it.
    args.floor_time = min(args.floor_time, 60)
    if args.floor_time:
        args.floor_time = max(args.floor_time, int((args.staff + 3) / args.spawn_rate) + 10)
    return args


# The database --------------------------------------------------------------------


def server_and_name(database_url):
    parts = urlsplit(database_url)
    name = parts.path.lstrip("/")
    if parts.scheme not in {"postgres", "postgresql"} or not name.endswith("_load"):
        raise SystemExit(f"The load test drops its database: give a PostgreSQL database whose "
                         f"name ends in _load, not {database_url}")
    return urlunsplit(parts._replace(path="/postgres")), name


def recreate_database(database_url, create=True):
    import psycopg

    server, name = server_and_name(database_url)
    with psycopg.connect(server, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if create:
            connection.execute(f'CREATE DATABASE "{name}"')


def prepare(workdir, staff_count):
    """Migrate, collect static files, load the data and the users; write the
    users for locust and return the file's path."""
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command
    from django.db import connections, transaction

    from goals import roles
    from goals.loading import load_document, read_document
    from goals.management.commands.load_document import DEFAULT_DOCUMENT
    from goals.models import Indicator, Program
    from goals.synthetic import build_synthetic_plan

    call_command("migrate", interactive=False, verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    institutions = [load_document(read_document(DEFAULT_DOCUMENT))]
    extra = staff_count - DOCUMENT_PROGRAMS
    if extra > 0:
        institutions.append(build_synthetic_plan(indicators=extra * INDICATORS_PER_PROGRAM,
                                                 per_program=INDICATORS_PER_PROGRAM,
                                                 code="load"))
    programs = [program for institution in institutions
                for program in Program.objects.filter(category__plan__institution=institution,
                                                      category__plan__year=2024)
                .select_related("category__plan__institution")
                .order_by("category__order", "number")]
    groups = roles.ensure_groups()
    password = make_password(PASSWORD)  # hashed once: 52 hashes would take half a minute
    User = get_user_model()

    def user(username, role, members_of):
        account = User.objects.create(username=username, password=password,
                                      first_name=username)
        account.groups.add(groups[role])
        for institution in members_of:
            institution.members.add(account)
        return account

    staff = []
    with transaction.atomic():
        for number, program in enumerate(programs[:staff_count], start=1):
            institution = program.category.plan.institution
            account = user(f"staff{number:02}", roles.STAFF, [institution])
            Program.objects.filter(pk=program.pk).update(owner=account)
            staff.append({"username": account.username, "code": institution.code,
                          "program": program.pk})
        user("director", roles.DIRECTOR, institutions)
        user("approver", roles.APPROVER, institutions)
        exporters = [user(f"reader{number}", roles.REVIEWER, institutions).username
                     for number in range(1, len(COLD_EXPORTS) + 1)]
    home = institutions[0].code
    plan = {
        "password": PASSWORD, "quarter": QUARTER, "staff": staff,
        "director": {"username": "director", "code": home},
        "approver": {"username": "approver", "code": home},
        "exporters": exporters,
        "institutions": {institution.code: {
            "programs": [program.pk for program in programs
                         if program.category.plan.institution == institution],
            "indicators": list(Indicator.objects.filter(
                program__category__plan__institution=institution,
                program__category__plan__year=2024).values_list("pk", flat=True)),
        } for institution in institutions},
    }
    connections.close_all()
    path = workdir / "users.json"
    path.write_text(json.dumps(plan, ensure_ascii=False), encoding="utf-8")
    return path, len(staff)


# The server ------------------------------------------------------------------------


def start_gunicorn(args, env, log):
    # As the README's production command: kpi_site/gunicorn.py ends a worker
    # whose request runs past --timeout.
    # benchmarks/gunicorn_load.py is kpi_site/gunicorn.py plus each request's
    # CPU time, written to LOAD_CPU_LOG.
    command = [str(BIN / "gunicorn"), "kpi_site.wsgi:application", "-c",
               "python:benchmarks.gunicorn_load",
               "--bind", f"127.0.0.1:{args.port}", "--workers", str(args.workers),
               "--threads", str(args.threads), "--timeout", "30", "--graceful-timeout", "5",
               "--error-logfile", "-"]
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                            start_new_session=True)


def start_task_workers(count, env, workdir):
    """Report workers at the lowest priority, as in production: pages first.
    Each runs in a session of its own (to be stopped with its children), and
    Linux's autogroups share the CPU between sessions before nice counts, so
    the session's own priority is lowered too."""
    workers = []
    for number in range(1, count + 1):
        worker = subprocess.Popen(
            ["nice", "-n", "19", str(BIN / "python"), "manage.py", "db_worker", "--interval",
             "0.25", "--no-reload", "--worker-id", f"load-{number}"], cwd=ROOT, env=env,
            stdout=open(workdir / f"worker-{number}.log", "wb"), stderr=subprocess.STDOUT,
            start_new_session=True)
        try:
            Path(f"/proc/{worker.pid}/autogroup").write_text("19")
        except OSError:  # not Linux, or no autogroups: nice alone decides
            pass
        workers.append(worker)
    return workers


def wait_until_ready(server, port):
    login = f"http://127.0.0.1:{port}/accounts/login/"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError("gunicorn stopped at start")
        try:
            with urllib.request.urlopen(login, timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:  # not listening yet, or still starting its workers
            time.sleep(0.3)
    raise RuntimeError("gunicorn did not answer within 30 s")


def children_cpu():
    """CPU seconds of the processes this one started and has waited for."""
    times = os.times()
    return times.children_user + times.children_system


def stop(server):
    if server is None or server.poll() is not None:
        return
    os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()


# Hostile uploads ---------------------------------------------------------------------


def plan_workbook(code):
    """The 2024 plan workbook of institution `code`, made as its export makes it."""
    from goals.models import Institution
    from reports.exports import render

    return render(Institution.objects.get(code=code), 2024, format="xlsx")


class HostileUploads:
    """Clients that send the hostile workbooks, one after another, until
    stopped; each answer's status and seconds are kept."""

    def __init__(self, count, port, users, think):
        from tests.support.hostile_files import HOSTILE

        self.base = f"http://127.0.0.1:{port}"
        self.think = [float(seconds) for seconds in think.split(",")]
        self.stopped = threading.Event()
        self.answers = []  # (example, upload, status, seconds)
        staff, approver = users["staff"][0], users["approver"]
        code, quarter = staff["code"], users["quarter"]
        sheet_client = self.logged_in(staff["username"], users["password"])
        plan_client = self.logged_in(approver["username"], users["password"])
        sheet = sheet_client.get(f"{self.base}/{code}/2024/entry/{quarter}/sheet.xlsx").content
        workbook = plan_workbook(approver["code"])
        self.uploads = [
            ("entry sheet", sheet_client, f"/{code}/2024/entry/{quarter}/sheet/", "file",
             {name: make(sheet) for name, make in HOSTILE.items()}),
            ("plan workbook", plan_client, f"/reports/{approver['code']}/upload/", "workbook",
             {name: make(workbook) for name, make in HOSTILE.items()}),
        ]
        examples = list(HOSTILE)
        self.threads = [threading.Thread(target=self.send, args=(examples[n % len(examples)],),
                                         daemon=True) for n in range(count)]

    def logged_in(self, username, password):
        import requests

        client = requests.Session()
        page = client.get(f"{self.base}/accounts/login/").text
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        client.post(f"{self.base}/accounts/login/", data={
            "csrfmiddlewaretoken": token, "username": username, "password": password,
            "next": "/"})
        return client

    def start(self):
        for thread in self.threads:
            thread.start()

    def send(self, example):
        turn = 0
        while not self.stopped.is_set():
            upload, client, path, field, files = self.uploads[turn % len(self.uploads)]
            turn += 1
            started = time.monotonic()
            try:
                response = client.post(f"{self.base}{path}", timeout=60, data={
                    "csrfmiddlewaretoken": client.cookies.get("csrftoken", "")},
                    files={field: ("hostile.xlsx", files[example])})
                status = response.status_code
            except OSError as error:
                status = type(error).__name__
            self.answers.append((example, upload, status, time.monotonic() - started))
            self.stopped.wait(random.uniform(*self.think))

    def stop(self):
        self.stopped.set()
        for thread in self.threads:
            thread.join(timeout=70)

    def report(self):
        """Print each example's answers; return the number not refused with a 400."""
        print(f"\n{'hostile upload':<44}{'sent':>6}{'400s':>6}{'p50 ms':>9}{'max ms':>9}")
        wrong = 0
        for example in dict.fromkeys(answer[0] for answer in self.answers):
            for upload in ("entry sheet", "plan workbook"):
                mine = [a for a in self.answers if a[0] == example and a[1] == upload]
                if not mine:
                    continue
                refused = sum(1 for a in mine if a[2] == 400)
                wrong += len(mine) - refused
                seconds = sorted(a[3] for a in mine)
                others = sorted({str(a[2]) for a in mine if a[2] != 400})
                print(f"{example + ' → ' + upload:<44}{len(mine):>6}{refused:>6}"
                      f"{seconds[len(seconds) // 2] * 1000:>9.0f}{seconds[-1] * 1000:>9.0f}"
                      + (f"  also: {', '.join(others)}" if others else ""))
        return wrong


# Reports made in the background -----------------------------------------------------


class ColdExports:
    """People who press a PDF download button as the overview's script does:
    ask (a POST), follow the export's state every 0.4 s, download the file.
    One report alone first, then `count` others at the same moment."""

    def __init__(self, count, port, users, deadline):
        self.base = f"http://127.0.0.1:{port}"
        self.password = users["password"]
        self.exporters = users["exporters"]
        self.wanted = [LONE_EXPORT] + COLD_EXPORTS[:count]
        self.deadline = deadline  # time.monotonic() by which every export must end
        self.results = []
        self.thread = threading.Thread(target=self.run, daemon=True)

    def start(self, delay):
        self.delay = delay
        self.thread.start()

    def run(self):
        time.sleep(self.delay)
        clients = [self.logged_in(name) for name in self.exporters]
        self.results.append(self.export(clients[0], *self.wanted[0]))
        together = [threading.Thread(target=lambda client=client, wanted=wanted:
                                     self.results.append(self.export(client, *wanted)))
                    for client, wanted in zip(clients, self.wanted[1:])]
        for thread in together:
            thread.start()
        for thread in together:
            thread.join()

    def logged_in(self, username):
        import requests

        client = requests.Session()
        page = client.get(f"{self.base}/accounts/login/").text
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        client.post(f"{self.base}/accounts/login/", data={
            "csrfmiddlewaretoken": token, "username": username, "password": self.password,
            "next": "/"})
        return client

    def export(self, client, code, year, quarterly):
        name = f"{code} {year} PDF" + (" +quarters" if quarterly else "")
        asked = time.time()
        json_only = {"Accept": "application/json"}
        answer = client.post(f"{self.base}/reports/{code}/{year}/exports/", headers=json_only,
                             data={"csrfmiddlewaretoken": client.cookies.get("csrftoken", ""),
                                   "format": "pdf", **({"quarterly": "1"} if quarterly else {})})
        if answer.status_code != 202:
            return {"name": name, "error": f"{answer.status_code} {answer.text[:200]}"}
        state = answer.json()
        while not state["finished"] and time.monotonic() < self.deadline:
            time.sleep(0.4)
            answer = client.get(self.base + state["status_url"], headers=json_only)
            if answer.status_code != 200:  # e.g. dropped: the data changed meanwhile
                return {"name": name, "id": state["id"],
                        "error": f"status {answer.status_code}"}
            state = answer.json()
        if state["status"] != "ready":
            return {"name": name, "id": state["id"], "error": state["message"]}
        data = client.get(self.base + state["file_url"]).content
        from reports.models import Export

        # Read now: a later export, of data changed since, drops this one.
        made = Export.objects.filter(pk=state["id"]).values("started_at", "finished_at").first()
        if made is None:
            return {"name": name, "id": state["id"], "error": "dropped before it was read"}
        return {"name": name, "id": state["id"], "asked": asked, "file": time.time(),
                "started": made["started_at"].timestamp(),
                "finished": made["finished_at"].timestamp(),
                "bytes": len(data), "error": "" if data.startswith(b"%PDF-") else "not a PDF"}

    def wait(self):
        self.thread.join(timeout=max(0, self.deadline - time.monotonic()) + 30)

    def report(self):
        """Print each export's times; return how many did not end with their file."""

        print(f"\n{'export (button to file)':<28}{'queued s':>9}{'render s':>9}{'rest s':>8}"
              f"{'total s':>9}{'KiB':>6}")
        failed = len(self.wanted) - len(self.results)
        for result in self.results:
            if result["error"]:
                failed += 1
                print(f"{result['name']:<28} FAILED: {result['error']}")
                continue
            queued = result["started"] - result["asked"]
            render = result["finished"] - result["started"]
            rest = result["file"] - result["finished"]
            print(f"{result['name']:<28}{queued:>9.1f}{render:>9.1f}{rest:>8.2f}"
                  f"{result['file'] - result['asked']:>9.1f}{result['bytes'] / 1024:>6.0f}")
        return failed


# The figures -------------------------------------------------------------------------


def report(csv_prefix):
    """Print the figures of locust's CSV; return (requests, failures)."""
    with open(f"{csv_prefix}_stats.csv", encoding="utf-8") as file:
        rows = list(csv.DictReader(file))
    print(f"\n{'request':<16}{'count':>8}{'fails':>7}{'req/s':>8}"
          f"{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'max ms':>9}")
    for row in sorted(rows, key=lambda row: (row["Name"] == "Aggregated", row["Name"])):
        name = "overall" if row["Name"] == "Aggregated" else row["Name"]
        print(f"{name:<16}{row['Request Count']:>8}{row['Failure Count']:>7}"
              f"{float(row['Requests/s']):>8.1f}{row['50%']:>9}{row['95%']:>9}{row['99%']:>9}"
              f"{float(row['Max Response Time']):>9.0f}")
    overall = next(row for row in rows if row["Name"] == "Aggregated")
    with open(f"{csv_prefix}_failures.csv", encoding="utf-8") as file:
        for row in csv.DictReader(file):
            print(f"FAILED {row['Occurrences']}x {row['Method']} {row['Name']}: {row['Error']}")
    login_page = next((row for row in rows if row["Name"] == "login page"), None)
    if login_page:
        print(f"login page p95: {login_page['95%']} ms (target < 1000 ms)")
    return int(overall["Request Count"]), int(overall["Failure Count"])


def run_locust(args, env, users_file, staff, csv_prefix, run_time, log_path, floor=False):
    with open(log_path, "wb") as log:
        subprocess.run(
            [str(BIN / "locust"), "-f", str(Path(__file__).with_name("locustfile.py")),
             "--headless", "--host", f"http://127.0.0.1:{args.port}",
             "--users", str(staff + 3), "--spawn-rate", str(args.spawn_rate),
             "--run-time", f"{run_time}s", "--stop-timeout", "5",
             "--csv", str(csv_prefix), "--only-summary", "--loglevel", "WARNING",
             # The floor counts from when every user has logged in: its p95
             # is the trivial page's, not the queue behind 52 password hashes.
             *(["--reset-stats"] if floor else [])],
            cwd=ROOT, env={**env, "LOAD_TEST_USERS": str(users_file),
                           "LOAD_THINK": args.think, "LOAD_FLOOR": "1" if floor else "0"},
            stdout=log, stderr=subprocess.STDOUT, timeout=run_time + 60)
    if not Path(f"{csv_prefix}_stats.csv").exists():
        print(f"locust wrote no figures:\n{log_path.read_text()[-3000:]}")


def cpu_by_kind(workdir):
    """{kind: [CPU ms of each request]} as gunicorn's workers measured them."""
    found = {}
    for path in workdir.glob("cpu.*"):
        for line in path.read_text(encoding="utf-8").splitlines():
            kind, milliseconds = line.split("\t")
            found.setdefault(kind, []).append(float(milliseconds))
    return found


def locust_rows(csv_prefix):
    with open(f"{csv_prefix}_stats.csv", encoding="utf-8") as file:
        return {row["Name"]: row for row in csv.DictReader(file)}


# Server kinds that are not one of locust's requests; a save's figure counts
# its POST and the entry page its redirect lands on, as locust's does.
NOT_PAGES = {"login", "login page", "trivial page", "static", "exports", "other"}
MIX_GOAL, P95_GOAL_MS = 5.0, 1000


def against_the_floor(workdir, floor_prefix, csv_prefix):
    """Print, per kind of request, its CPU per request (measured by gunicorn)
    and its p95 (measured by locust) as ratios to the floor's trivial page;
    return the floor's own failures."""
    cpu = cpu_by_kind(workdir)
    floor_rows, rows = locust_rows(floor_prefix), locust_rows(csv_prefix)
    trivial = floor_rows.get("trivial page")
    if not trivial or not cpu.get("trivial page"):
        print("the floor answered nothing: no ratios")
        return 1

    def mean(values):
        return sum(values) / len(values) if values else 0.0

    floor_cpu, floor_p95 = mean(cpu["trivial page"]), float(trivial["95%"])
    print(f"\nthe floor (the same users, a trivial logged-in page): "
          f"{trivial['Request Count']} requests, {floor_cpu:.1f} ms CPU a request, "
          f"p95 {floor_p95:.0f} ms")
    print(f"{'request':<16}{'count':>8}{'CPU ms':>8}{'x floor':>9}{'p95 ms':>8}{'x floor':>9}")
    cpu_of = {kind: mean(times) for kind, times in cpu.items()}
    cpu_of["entry save"] = cpu_of.get("entry save POST", 0) + cpu_of.get("entry page", 0)
    for name, row in sorted(rows.items(), key=lambda item: (item[0] == "Aggregated", item[0])):
        if name == "Aggregated":
            continue
        p95 = float(row["95%"])
        kind_cpu = cpu_of.get(name)
        cpu_text = (f"{kind_cpu:>8.1f}{kind_cpu / floor_cpu:>8.1f}x" if kind_cpu is not None
                    else f"{'':>8}{'':>9}")
        print(f"{name:<16}{row['Request Count']:>8}{cpu_text}{p95:>8.0f}"
              f"{p95 / floor_p95:>8.1f}x")
    pages = [ms for kind, times in cpu.items() if kind not in NOT_PAGES for ms in times]
    mix = mean(pages)
    slowest = max(((float(row["95%"]), name) for name, row in rows.items()
                   if name not in ("Aggregated", "login")), default=(0, ""))
    print(f"(entry save: its POST and the entry page its redirect lands on, "
          f"{cpu_of.get('entry save POST', 0):.1f} + {cpu_of.get('entry page', 0):.1f} ms CPU)")
    print(f"the load mix, login excepted: {mix:.1f} ms CPU a request, {mix / floor_cpu:.1f}x "
          f"the floor (goal < {MIX_GOAL:.0f}x); slowest p95 but login: {slowest[1]} "
          f"{slowest[0]:.0f} ms (goal < {P95_GOAL_MS} ms)")
    return int(trivial["Failure Count"])


def out_of_time(signum, frame):
    raise TimeoutError("the load test ran out of time")


def main():
    args = arguments()
    # Everything, preparation included, ends within this; the cleanup runs then too.
    signal.signal(signal.SIGALRM, out_of_time)
    signal.signal(signal.SIGTERM, out_of_time)
    signal.alarm(args.run_time + args.floor_time + 420)
    workdir = Path(tempfile.mkdtemp(prefix="goalbook-load-"))
    env = {**os.environ,
           "DATABASE_URL": args.database_url, "DJANGO_DEBUG": "0", "DJANGO_HTTPS": "0",
           "SECRET_KEY": secrets.token_urlsafe(50), "ALLOWED_HOSTS": "127.0.0.1",
           "STATIC_ROOT": str(workdir / "static"), "MEDIA_ROOT": str(workdir / "media"),
           "LOG_LEVEL": "ERROR",
           # The production settings plus the floor's trivial page; each
           # request's CPU time written here (benchmarks/gunicorn_load.py).
           "DJANGO_SETTINGS_MODULE": "benchmarks.load_settings",
           "LOAD_CPU_LOG": str(workdir / "cpu")}
    if args.profile:
        Path(args.profile).mkdir(parents=True, exist_ok=True)
        env["LOAD_PROFILE"] = str(Path(args.profile).resolve())
    os.environ.update(env)
    server = None
    task_workers = []
    server_log = workdir / "gunicorn.log"
    try:
        started = time.monotonic()
        recreate_database(args.database_url)
        users_file, staff = prepare(workdir, args.staff)
        print(f"prepared {staff} staff, a director and an approver in "
              f"{time.monotonic() - started:.0f} s")
        with open(server_log, "wb") as log:
            server = start_gunicorn(args, env, log)
        task_workers = start_task_workers(args.task_workers, env, workdir)
        wait_until_ready(server, args.port)
        print(f"gunicorn on 127.0.0.1:{args.port}: {args.workers} workers x "
              f"{args.threads} threads; DEBUG off, WhiteNoise, PostgreSQL; "
              f"{staff + 2} users and the login page for {args.run_time} s, starting "
              f"{args.spawn_rate}/s, "
              f"thinking {args.think.replace(',', '-')} s; {args.task_workers} report "
              f"workers at nice 19")
        csv_prefix = workdir / "locust"
        floor_prefix = workdir / "floor"
        if args.floor_time:
            print(f"the floor first: the same users asking for a trivial logged-in page "
                  f"for {args.floor_time} s")
            run_locust(args, env, users_file, staff, floor_prefix, args.floor_time,
                       workdir / "floor.log", floor=True)
        hostile = None
        if args.hostile_uploads:
            hostile = HostileUploads(args.hostile_uploads, args.port,
                                     json.loads(users_file.read_text(encoding="utf-8")), args.think)
            hostile.start()
            print(f"{args.hostile_uploads} clients sending hostile workbooks meanwhile")
        exports = None
        if args.exports:
            # The exports may outlast the users; the web server waits for them.
            exports = ColdExports(args.exports, args.port,
                                  json.loads(users_file.read_text(encoding="utf-8")),
                                  deadline=time.monotonic() + args.run_time + 300)
            exports.start(delay=5)
        before, load_before = children_cpu(), os.getloadavg()[0]
        run_locust(args, env, users_file, staff, csv_prefix, args.run_time,
                   workdir / "locust.log")
        not_refused = 0
        if hostile:
            hostile.stop()
            not_refused = hostile.report()
        requests, failures = report(csv_prefix)
        if args.floor_time:
            floor_failures = against_the_floor(workdir, floor_prefix, csv_prefix)
            failures += floor_failures
        locust_done, load_after = children_cpu(), os.getloadavg()[0]
        exports_failed = 0
        if exports:
            exports.wait()
            exports_failed = exports.report()
        stop(server)
        served = children_cpu()
        for worker in task_workers:
            stop(worker)
        # The other programs on the machine take their share of its cores too.
        print(f"\nCPU seconds: gunicorn {served - locust_done:.0f} (with its start and the "
              f"floor), report "
              f"workers {children_cpu() - served:.0f}, locust {locust_done - before:.0f}, "
              f"of {os.cpu_count() * args.run_time} on "
              f"{os.cpu_count()} cores; load average {load_before:.1f} before, "
              f"{load_after:.1f} after")
        log_text = server_log.read_text(encoding="utf-8", errors="replace")
        server_errors = log_text.count("Internal Server Error")
        ended = log_text.count("ran longer than")
        if ended:
            print(f"{ended} workers ended by kpi_site/gunicorn.py for a request past --timeout")
        warnings = [line for line in (workdir / "locust.log").read_text().splitlines()
                    if "CPU usage" in line]
        task_errors = sum(path.read_text(encoding="utf-8", errors="replace").count("Traceback")
                          for path in workdir.glob("worker-*.log"))
        print(f"{requests} requests, {failures} failures, {server_errors} server errors"
              + (f", {not_refused} hostile uploads not refused with a 400" if hostile else "")
              + (f", {exports_failed} exports without their file, {task_errors} task errors"
                 if exports else "")
              + (f"; locust warned: {warnings[0].strip()}" if warnings else ""))
        if (failures or server_errors or not_refused or exports_failed or task_errors
                or not requests):
            print((workdir / "locust.log").read_text()[-3000:])
            print(server_log.read_text(encoding="utf-8", errors="replace")[-3000:])
            return 1
        return 0
    except BaseException:
        if server_log.exists():
            print(server_log.read_text(encoding="utf-8", errors="replace")[-3000:])
        raise
    finally:
        signal.alarm(0)
        stop(server)
        for worker in task_workers:
            stop(worker)
        recreate_database(args.database_url, create=False)
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
