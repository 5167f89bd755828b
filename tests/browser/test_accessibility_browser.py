"""axe-core on every page of the app, in the states a user meets: before and
after login, locked out, with filters, with a form's errors and a version
conflict, each step of the approval, the upload's problems, the error pages
and the admin pages administrators keep the structure with. A serious or
critical violation of WCAG 2.0/2.1 A or AA fails the test with the rule, the
elements and the help."""

from io import StringIO

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import RequestFactory
from django.views.defaults import server_error
from playwright.sync_api import expect

from goals.management.commands.setup_demo import DEMO_PASSWORD
from goals.models import EvaluationScheme, Result, Submission, Target
from reports.exports import ExportOptions
from reports.models import Export
from tests.support.accessibility import assert_accessible
from tests.support.browser import log_in, log_out
from tests.support.entry_fixtures import OUTSOURCING, program_named

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(live_server, institution):
    """The demo users (admin, approver, director, reviewer, staff1, staff2)."""
    call_command("setup_demo", stdout=StringIO())
    return institution.plans.get(year=2024)


def visit(page, url):
    """Open `url`, which must answer as itself: axe would pass a login or an error page too."""
    response = page.goto(url)
    page.wait_for_load_state()
    assert response.ok and page.url == url, (url, response.status, page.url)


def test_pages_around_the_login_and_the_error_pages(demo, live_server, browser_page):
    page, base = browser_page, live_server.url
    page.goto(f"{base}/")  # redirects, or answers 403 to a user of no institution
    page.wait_for_load_state()
    expect(page).to_have_url(f"{base}/accounts/login/?next=/")
    assert_accessible(page, "login")

    for attempt in range(settings.AXES_FAILURE_LIMIT):
        page.get_by_label("사용자 이름").fill("director")
        page.get_by_label("비밀번호").fill("wrong")
        page.get_by_role("button", name="로그인").click()
        if attempt == 0:
            expect(page.get_by_role("alert")).to_be_focused()
            assert_accessible(page, "login-refused")
    expect(page.get_by_role("heading", level=1)).to_have_text("로그인이 잠시 제한되었습니다")
    assert_accessible(page, "login-locked-out")

    get_user_model().objects.create_user("nobody", password=DEMO_PASSWORD)
    log_in(page, base, "nobody", DEMO_PASSWORD)
    page.goto(f"{base}/")  # redirects, or answers 403 to a user of no institution
    page.wait_for_load_state()
    expect(page.get_by_role("heading", level=1)).to_have_text("소속 기관이 없습니다")
    assert_accessible(page, "no-institution")
    log_out(page)

    log_in(page, base, "staff1", DEMO_PASSWORD)
    response = page.goto(f"{base}/jbsss/2024/approval/1/")
    assert response.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text("권한이 없습니다")
    assert_accessible(page, "error-403")
    response = page.goto(f"{base}/jbsss/2024/programs/999999/")
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("페이지를 찾을 수 없습니다")
    assert_accessible(page, "error-404")

    page.get_by_role("link", name="비밀번호 변경").click()
    page.get_by_label("기존 비밀번호").fill("wrong")
    page.get_by_role("button", name="비밀번호 변경").click()
    expect(page.get_by_role("alert")).to_be_focused()
    assert_accessible(page, "password-change-refused")
    page.get_by_label("기존 비밀번호").fill(DEMO_PASSWORD)
    page.get_by_label("새 비밀번호", exact=True).fill("bright-autumn-2024")
    page.get_by_label("새 비밀번호 (확인)").fill("bright-autumn-2024")
    page.get_by_role("button", name="비밀번호 변경").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("비밀번호를 바꿨습니다")
    assert_accessible(page, "password-changed")

    # The server error page is rendered without a request; shown here in place.
    page.set_content(server_error(RequestFactory().get("/")).content.decode())
    expect(page.get_by_role("heading", level=1)).to_have_text("서버 오류")
    assert_accessible(page, "error-500")


def test_the_dashboard_pages(demo, live_server, browser_page):
    page, base = browser_page, live_server.url
    log_in(page, base, "director", DEMO_PASSWORD)
    page.goto(f"{base}/")  # redirects, or answers 403 to a user of no institution
    page.wait_for_load_state()
    # The director lands on the quarter's progress (issue 13), then reads the overview.
    expect(page).to_have_url(f"{base}/jbsss/2024/todo/")
    assert_accessible(page, "todo-director")
    visit(page, f"{base}/jbsss/2024/")
    assert_accessible(page, "overview")

    visit(page, f"{base}/jbsss/2024/?q=2&status=behind&sort=-change")
    assert_accessible(page, "overview-filtered")
    visit(page, f"{base}/jbsss/2024/?q=9&status=nonsense")
    assert_accessible(page, "overview-bad-filter")

    visit(page, f"{base}/jbsss/compare/")
    assert_accessible(page, "compare")
    visit(page, f"{base}/jbsss/compare/?a=2024&b=2024")
    assert_accessible(page, "compare-bad-years")

    outsourcing = program_named(demo, OUTSOURCING)
    visit(page, f"{base}/jbsss/2024/programs/{outsourcing.pk}/")
    assert_accessible(page, "program")
    indicator = outsourcing.indicators.first()
    visit(page, f"{base}/jbsss/2024/indicators/{indicator.pk}/")
    assert_accessible(page, "indicator")
    visit(page, f"{base}/jbsss/2024/indicators/{indicator.pk}/?q=7")
    assert_accessible(page, "indicator-bad-quarter")


def test_the_evaluation_pages(demo, live_server, browser_page):
    page, base = browser_page, live_server.url
    indicator = program_named(demo, OUTSOURCING).indicators.first()
    Result.objects.create(indicator=indicator, period=1, value=15)
    log_in(page, base, "director", DEMO_PASSWORD)
    visit(page, f"{base}/jbsss/2023/evaluation/")
    assert_accessible(page, "evaluation-2023")
    visit(page, f"{base}/jbsss/2024/evaluation/?q=1")
    assert_accessible(page, "evaluation-2024")
    visit(page, f"{base}/jbsss/2024/evaluation/simulator/")
    assert_accessible(page, "target-simulator")
    visit(page, f"{base}/jbsss/2024/evaluation/simulator/?t{indicator.pk}=abc")
    expect(page.get_by_role("alert")).to_be_focused()
    assert_accessible(page, "target-simulator-invalid")
    log_out(page)
    log_in(page, base, "reviewer", DEMO_PASSWORD)
    visit(page, f"{base}/jbsss/2023/evaluation/review/")
    assert_accessible(page, "evaluation-review")


def test_the_entry_page_with_errors_and_a_conflict(demo, live_server, browser_page, tmp_path):
    page, base = browser_page, live_server.url
    outsourcing = program_named(demo, OUTSOURCING)
    section = page.locator(f"#program-{outsourcing.pk}")
    log_in(page, base, "staff1", DEMO_PASSWORD)
    visit(page, f"{base}/jbsss/2024/entry/1/")
    assert_accessible(page, "entry")

    field = section.get_by_label("소속시설 조직진단 및 모니터링", exact=True)
    field.fill("일곱")
    page.get_by_role("button", name="저장", exact=True).click()
    # The problem is announced (the summary takes the focus) and tied to its field.
    expect(section.get_by_role("alert")).to_be_focused()
    expect(section.get_by_role("alert")).to_contain_text("숫자를 입력하세요('일곱'은(는) 숫자가 아닙니다).")
    expect(field).to_have_attribute("aria-invalid", "true")
    expect(field).to_have_accessible_description("숫자를 입력하세요('일곱'은(는) 숫자가 아닙니다).")
    assert_accessible(page, "entry-invalid-value")

    # Somebody else saves the same value while the page is open.
    visit(page, f"{base}/jbsss/2024/entry/1/")
    unit = outsourcing.unit_projects.get(name="소속시설 조직진단 및 모니터링")
    Result.objects.create(unit_project=unit, period=1, value=3,
                          updated_by=get_user_model().objects.get(username="staff2"))
    section.get_by_label("소속시설 조직진단 및 모니터링", exact=True).fill("7")
    page.get_by_role("button", name="저장", exact=True).click()
    expect(section.get_by_role("alert")).to_be_focused()
    expect(section.get_by_role("alert")).to_contain_text("담당자 2님이")
    assert_accessible(page, "entry-conflict")

    not_a_workbook = tmp_path / "results.xlsx"
    not_a_workbook.write_text("not a workbook")
    page.get_by_label("작성한 엑셀 파일(xlsx)").set_input_files(not_a_workbook)
    page.get_by_role("button", name="엑셀 파일 올리기").click()
    expect(page.locator("#sheet-problems")).to_be_focused()
    assert_accessible(page, "entry-sheet-problems")

    section.get_by_role("button", name="증빙 올리기").click()
    expect(section.get_by_role("alert")).to_be_focused()
    assert_accessible(page, "entry-evidence-missing")

    evidence = tmp_path / "회의록.pdf"
    evidence.write_bytes(b"%PDF-1.4\n%%EOF\n")
    section.get_by_label("증빙 파일").set_input_files(evidence)
    section.get_by_role("button", name="증빙 올리기").click()
    expect(section.get_by_role("button", name="회의록.pdf 지우기")).to_be_visible()
    assert_accessible(page, "entry-with-evidence")

    Submission.objects.update_or_create(program=outsourcing, quarter=1,
                                        defaults={"status": "approved"})
    visit(page, f"{base}/jbsss/2024/entry/1/")
    expect(section.get_by_role("heading", level=2)).to_contain_text("잠김")
    assert_accessible(page, "entry-locked")


def test_the_approval_page_and_the_upload_page(demo, live_server, browser_page, tmp_path):
    page, base = browser_page, live_server.url
    programs = list(demo.categories.first().programs.all()[:2])
    Submission.objects.create(program=programs[0], quarter=1, status="submitted")
    Submission.objects.create(program=programs[1], quarter=1, status="approved")
    log_in(page, base, "approver", DEMO_PASSWORD)
    visit(page, f"{base}/jbsss/2024/approval/1/")
    assert_accessible(page, "approval")

    submitted = page.locator(f"#program-{programs[0].pk}")
    submitted.get_by_role("button", name="반려").click()
    expect(submitted.get_by_role("alert")).to_be_focused()
    expect(submitted.get_by_label("반려 사유")).to_have_attribute("aria-invalid", "true")
    assert_accessible(page, "approval-return-without-reason")
    approved = page.locator(f"#program-{programs[1].pk}")
    approved.get_by_role("button", name="재개").click()
    expect(approved.get_by_role("alert")).to_be_focused()
    assert_accessible(page, "approval-reopen-without-reason")

    visit(page, f"{base}/reports/jbsss/upload/")
    assert_accessible(page, "report-upload")
    not_a_workbook = tmp_path / "plan.xlsx"
    not_a_workbook.write_text("not a workbook")
    page.get_by_label("워크북").set_input_files(not_a_workbook)
    page.get_by_role("button", name="올리기").click()
    expect(page.get_by_role("alert")).to_be_focused()
    assert_accessible(page, "report-upload-problems")


def test_the_export_pages(demo, live_server, browser_page, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    page, base = browser_page, live_server.url
    log_in(page, base, "reviewer", DEMO_PASSWORD)
    visit(page, f"{base}/jbsss/2024/")
    page.get_by_role("button", name="XLSX 내려받기").click()  # made inside the request here
    status = page.locator("[data-report-status]")
    expect(status).to_contain_text("보고서가 준비되었습니다.")
    assert_accessible(page, "overview-export-ready")

    reviewer = get_user_model().objects.get(username="reviewer")
    waiting = Export.objects.create(institution=demo.institution, year=2024, report="plan",
                                    format="pdf", options=ExportOptions().key(), language="ko",
                                    data_version="old", requested_by=reviewer)
    visit(page, f"{base}/reports/jbsss/2024/exports/{waiting.pk}/")
    expect(page.locator(".report-status")).to_have_text("차례를 기다리는 중입니다.")
    assert_accessible(page, "export-queued")
    Export.objects.filter(pk=waiting.pk).update(status="failed", failure="보고서를 만들지 못했습니다.")
    visit(page, f"{base}/reports/jbsss/2024/exports/{waiting.pk}/")
    assert_accessible(page, "export-failed")
    ready = Export.objects.get(format="xlsx")
    visit(page, f"{base}/reports/jbsss/2024/exports/{ready.pk}/")
    expect(page.get_by_role("link", name="jbsss_2024_경영성과목표.xlsx 받기")).to_be_visible()
    assert_accessible(page, "export-ready")


def test_the_admin_pages_for_the_structure(demo, live_server, browser_page):
    """Django's own admin markup, with the inputs of its inline tables named
    (goals.admin.ColumnLabelsMixin) and its breadcrumbs underlined (static/css/admin.css)."""
    page, base = browser_page, live_server.url
    outsourcing = program_named(demo, OUTSOURCING)
    scheme = EvaluationScheme.objects.first()
    target = Target.objects.get(indicator=outsourcing.indicators.first(), year=2024)
    log_in(page, base, "admin", DEMO_PASSWORD)
    for name, path in [
            ("admin-index", "/admin/"),
            ("admin-programs", "/admin/goals/program/?category__plan__year=2024"),
            ("admin-program", f"/admin/goals/program/{outsourcing.pk}/change/"),
            ("admin-indicator", f"/admin/goals/indicator/{outsourcing.indicators.first().pk}/change/"),
            ("admin-plan", f"/admin/goals/plan/{demo.pk}/change/"),
            ("admin-scheme", f"/admin/goals/evaluationscheme/{scheme.pk}/change/"),
            ("admin-target", f"/admin/goals/target/{target.pk}/change/")]:
        visit(page, base + path)
        assert_accessible(page, name)
