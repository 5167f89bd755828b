"""
What others see is what the institution stands behind: approved values, by
default, for the director, the province's reviewer and every export; the
approver and the director may include the values not approved yet, each then
marked 미승인; the reviewer never. Every row of the overview is read at one
basis quarter, and the choices travel with every link.
"""

import re
import subprocess
from decimal import Decimal as D
from io import BytesIO
from zipfile import ZipFile

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from lxml import etree
from openpyxl import load_workbook

from goals import roles
from goals.models import Indicator, Program, Result, Submission
from goals.synthetic import build_synthetic_plan
from reports.models import Export
from tests.goals.test_dashboard import Tables, indicator_rows, page
from tests.support.entry_fixtures import CARE, make_user, program_named

pytestmark = pytest.mark.django_db

SAFETY = "사회서비스기관 종사자 및 이용자 안전확보"  # 운영 건수: 59건, entered directly


def indicator(measurement, program):
    return Indicator.objects.get(program__category__plan__year=2024, program__name=program,
                                 measurement=measurement)


def result(owner, quarter, value):
    field = "indicator" if isinstance(owner, Indicator) else "unit_project"
    return Result.objects.create(period=quarter, value=D(value), **{field: owner})


def quarter_of(program, quarter, status):
    Submission.objects.update_or_create(program=program, quarter=quarter,
                                        defaults={"status": status})


@pytest.fixture
def year(plan_2024):
    """The 2024 document with Q1 of 안전확보 approved (15건), and a typo of 500건
    entered in Q2 and not submitted; 돌봄's Q1 submitted, not yet approved."""
    safety = indicator("운영 건수", SAFETY)
    result(safety, 1, 15)
    quarter_of(safety.program, 1, Submission.Status.APPROVED)
    result(safety, 2, 500)
    care = program_named(plan_2024, CARE)
    result(care.unit_projects.get(name="돌봄지원단"), 1, 6)
    quarter_of(care, 1, Submission.Status.SUBMITTED)
    return {"safety": safety, "care": care}


def log_in(client, institution, role, username=None):
    user = make_user(institution, role, username or role)
    client.force_login(user)
    return user


def visible_text(html):
    return re.sub(r"<[^>]*>", " ", html)


def row(html, program, measurement):
    return indicator_rows(html)[1][(program, measurement)]


def test_the_director_and_the_reviewer_see_approved_values_only(client, institution, year):
    for role in (roles.DIRECTOR, roles.REVIEWER):
        log_in(client, institution, role)
        html = page(client, "/jbsss/2024/?q=2")
        safety = row(html, SAFETY, "운영 건수")
        # The draft typo lifts nothing: Q2 is not entered, the year so far is Q1's.
        assert (safety["실적"], safety["달성률"], safety["진도"], safety["분기 상태"]) == (
            "15건", "25%", "미입력", "작성중"), role
        care = row(page(client, "/jbsss/2024/?q=1"), CARE, "제공인원수")
        assert (care["실적"], care["분기 상태"]) == ("-", "제출"), role
        # The page's text, not its markup: a CSRF token may hold the digits 500.
        assert "500" not in visible_text(html)
        assert "미승인" not in Tables(html).starting("성과지표별 현황")[1:]
        assert "승인된 값만 보여 줍니다." in html


def test_the_director_may_include_them_and_each_is_marked(client, institution, year):
    log_in(client, institution, roles.DIRECTOR)
    html = page(client, "/jbsss/2024/?q=2&values=all")
    safety = row(html, SAFETY, "운영 건수")
    assert (safety["실적"], safety["달성률"], safety["분기 상태"]) == (
        "515건 미승인", "873%", "작성중")
    totals = {line[0]: line for line in Tables(html).starting("분야별 합계")[1:]}
    assert totals["민간제공기관 서비스 품질향상"][-1].endswith("미승인 포함")
    description = re.search(r'<desc id="achievement-by-category-desc">(.*?)</desc>', html).group(1)
    assert "민간제공기관 서비스 품질향상: " in description and "(미승인 포함)" in description
    assert "제출 전 값 포함" in html
    # The choice goes with every link: program, indicator, sorting, years, filters.
    assert f'href="/jbsss/2024/programs/{year["safety"].program_id}/?q=2&amp;values=all"' in html
    assert f'href="/jbsss/2024/indicators/{year["safety"].pk}/?q=2&amp;values=all"' in html
    assert 'href="/jbsss/2023/?q=2&amp;values=all"' in html
    assert re.search(r'href="\?(?=[^"]*q=2)(?=[^"]*values=all)[^"]*sort=target"', html)
    assert '<option value="all" selected>제출 전 값 포함</option>' in html
    category = year["safety"].program.category_id
    filtered = page(client, f"/jbsss/2024/?q=2&values=all&category={category}")
    shown = indicator_rows(filtered)[1]
    assert (SAFETY, "운영 건수") in shown and not [key for key in shown if key[0] == CARE]
    assert f'href="/jbsss/2024/programs/{year["safety"].program_id}/?q=2&amp;values=all"' in (
        filtered)
    assert '<option value="2" selected>' in filtered
    assert 'href="?q=2&amp;values=all">조건 지우기</a>' in filtered
    # The reports made from the page hold what the page shows.
    assert '<input type="hidden" name="q" value="2">' in html
    assert '<input type="hidden" name="values" value="all">' in html


def test_the_approver_reads_every_value_by_default_and_may_read_approved_ones(
        client, institution, year):
    log_in(client, institution, roles.APPROVER)
    assert row(page(client, "/jbsss/2024/?q=2"), SAFETY, "운영 건수")["실적"] == "515건 미승인"
    assert row(page(client, "/jbsss/2024/?q=2&values=approved"), SAFETY,
               "운영 건수")["실적"] == "15건"


def test_the_reviewer_asking_for_values_not_approved_gets_the_default_and_a_message(
        client, institution, year):
    log_in(client, institution, roles.REVIEWER)
    for url in ("/jbsss/2024/?q=2&values=all",
                f"/jbsss/2024/programs/{year['safety'].program_id}/?q=2&values=all",
                f"/jbsss/2024/indicators/{year['safety'].pk}/?q=2&values=all",
                "/jbsss/compare/?values=all"):
        html = page(client, url)
        assert "검토자에게는 승인된 값만 보입니다." in html, url
        assert "515" not in visible_text(html) and "500건" not in html, url
        assert 'name="values"' not in html, url
    # Nor through a download.
    for kind in ("pdf", "xlsx", "hwpx"):
        content = download(client, kind, q=2, values="all", quarterly=1)
        assert "515" not in report_text(kind, content), kind


def test_staff_see_their_own_drafts_marked_and_no_one_elses(client, institution, year):
    owner = log_in(client, institution, roles.STAFF, "safety-owner")
    Program.objects.filter(pk=year["safety"].program_id).update(owner=owner)
    html = page(client, "/jbsss/2024/?q=2")
    assert row(html, SAFETY, "운영 건수")["실적"] == "515건 미승인"
    assert row(page(client, "/jbsss/2024/?q=1"), CARE, "제공인원수")["실적"] == "-"
    assert "내가 맡은 사업의 승인 전 값" in html
    html = page(client, "/jbsss/2024/?q=2&values=all")
    assert "제출 전 값은 승인자와 원장만 볼 수 있습니다." in html


def test_the_program_and_indicator_pages_and_the_comparison_keep_to_it(client, institution,
                                                                       year):
    log_in(client, institution, roles.DIRECTOR)
    safety = year["safety"]
    program = Tables(page(client, f"/jbsss/2024/programs/{safety.program_id}/?q=2"))
    assert program.starting("2024년 성과지표")[1][4:7] == ["15건", "25%", "미입력"]
    assert ["성과지표", "운영 건수", "15건", "-", "-", "-", "15건"] in program.starting(
        "분기별 실적과 제출 상태")
    marked = Tables(page(client, f"/jbsss/2024/programs/{safety.program_id}/?q=2&values=all"))
    assert ["성과지표", "운영 건수", "15건", "500건 미승인", "-", "-", "515건 미승인"] in (
        marked.starting("분기별 실적과 제출 상태"))
    # The indicator page's charts say it in the text they are read out with.
    for query, is_marked in (("", False), ("&values=all", True)):
        html = page(client, f"/jbsss/2024/indicators/{safety.pk}/?q=2{query}")
        described = " ".join(re.findall(r"<desc[^>]*>(.*?)</desc>", html))
        assert ("2분기: 진도율 873% (미승인)" in described) is is_marked
        assert ("2024: 목표 59건, 실적 515건 (미승인)" in described) is is_marked
        assert ("2분기: 진도율 미입력" in described) is not is_marked
        assert "실적 15건" in described or is_marked
    # Two years side by side, each at its own default basis (2024: Q1).
    for query, care in (("", "-"), ("&values=all", "6명 미승인")):
        compare = Tables(page(client, f"/jbsss/compare/?a=2023&b=2024{query}"))
        later = {(line[0], line[5]): line
                 for line in compare.starting("2023년과 2024년의 성과지표")[1:]}
        assert later[("③ 사회서비스기관 종사자 및 이용자 안전확보", "운영 건수")][7] == "15건"
        assert later[("① 전북형 돌봄 체계화 및 고도화", "제공인원수")][7] == care


def download(client, kind, **data):
    """A report as the overview's buttons ask for it (made at once in tests)."""
    state = client.post("/reports/jbsss/2024/exports/", {"format": kind, **data},
                        HTTP_ACCEPT="application/json").json()
    return b"".join(client.get(state["file_url"]).streaming_content)


def report_text(kind, content):
    if kind == "hwpx":
        with ZipFile(BytesIO(content)) as archive:
            return "\n".join(etree.fromstring(archive.read("Contents/section0.xml")).itertext())
    if kind == "pdf":
        return subprocess.run(["pdftotext", "-layout", "-", "-"], input=content,
                              capture_output=True, check=True).stdout.decode()
    workbook = load_workbook(BytesIO(content))
    return "\n".join(f"{cell.value} {cell.number_format}" for sheet in workbook
                     for line in sheet.iter_rows() for cell in line if cell.value is not None)


def test_the_reports_hold_approved_values_unless_asked_and_then_mark_the_others(
        client, institution, year):
    log_in(client, institution, roles.DIRECTOR)
    pdf = report_text("pdf", download(client, "pdf", q=2, quarterly=1))
    quarters = pdf[pdf.index("2024년 분기별 실적", pdf.index("2024년 분기별 실적") + 1):]
    assert "승인된 값만 실었습니다." in quarters
    assert "500" not in quarters and "미승인" not in quarters
    assert re.search(r"운영 건수\s+59건\s+15건\s+-", quarters)
    pdf = report_text("pdf", download(client, "pdf", q=2, quarterly=1, values="all"))
    quarters = pdf[pdf.index("2024년 분기별 실적", pdf.index("2024년 분기별 실적") + 1):]
    assert re.search(r"운영 건수\s+59건\s+15건\s+500건 미승인\s+-\s+-\s+515건 미승인", quarters)
    assert "제출 전 값 포함" in pdf

    workbook = load_workbook(BytesIO(download(client, "xlsx", q=2)))
    sheet = workbook["분기별 실적"]
    cells = [cell for line in sheet.iter_rows() for cell in line]
    assert not [cell for cell in cells if cell.value == 500]
    assert "승인된 값" in sheet.cell(1, 1).value
    workbook = load_workbook(BytesIO(download(client, "xlsx", q=2, values="all")))
    sheet = workbook[sheet.title]
    typo = next(cell for line in sheet.iter_rows() for cell in line if cell.value == 500)
    assert typo.number_format.endswith('"건 미승인"')  # still a number, marked
    assert "미승인" in sheet.cell(1, 1).value


def test_the_approvers_reports_hold_approved_values_too_unless_asked(client, institution, year):
    # The approver's pages show every value by default; a report is for others
    # to read and holds approved values unless asked.
    log_in(client, institution, roles.APPROVER)
    # 500건 as a page prints it, or a cell of 500 shown with its unit (XLSX).
    typo = r'500(건| [^\n]*"건)'
    for kind in ("pdf", "xlsx", "hwpx"):
        text = report_text(kind, download(client, kind, q=2, quarterly=1))
        assert not re.search(typo, text) and "미승인" not in text, kind
        text = report_text(kind, download(client, kind, q=2, quarterly=1, values="all"))
        assert re.search(typo + ' ?미승인', text), kind
    hwpx = report_text("hwpx", download(client, "hwpx", q=2, quarterly=1, values="all"))
    quarters = hwpx[hwpx.index("2024년 분기별 실적"):]
    assert "500건 미승인" in quarters and "515건 미승인" in quarters
    assert "'미승인'으로 표시했습니다" in quarters and "2분기 말 실적" in quarters


def test_one_basis_per_row_and_a_quarter_without_a_value_is_not_entered(
        client, institution, year):
    log_in(client, institution, roles.DIRECTOR)
    safety = row(page(client, "/jbsss/2024/?q=1"), SAFETY, "운영 건수")
    assert (safety["실적"], safety["달성률"], safety["진도"]) == ("15건", "25%", "정상 25%/25%")
    assert "실적·달성률·진도는 모두 1분기 말 기준입니다." in page(client, "/jbsss/2024/?q=1")
    # Q1 is the latest quarter with approved values: the default basis.
    html = page(client, "/jbsss/2024/")
    assert "모두 1분기 말 기준입니다." in html
    assert 'href="/jbsss/2023/?q=1"' in html


def test_a_basis_or_a_choice_that_makes_no_sense_gets_the_default_and_a_message(
        client, institution, year):
    log_in(client, institution, roles.DIRECTOR)
    html = page(client, "/jbsss/2024/?q=7&values=everything")
    assert html.count('class="field-error"') == 2
    assert "모두 1분기 말 기준입니다." in html
    assert row(html, SAFETY, "운영 건수")["실적"] == "15건"
    assert client.get("/jbsss/2031/?q=2").status_code == 404
    assert client.get(f"/jbsss/2024/indicators/{year['safety'].pk}/?q=x").status_code == 200
    safety = year["safety"]
    # The program page has no form to say it beside: a message at the top.
    program = page(client, f"/jbsss/2024/programs/{safety.program_id}/?q=7&values=everything")
    assert "주소의 기준 분기나 표시할 값을 알 수 없어 기본값으로 보여 드립니다." in program
    assert "실적(1분기 말)" in program
    assert "주소의" not in page(client, f"/jbsss/2024/programs/{safety.program_id}/?q=2")
    indicator = page(client, f"/jbsss/2024/indicators/{safety.pk}/?q=7&values=everything")
    assert indicator.count('class="field-error"') == 2 and "실적(1분기 말)" in indicator
    for url in (f"/jbsss/2031/programs/{safety.program_id}/?q=2",
                f"/jbsss/2031/indicators/{safety.pk}/?q=2"):
        assert client.get(url).status_code == 404, url
    compare = page(client, "/jbsss/compare/?a=2023&b=2031&values=everything")
    assert compare.count('class="field-error"') == 2
    # A report of quarter 7 is refused with the reason, and none is made.
    response = client.post("/reports/jbsss/2024/exports/", {"format": "pdf", "q": 7},
                           HTTP_ACCEPT="application/json")
    assert response.status_code == 400 and "7" in response.json()["error"]
    assert not Export.objects.exists()


def test_query_counts_stay_flat_with_the_plan_and_the_values_shown(client, institution):
    big = build_synthetic_plan(indicators=500)
    user = make_user(institution, roles.DIRECTOR, "director")
    big.members.add(user)
    client.force_login(user)
    page(client, "/jbsss/2024/")

    def queries(url):
        with CaptureQueriesContext(connection) as context:
            page(client, url)
        return len(context.captured_queries)

    counts = {queries(url) for url in (
        "/jbsss/2024/", "/synthetic/2024/", "/synthetic/2024/?values=all",
        "/synthetic/2024/?q=1&values=approved&sort=-result", "/jbsss/2024/?values=all")}
    assert len(counts) == 1, counts


def test_the_indicator_pages_evidence_keeps_to_it_too(client, institution, year):
    """Evidence of a quarter not approved is listed to whoever sees its values
    (its owner, or someone who asked for every value), marked 미승인; not to
    the director reading approved values."""
    from django.core.files.base import ContentFile

    from goals.models import Evidence

    safety = year["safety"]
    q1 = Submission.objects.filter(program=safety.program, quarter=1)
    q1.update(status=Submission.Status.DRAFT)  # attached before its approval
    for quarter, name in ((1, "1분기 명단.pdf"), (2, "2분기 초안.pdf")):
        Evidence.objects.create(program_id=safety.program_id, quarter=quarter, indicator=safety,
                                file=ContentFile(b"%PDF-1.4\n%%EOF\n", name=name), name=name,
                                content_type="application/pdf", size=15, sha256="0" * 64)
    q1.update(status=Submission.Status.APPROVED)

    def listed(query=""):
        html = page(client, f"/jbsss/2024/indicators/{safety.pk}/?q=2{query}")
        items = re.findall(r"<li><a href=\"/evidence/\d+/\">([^<]+)</a>( <span class=\"mark"
                           r" mark--unapproved\">미승인</span>)?", html)
        return {file: bool(mark) for file, mark in items}

    log_in(client, institution, roles.DIRECTOR)
    assert listed() == {"1분기 명단.pdf": False}
    assert listed("&values=all") == {"1분기 명단.pdf": False, "2분기 초안.pdf": True}
    owner = log_in(client, institution, roles.STAFF, "safety-owner")
    Program.objects.filter(pk=safety.program_id).update(owner=owner)
    assert listed() == {"1분기 명단.pdf": False, "2분기 초안.pdf": True}
    log_in(client, institution, roles.STAFF, "colleague")
    assert listed() == {"1분기 명단.pdf": False}
