"""
The users of the load test (benchmarks/load_test.py starts this; it is not
meant to be run alone): staff who enter their program's quarter and read the
dashboard, a director who reads, and an approver who watches the approval
page. Who logs in as whom comes from the JSON file named by LOAD_TEST_USERS.

Every answer that is not 2xx/3xx is a failure (locust's rule), and so is a
page that is not what was asked for: the login page instead of the app, an
entry page without its form, a save that the page says was refused.
"""

import html
import json
import os
import random
import re

from locust import HttpUser, between, constant, task
from locust.exception import StopUser

with open(os.environ["LOAD_TEST_USERS"], encoding="utf-8") as file:
    PLAN = json.load(file)
STAFF_ACCOUNTS = list(PLAN["staff"])
THINK_SECONDS = [float(seconds) for seconds in os.environ.get("LOAD_THINK", "1,3").split(",")]

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
INPUT = re.compile(r"<input\b([^>]*)>")
SELECT = re.compile(r'<select\b[^>]*\bname="([^"]+)"[^>]*>(.*?)</select>', re.S)
SELECTED = re.compile(r'<option value="([^"]*)" selected')
ATTRIBUTE = re.compile(r'([\w-]+)="([^"]*)"')
SAVED = "개를 저장했습니다"  # "<program>: 값 N개를 저장했습니다."
REFUSED = "저장하지 못했습니다"
MESSAGE = re.compile(r'class="message message--[^"]*"[^>]*>(.*?)<', re.S)


def form_fields(page, action, form_id=None):
    """{name: value} of the inputs and selects of the form posting to `action`
    (and, given its id, of those outside it that name it in form="…"), as
    the browser would send them; None when the page has no such form."""
    start = page.find(f'action="{action}"')
    if start < 0:
        return None
    start = page.rfind("<form", 0, start)
    parts = [page[start:page.index("</form>", start)]]
    fields = {}
    for attributes in INPUT.findall(page if form_id else parts[0]):
        attributes = dict(ATTRIBUTE.findall(attributes))
        inside = attributes.get("form", form_id) == form_id if form_id else True
        if "name" in attributes and inside and (
                attributes.get("type") != "checkbox" or "checked" in attributes):
            fields[attributes["name"]] = html.unescape(attributes.get("value", ""))
    for name, options in SELECT.findall(page if form_id else parts[0]):
        selected = SELECTED.search(options)
        fields[name] = html.unescape(selected.group(1)) if selected else ""
    return fields


def changed_value(current):
    """A whole number from 0 to 9 other than `current`: valid for every
    count, rate and score."""
    return str(random.choice([n for n in range(10) if str(n) != current]))


class GoalBookUser(HttpUser):
    abstract = True
    wait_time = between(*THINK_SECONDS)
    account = None

    def on_start(self):
        self.log_in()

    def log_in(self):
        with self.client.get("/accounts/login/", name="login page",
                             catch_response=True) as response:
            token = TOKEN.search(response.text)
            if token is None:
                response.failure("no CSRF token on the login page")
                raise StopUser()
        with self.client.post("/accounts/login/", name="login", catch_response=True, data={
                "csrfmiddlewaretoken": token.group(1), "username": self.account["username"],
                "password": PLAN["password"], "next": "/"}) as response:
            if "/accounts/login/" in response.url:
                response.failure(f"{self.account['username']} could not log in")
                raise StopUser()

    def read(self, path, name):
        with self.client.get(path, name=name, catch_response=True) as response:
            if response.ok and "/accounts/login/" in response.url:
                response.failure("sent to the login page")

    def read_dashboard(self, code):
        institution = PLAN["institutions"][code]
        choice = random.random()
        if choice < 0.5:
            self.read(f"/{code}/2024/", "overview")
        elif choice < 0.75:
            self.read(f"/{code}/2024/programs/{random.choice(institution['programs'])}/",
                      "program")
        else:
            self.read(f"/{code}/2024/indicators/{random.choice(institution['indicators'])}/",
                      "indicator")


class Staff(GoalBookUser):
    """A staff member who owns one program: enters its quarter again and
    again, and reads the dashboard in between."""

    def on_start(self):
        if not STAFF_ACCOUNTS:
            raise StopUser()  # more locust users than staff accounts
        self.account = STAFF_ACCOUNTS.pop()
        super().on_start()

    @task(3)
    def enter_results(self):
        account, quarter = self.account, PLAN["quarter"]
        page_path = f"/{account['code']}/2024/entry/{quarter}/"
        save_path = f"{page_path}save/"  # one 저장 for the whole page
        with self.client.get(page_path, name="entry page", catch_response=True) as response:
            fields = form_fields(response.text, save_path, "entry-form") if response.ok else None
            if response.ok and not fields:
                response.failure("the entry page has no form for the program")
        if not fields:
            return
        prefix = f"p{account['program']}-value_"
        for name, value in list(fields.items()):
            if name.startswith(prefix) and (value == "" or value.isdigit()):
                fields[name] = changed_value(value)  # milestones (selects) stay as they are
                # A random value can look like a mistake (many times its
                # target): the user confirms it, as after the page's warning.
                fields[name.replace("-value_", "-confirm_", 1)] = fields[name]
        with self.client.post(save_path, data=fields, name="entry save",
                              catch_response=True) as response:
            if not response.ok:
                return
            if not response.history or REFUSED in response.text or SAVED not in response.text:
                said = MESSAGE.search(response.text)
                response.failure(f"the save was refused ({response.status_code}: "
                                 f"{html.unescape(said.group(1)).strip() if said else ''})")

    @task(2)
    def dashboard(self):
        self.read_dashboard(self.account["code"])


class Director(GoalBookUser):
    fixed_count = 1
    account = PLAN["director"]

    @task(3)
    def dashboard(self):
        self.read_dashboard(random.choice(list(PLAN["institutions"])))

    @task(1)
    def compare(self):
        self.read(f"/{self.account['code']}/compare/?a=2023&b=2024", "compare")


class Approver(GoalBookUser):
    fixed_count = 1
    account = PLAN["approver"]

    @task
    def approval_page(self):
        code = random.choice(list(PLAN["institutions"]))
        self.read(f"/{code}/2024/approval/{PLAN['quarter']}/", "approval page")


class LoginPage(HttpUser):
    """Someone who opens the login page every second all through the run: the
    figure that says whether the reports made meanwhile slow the site down."""

    fixed_count = 1
    wait_time = constant(1)

    @task
    def login_page(self):
        self.client.get("/accounts/login/", name="login page")


# The floor (LOAD_FLOOR=1): the same users, logging in the same way and
# thinking as long, ask for a trivial logged-in page instead of their tasks
# (benchmarks/load_urls.py), so that every figure of the run has its floor.
FLOOR = os.environ.get("LOAD_FLOOR") == "1"


def trivial_page(user):
    user.read("/benchmark/trivial/", "trivial page")


if FLOOR:
    # (Set one by one: a loop's variable would be one more user class to locust.)
    Staff.tasks = [trivial_page]
    Director.tasks = [trivial_page]
    Approver.tasks = [trivial_page]
