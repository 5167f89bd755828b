"""Issue 13: 반려 is visible where staff and the approver look, the landing
page says what each role has to do, and the navigation counts it."""

import pytest

from goals import entry, roles
from goals.models import Submission
from tests.support.entry_fixtures import (PASSWORD, approver, fill_quarter, make_user,  # noqa: F401
                                          outsourcing, staff, working_conditions)

pytestmark = pytest.mark.django_db


def returned(program, staff, approver, comment="증빙이 없습니다"):
    fill_quarter(program, 1, staff)
    entry.submit(staff, program, 1)
    entry.return_quarter(approver, program, 1, comment)


def test_a_return_shows_on_the_entry_page_the_landing_page_and_the_navigation(
        client, staff, approver, outsourcing):
    returned(outsourcing, staff, approver)
    client.force_login(staff)
    page = client.get("/jbsss/2024/entry/1/").content.decode()
    top = page.index("반려 사유: 증빙이 없습니다")
    assert top < page.index(f'id="program-{outsourcing.pk}"')
    # On another quarter's page (Q4, where staff land) too, with the way to Q1.
    other = client.get("/jbsss/2024/entry/4/").content.decode()
    assert ("반려 사유: 증빙이 없습니다" in other
            and f"/jbsss/2024/entry/1/#program-{outsourcing.pk}" in other)
    landing = client.get("/jbsss/2024/todo/1/").content.decode()
    assert "반려 사유: 증빙이 없습니다" in landing
    assert "반려 1" in landing  # the navigation's count


def test_the_approver_sees_returned_not_never_submitted_and_what_changed_since(
        client, staff, approver, outsourcing):
    returned(outsourcing, staff, approver)
    client.force_login(approver)
    page = client.get("/jbsss/2024/approval/1/").content.decode()
    section = page[page.index(f'id="program-{outsourcing.pk}"'):]
    section = section[:section.index("</section>")]
    assert "담당자가 아직 제출하지 않았습니다" not in section
    assert "반려했습니다. 담당자가 고쳐 다시 제출하면" in section
    unit = outsourcing.unit_projects.order_by("pk").first()
    version = unit.results.get(period=1).version
    assert entry.save_quarter(staff, outsourcing, 1, [entry.Entry(
        key=entry.key_of(unit), value="9", note="증빙 보완", version=version)]).ok
    entry.submit(staff, outsourcing, 1)
    page = client.get("/jbsss/2024/approval/1/").content.decode()
    assert "이후 바뀐 값" in page and "반려 사유: 증빙이 없습니다" in page
    section = page[page.index(f'id="program-{outsourcing.pk}"'):]
    changes = section[section.index("이후 바뀐 값"):section.index("</table>")]
    assert unit.name in changes and "1회" in changes and "9회" in changes
    assert "승인 대기 1" in page


def test_the_landing_page_per_role(client, institution, staff, approver, outsourcing):
    director = make_user(institution, roles.DIRECTOR, "director", "원장")
    fill_quarter(outsourcing, 1, staff)
    entry.submit(staff, outsourcing, 1)
    client.force_login(director)
    page = client.get("/jbsss/2024/todo/1/").content.decode()
    assert "1분기 진행 상황" in page and "제출 1개" in page
    client.force_login(approver)
    page = client.get("/jbsss/2024/todo/1/").content.decode()
    assert "승인 대기 1개" in page and outsourcing.name in page
    client.force_login(staff)
    page = client.get("/jbsss/2024/todo/1/").content.decode()
    assert "내 사업" in page and "제출" in page
    assert Submission.objects.get(program=outsourcing, quarter=1).status == "submitted"


def test_after_a_reopening_the_approver_sees_what_changed_since_the_approval(
        client, staff, approver, outsourcing):
    fill_quarter(outsourcing, 1, staff)
    entry.submit(staff, outsourcing, 1)
    entry.approve(approver, outsourcing, 1)
    entry.reopen(approver, outsourcing, 1, "오타 수정")
    unit = outsourcing.unit_projects.order_by("pk").first()
    assert entry.save_quarter(staff, outsourcing, 1, [entry.Entry(
        key=entry.key_of(unit), value="4", version=unit.results.get(period=1).version)]).ok
    entry.submit(staff, outsourcing, 1)
    client.force_login(approver)
    page = client.get("/jbsss/2024/approval/1/").content.decode()
    section = page[page.index(f'id="program-{outsourcing.pk}"'):]
    changes = section[section.index("지난 승인("):section.index("</table>")]
    assert unit.name in changes and "1회" in changes and "4회" in changes


def test_each_roles_landing_page_says_what_it_has_to_do(client, institution, staff, approver,
                                                        outsourcing, working_conditions):
    """Issue 13's to-do panel: staff their programs' states with the return's
    comment and the due date; the approver what was returned and what is
    overdue, with owners; the director the quarter's progress and what is behind."""
    director = make_user(institution, roles.DIRECTOR, "director", "원장")
    fill_quarter(outsourcing, 1, staff, value="0")  # approved, and behind its pace
    entry.submit(staff, outsourcing, 1)
    entry.approve(approver, outsourcing, 1)
    returned(working_conditions, staff, approver, comment="증빙 보완")

    client.force_login(staff)
    page = client.get("/jbsss/2024/todo/1/").content.decode()
    assert "반려 사유: 증빙 보완" in page
    assert "1분기 제출 기한: 2024. 4. 20. (D+" in page
    rows = page[page.index("1분기 내 사업"):page.index("</table>")]
    assert rows.index(working_conditions.name) < rows.index(outsourcing.name)  # 반려 first
    assert "status--returned" in rows and "status--approved" in rows

    client.force_login(approver)
    page = client.get("/jbsss/2024/todo/1/").content.decode()
    fix = page[page.index("반려 후 수정 대기 1개"):]
    assert fix[:fix.index("</li>")].endswith(f"{working_conditions.numbered_name} (김담당)")
    overdue = page[page.index("기한이 지났는데 제출하지 않음 13개"):]
    overdue = overdue[:overdue.index("</li>")]
    assert f"{working_conditions.numbered_name} (김담당)" in overdue and "(미지정)" in overdue
    assert outsourcing.name not in overdue

    client.force_login(director)
    page = client.get("/jbsss/2024/todo/1/").content.decode()
    assert "전체 14개 사업 중 제출 0개, 승인 1개" in page
    behind = page[page.index("진도가 늦은 성과지표"):]
    assert "지원사업횟수" in behind[:behind.index("</ul>")]
