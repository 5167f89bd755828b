"""
Where the time of the pages everyone opens at once goes: the overview, the
approval page, the entry page, a save with its redirect, and the login, each
profiled with cProfile on SQLite with the 2024 document and its example
year loaded (setup_demo's users and examples), and at 500 indicators (the
benchmarks' synthetic plan).

    .venv/bin/python benchmarks/profile_pages.py            # top costs per page
    .venv/bin/python benchmarks/profile_pages.py --top 25

For each page it prints the CPU time per request as a ratio to a trivial
logged-in page requested in turns with it (absolute times swing on a shared
machine; the ratio much less), its query count, and the functions with the
most time of their own and the most time in all (cumulative), which is what
the closing notes of issue 17 quote.
"""

import argparse
import cProfile
import gc
import pstats
import re
import statistics
import time

from harness import count_queries, engine, render_as_in_production, test_database

VERSION = re.compile(r'name="(p\d+-version_[^"]+)" value="([^"]*)"')

urlpatterns = []


def add_floor():
    from django.http import HttpResponse
    from django.urls import include, path

    urlpatterns[:] = [
        path("benchmark/trivial/", lambda request: HttpResponse("ok")),
        path("", include("kpi_site.urls")),
    ]


class GarbageCollection:
    """CPU time spent collecting garbage (cProfile counts it against whatever
    function happened to run)."""

    def __init__(self):
        self.seconds = 0.0
        self.started = None
        gc.callbacks.append(self.callback)

    def callback(self, phase, info):
        if phase == "start":
            self.started = time.process_time()
        elif self.started is not None:
            self.seconds += time.process_time() - self.started
            self.started = None


COLLECTION = GarbageCollection()


def cpu(function):
    start = time.process_time()
    function()
    return (time.process_time() - start) * 1000


def ratio_to_floor(function, floor, repeat=7):
    """Median CPU ms of `function` and the median of its ratios to `floor`, in turns."""
    function(), floor()
    mine, ratios = [], []
    for _ in range(repeat):
        page = cpu(function)
        base = cpu(floor)
        mine.append(page)
        ratios.append(page / max(base, 0.01))
    return statistics.median(mine), statistics.median(ratios)


def profile(function, repeat=5, top=15, dump=None):
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(repeat):
        function()
    profiler.disable()
    stats = pstats.Stats(profiler)
    if dump:
        stats.dump_stats(dump)
    stats.sort_stats("tottime").print_stats(top)
    # Cumulative, of the project's own code: which of its steps the time is under.
    stats.sort_stats("cumulative").print_stats(r"/(goals|reports|kpi_site)/", top)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--top", type=int, default=15)
    parser.add_argument("--only", default="", help="profile only pages whose label has this")
    parser.add_argument("--gc", default="", help="thresholds to try, e.g. 50000,20,100, and "
                        "freeze what is there after the set-up (kpi_site/gunicorn.py)")
    parser.add_argument("--no-profile", action="store_true", help="the ratios only")
    parser.add_argument("--dump", default="", metavar="DIR",
                        help="write each page's profile to DIR (python -m pstats)")
    options = parser.parse_args()
    with test_database():
        from django.conf import settings
        from django.contrib.auth import get_user_model
        from django.core.management import call_command
        from django.test import Client
        from django.test.utils import override_settings

        from goals.models import Institution, Program
        from goals.synthetic import build_synthetic_plan

        add_floor()
        call_command("setup_demo", stdout=open("/dev/null", "w"))
        document = Institution.objects.order_by("id").first()
        big = build_synthetic_plan(indicators=500)
        users = get_user_model().objects
        staff1, approver, director = (users.get(username=name)
                                      for name in ("staff1", "approver", "director"))
        big.members.add(staff1, approver, director)
        # staff1 owns a 20-indicator share of the synthetic plan too.
        programs = list(Program.objects.filter(category__plan__institution=big,
                                               category__plan__year=2024)[:4])
        for program in programs:
            program.owner = staff1
            program.save()
        clients = {}
        for user in (staff1, approver, director):
            clients[user.username] = Client()
            clients[user.username].force_login(user)

        def get(who, url, status=200):
            def request():
                response = clients[who].get(url)
                assert response.status_code == status, (url, response.status_code)
            return request

        def save(code, quarter, program):
            url = f"/{code}/2024/entry/{quarter}/"
            page = clients["staff1"].get(url)
            section = next(section for section in page.context["sections"]
                           if section["quarter"].program.pk == program.pk)
            form = section["form"]
            data = {form.add_prefix(name): ("" if form[name].value() is None
                                            else form[name].value()) for name in form.fields}
            counter = [0]

            def request():
                counter[0] += 1
                for line in section["quarter"].lines:
                    value = str(counter[0] % 7 + 1)
                    data[form.add_prefix(f"value_{line.key}")] = value
                    # Confirmed as likely, as a user would after the warning.
                    data[form.add_prefix(f"confirm_{line.key}")] = value
                response = clients["staff1"].post(f"{url}{program.pk}/", data, follow=True)
                page = response.content.decode()
                assert response.status_code == 200 and response.redirect_chain, (
                    response.status_code, re.findall(r'class="field-error"[^>]*>([^<]*)', page))
                assert "저장했습니다" in page, "the save was not made"
                # The page the redirect lands on carries the versions of the
                # values just saved: the next save sends them.
                data.update(VERSION.findall(page))
            return request

        def login():
            client = Client()
            response = client.post("/accounts/login/", {"username": "staff1",
                                                        "password": "demo-goals-2024"})
            assert response.status_code == 302, response.status_code

        from goals.models import Submission
        locked = Submission.objects.filter(quarter=3).exclude(status="draft").values("program")
        document_program = (Program.objects.filter(category__plan__institution=document,
                                                   owner=staff1).exclude(pk__in=locked)
                            .order_by("pk").first())
        pages = [
            ("overview, document", get("director", f"/{document.code}/2024/")),
            ("overview, 500 indicators", get("director", f"/{big.code}/2024/")),
            ("approval page, document Q2", get("approver", f"/{document.code}/2024/approval/2/")),
            ("approval page, 500 indicators Q1", get("approver", f"/{big.code}/2024/approval/1/")),
            ("entry page, document Q3 (staff1's 7 programs)",
             get("staff1", f"/{document.code}/2024/entry/3/")),
            ("entry page, 500 indicators Q3 (staff1's 4 programs)",
             get("staff1", f"/{big.code}/2024/entry/3/")),
            ("save Q3 and its redirect to the entry page, document",
             save(document.code, 3, document_program)),
            ("login (password hashing: Django's default)", login),
        ]
        floor = get("director", "/benchmark/trivial/")
        if options.gc:
            gc.collect()
            gc.freeze()
            gc.set_threshold(*(int(n) for n in options.gc.split(",")))
        # Timed as production renders templates (the set-up above read
        # response.context, which the test environment's rendering gives).
        render_as_in_production()
        print(f"database: {engine()}; hasher {settings.PASSWORD_HASHERS[0]}")
        with override_settings(ROOT_URLCONF=__name__):
            for label, function in pages:
                if options.only and options.only not in label:
                    continue
                queries = count_queries(function)
                collected = COLLECTION.seconds
                ms, ratio = ratio_to_floor(function, floor)
                # 8 pages and 8 floors were requested: counted against the pages.
                collecting = (COLLECTION.seconds - collected) * 1000 / 8
                print(f"\n=== {label}: {ms:.1f} ms CPU, {ratio:.1f}x the trivial page in CPU, "
                      f"{queries} queries, about {collecting:.1f} ms a request collecting garbage")
                if not options.no_profile:
                    profile(function, top=options.top, dump=options.dump and (
                        f"{options.dump}/{re.sub(r'[^0-9A-Za-z]+', '-', label)}.prof"))


if __name__ == "__main__":
    main()
