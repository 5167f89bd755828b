"""Issue 13 in the browser, at 1366 and at 390 px: staff save two programs
with one button, submit both after a page that names what will lock, get one
back with a comment and see it on their landing page, fix it and submit it
again; the approver sees the evidence and what changed since the return and
approves both at once; the director reads the quarter's progress. axe finds
nothing serious or critical, and no page scrolls sideways at 390 px."""

import pytest
from playwright.sync_api import expect

from goals import entry, roles
from goals.models import Submission
from tests.support.accessibility import assert_accessible
from tests.support.browser import log_in, log_out, screenshot
from tests.support.entry_fixtures import (OUTSOURCING, PASSWORD, WORKING_CONDITIONS, make_user,
                                  program_named)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def inputs(program):
    return entry.inputs_of(list(program.indicators.all()), list(program.unit_projects.all()))


def typed(owner):
    if owner.kind == "milestone":
        return None
    return "50" if owner.unit == "%" else "1"


def name_of(owner):
    return owner.name if hasattr(owner, "group") else owner.measurement


def fits(page, width, where):
    """Nothing makes the page wider than the screen."""
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= width + 1, f"{where}: the page is {scroll} px wide at {width} px"


def lines_of(element):
    """How many lines the element's text takes."""
    return element.evaluate("e => { const r = document.createRange(); r.selectNodeContents(e);"
                            " return new Set([...r.getClientRects()].map(x => x.top)).size; }")


@pytest.mark.parametrize("width", [1366, 390])
def test_the_quarter_from_entry_to_approval(live_server, browser, institution, tmp_path, width):
    plan = institution.plans.get(year=2024)
    staff = make_user(institution, roles.STAFF, "staff13", "담당자 가")
    make_user(institution, roles.APPROVER, "approver13", "승인자 나")
    make_user(institution, roles.DIRECTOR, "director13", "원장 다")
    programs = [program_named(plan, OUTSOURCING), program_named(plan, WORKING_CONDITIONS)]
    for program in programs:
        program.owner = staff
        program.save()
    first, second = programs
    context = browser.new_context(locale="ko-KR", viewport={"width": width, "height": 900})
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.on("dialog", lambda dialog: dialog.accept())
    base = live_server.url
    small = width < 500

    # Staff: both programs typed in, one 저장.
    log_in(page, base, "staff13", PASSWORD)
    expect(page).to_have_url(f"{base}/jbsss/2024/todo/")
    page.goto(f"{base}/jbsss/2024/entry/1/")
    for program in programs:
        section = page.locator(f"#program-{program.pk}")
        for owner in inputs(program):
            field = section.get_by_label(name_of(owner), exact=True)
            if typed(owner) is None:
                field.select_option("해당 없음")
            else:
                field.fill(typed(owner))
    if small:
        fits(page, width, "entry page")
        box = page.locator(f"#program-{first.pk} input.num").first.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= width
    page.get_by_role("button", name="저장", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("를 저장했습니다")
    assert_accessible(page, f"issue13-entry-{width}")

    evidence = tmp_path / "참석자 명단.pdf"
    evidence.write_bytes(b"%PDF-1.4\n%%EOF\n")
    section = page.locator(f"#program-{first.pk}")
    section.get_by_label("증빙 파일").set_input_files(evidence)
    section.get_by_role("button", name="증빙 올리기").click()
    expect(page.locator(".messages")).to_contain_text("참석자 명단.pdf")

    page.get_by_role("link", name="모두 제출(2개)").click()
    expect(page.locator("main")).to_contain_text("값과 증빙을 바꿀 수 없습니다")
    expect(page.locator(".lock-list")).to_contain_text(first.name)
    expect(page.locator(".lock-list")).to_contain_text(second.name)
    assert_accessible(page, f"issue13-submit-all-{width}")
    page.get_by_role("button", name="2개 사업 제출").click()
    expect(page.locator(".messages")).to_contain_text("1분기를 제출했습니다")
    screenshot(page, f"issue13-submitted-{width}.png", full_page=False)
    log_out(page)

    # The approver returns the first, saying why.
    log_in(page, base, "approver13", PASSWORD)
    page.goto(f"{base}/jbsss/2024/approval/1/")
    section = page.locator(f"#program-{first.pk}")
    expect(section).to_contain_text("참석자 명단.pdf")
    expect(section).to_contain_text("담당자 가")
    section.get_by_label("반려 사유").fill("참석 인원을 다시 확인하세요")
    section.get_by_role("button", name="반려", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("반려했습니다")
    log_out(page)

    # Staff see it where they land, fix it and submit it again.
    log_in(page, base, "staff13", PASSWORD)
    expect(page.locator("main")).to_contain_text("반려 사유: 참석 인원을 다시 확인하세요")
    expect(page.get_by_role("navigation", name="주 메뉴")).to_contain_text("반려 1")
    if small:
        fits(page, width, "landing page")
    assert_accessible(page, f"issue13-landing-returned-{width}")
    page.get_by_role("link", name=f"{first.numbered_name} 1분기").click()
    expect(page.locator(".notice--returned").first).to_contain_text("참석 인원을 다시 확인하세요")
    unit = inputs(first)[0]
    page.locator(f"#program-{first.pk}").get_by_label(name_of(unit), exact=True).fill("2")
    page.get_by_role("button", name="저장", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("값 1개를 저장했습니다")
    page.locator(f"#program-{first.pk}").get_by_role("button", name="1분기 제출").click()
    expect(page.locator(".messages")).to_contain_text("1분기를 제출했습니다")
    log_out(page)

    # The approver sees what changed since the return and approves both at once.
    log_in(page, base, "approver13", PASSWORD)
    expect(page.get_by_role("navigation", name="주 메뉴")).to_contain_text("승인 대기 2")
    page.goto(f"{base}/jbsss/2024/approval/1/")
    section = page.locator(f"#program-{first.pk}")
    changes = section.locator(".changes-since")
    expect(changes).to_contain_text("이후 바뀐 값")
    expect(changes).to_contain_text(name_of(unit))
    expect(changes).to_contain_text("2")
    if small:
        fits(page, width, "approval page")
    assert_accessible(page, f"issue13-approval-{width}")
    for program in programs:
        page.get_by_label(f"{program.name} 선택").check()
    page.get_by_role("button", name="선택한 사업 승인").click()
    expect(page.locator(".messages")).to_contain_text("2개 사업을 승인했습니다")
    assert all(Submission.objects.get(program=program, quarter=1).status == "approved"
               for program in programs)
    log_out(page)

    # The director: the quarter's progress on the landing page.
    log_in(page, base, "director13", PASSWORD)
    page.goto(f"{base}/jbsss/2024/todo/1/")
    expect(page.locator("main")).to_contain_text("승인 2개")
    if small:
        fits(page, width, "director's landing page")
    assert_accessible(page, f"issue13-director-{width}")
    # The overview fits the screen, and prints on A4 landscape.
    page.goto(f"{base}/jbsss/2024/")
    if small:
        fits(page, width, "overview")
    page.emulate_media(media="print")
    pdf = page.pdf(prefer_css_page_size=True)
    assert pdf.startswith(b"%PDF")
    assert b"/MediaBox [0 0 841" in pdf  # A4, landscape (841.89 × 595.28 pt)
    text = tmp_path / "overview.pdf"
    text.write_bytes(pdf)
    import subprocess

    printed = subprocess.run(["pdftotext", "-layout", str(text), "-"], capture_output=True,
                             text=True, check=True).stdout
    assert "진도" in printed and "전년목표" in printed  # the right-most columns are printed
    context.close()


def test_the_header_wraps_between_its_items_not_inside_a_word(live_server, browser, institution):
    """At 390 px a long name pushes the header's links to a second line, each
    whole: "비밀번호 변경" is never cut into "비밀번호 변" and "경"."""
    make_user(institution, roles.STAFF, "longname", "사회서비스지원팀 담당자")
    page = browser.new_context(locale="ko-KR", viewport={"width": 390, "height": 800}).new_page()
    log_in(page, live_server.url, "longname", PASSWORD)
    page.goto(f"{live_server.url}/jbsss/2024/")
    fits(page, 390, "overview")
    for words in ("비밀번호 변경", "로그아웃", "사회서비스지원팀 담당자"):
        assert lines_of(page.locator(".site-user").get_by_text(words, exact=True)) == 1, (
            f"'{words}' breaks inside a word at 390 px")


def test_the_save_bar_leaves_most_of_a_phone_screen_to_the_values(live_server, browser,
                                                                   institution):
    """At 390 px the entry page's save bar, which stays on screen, keeps to its
    reason and buttons: the sentences that explain it are read at the page's
    end, not over the values, and the reason's help stays its description."""
    staff = make_user(institution, roles.STAFF, "phone", "담당자")
    program = program_named(institution.plans.get(year=2024), OUTSOURCING)
    program.owner = staff
    program.save()
    page = browser.new_context(locale="ko-KR", viewport={"width": 390, "height": 800}).new_page()
    log_in(page, live_server.url, "phone", PASSWORD)
    page.goto(f"{live_server.url}/jbsss/2024/entry/1/")
    bar = page.locator(".page-actions")
    expect(bar.get_by_role("button", name="저장")).to_be_visible()
    expect(bar.get_by_label("변경 사유(선택)")).to_have_accessible_description(
        "이미 저장된 값을 고칠 때 적으면 변경 이력에 남습니다.")
    height = bar.bounding_box()["height"]
    assert height < 800 / 4, f"the save bar is {height:.0f} px of an 800 px screen"
    fits(page, 390, "entry page")
