"""What it takes staff to enter and submit a quarter of seven programs (issue
13's closing note), counted in the browser: from the landing page after
logging in, the clicks on links and buttons and the pages loaded, until every
program is submitted. Typing is not counted.

Now: 1분기… 실적 입력 on the to-do list, one 저장 for the page, 모두 제출(7개),
and 7개 사업 제출 on the page that names what will lock: 4 clicks, 4 pages.
Before issue 13 (2980825^1) the page had a 저장 and a 제출 per program, each a
page load, and the landing page was the overview: 실적 입력 in the navigation
(a redirect to the quarter), then 7 × 저장 and 7 × 제출: 15 clicks, 15 pages.
"""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from playwright.sync_api import expect

from goals import entry
from goals.management.commands.setup_demo import DEMO_PASSWORD
from goals.models import Program, Submission
from goals.selectors import default_quarter
from tests.support.browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


class Tally:
    """The clicks made through it, and the documents the page loaded (a
    redirect's landing page is one; the redirect itself is a request)."""

    def __init__(self, page):
        self.clicks = self.loads = self.requests = 0
        page.on("load", self._loaded)
        page.on("request", lambda request: self._requested(page, request))

    def _loaded(self, _page):
        self.loads += 1

    def _requested(self, page, request):
        if request.is_navigation_request() and request.frame == page.main_frame:
            self.requests += 1

    def click(self, locator):
        self.clicks += 1
        locator.click()
        locator.page.wait_for_load_state()


def type_quarter(section, program):
    """Every input of the program's quarter: 1 for a count, 50 for a rate, 해당
    없음 for a milestone not reached; nothing a warning would hold back."""
    for owner in entry.inputs_of(list(program.indicators.all()),
                                 list(program.unit_projects.all())):
        name = owner.name if hasattr(owner, "group") else owner.measurement
        field = section.get_by_label(name, exact=True)
        if owner.kind == "milestone":
            field.select_option("해당 없음")
        else:
            field.fill("50" if owner.unit == "%" else "1")


def test_staff_enter_and_submit_seven_programs_in_four_clicks_and_four_pages(
        live_server, institution, browser_page):
    call_command("setup_demo", stdout=StringIO())
    staff = get_user_model().objects.get(username="staff1")
    plan = institution.plans.get(year=2024)
    programs = list(Program.objects.filter(category__plan=plan, owner=staff)
                    .order_by("category__order", "number"))
    assert len(programs) == 7
    quarter = default_quarter(plan.year)
    page, base = browser_page, live_server.url
    log_in(page, base, "staff1", DEMO_PASSWORD)
    expect(page).to_have_url(f"{base}/jbsss/2024/todo/")

    tally = Tally(page)
    tally.click(page.get_by_role("link", name=f"{quarter}분기 실적 입력"))
    for program in programs:
        type_quarter(page.locator(f"#program-{program.pk}"), program)
    tally.click(page.get_by_role("button", name="저장", exact=True))
    expect(page.locator(".messages")).to_contain_text("를 저장했습니다")
    tally.click(page.get_by_role("link", name="모두 제출(7개)"))
    expect(page.locator(".lock-list li")).to_have_count(7)
    tally.click(page.get_by_role("button", name="7개 사업 제출"))
    expect(page.locator(".messages")).to_contain_text(f"{quarter}분기를 제출했습니다")

    assert [Submission.objects.get(program=program, quarter=quarter).status
            for program in programs] == ["submitted"] * 7
    print(f"\n7 programs entered and submitted: {tally.clicks} clicks, {tally.loads} page "
          f"loads, {tally.requests} HTTP requests")
    assert (tally.clicks, tally.loads) == (4, 4)
    assert tally.requests == 6  # 저장 and 7개 사업 제출 post, and are answered with a redirect
