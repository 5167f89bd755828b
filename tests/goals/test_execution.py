"""예산 집행: staff enter what a program spent each quarter beside its results;
it goes through the same approval and locks, every change is kept, and the
director sees 집행률 beside achievement, approved amounts only."""

from decimal import Decimal as D

import pytest
from django.utils.html import escape
from hypothesis import given
from hypothesis import strategies as st

from goals import entry, figures
from goals.execution import save_execution
from goals.models import Execution, PeriodLocked, Plan, Result, Submission
from goals.selectors import EVERYTHING, Shown, year_figures
from tests.support.entry_fixtures import (approver, approved_results, care, entry_url,  # noqa: F401
                                  other_staff, outsourcing, staff)

pytestmark = pytest.mark.django_db


def execution_url(program, quarter=1):
    return f"/jbsss/2024/entry/{quarter}/{program.pk}/execution/"


def program_figures(program, quarter=1, shown=EVERYTHING):
    plan = program.category.plan
    book = year_figures(plan.institution, plan.year, quarter, shown=shown, programs=[program.pk])
    return book.programs[0]


# The pure figures ---------------------------------------------------------------------


def test_execution_rate_and_the_year_so_far():
    amounts = {1: 10_000_000, 2: None, 3: 15_000_000, 4: 5_000_000}
    assert figures.executed(amounts, 1) == 10_000_000
    assert figures.executed(amounts, 2) == 10_000_000
    assert figures.executed(amounts, 3) == 25_000_000
    assert figures.executed({1: None}, 4) is None
    assert figures.execution_rate(25_000_000, 100_000_000) == D(25)
    assert figures.execution_rate(25_000_000, None) is None
    assert figures.execution_rate(25_000_000, 0) is None  # no budget: no rate, no division
    assert figures.execution_rate(None, 100) is None


def test_divergence_at_the_named_thresholds():
    high, low = figures.DIVERGENCE_HIGH, figures.DIVERGENCE_LOW
    assert (high, low) == (D(90), D(30))
    assert figures.divergence(high, low) == figures.SPENT_NOT_ACHIEVED
    assert figures.divergence(D(95), D(12)) == figures.SPENT_NOT_ACHIEVED
    assert figures.divergence(high - 1, low) is None
    assert figures.divergence(high, low + 1) is None
    assert figures.divergence(D(10), D(120)) == figures.ACHIEVED_NOT_SPENT
    assert figures.divergence(D(50), D(50)) is None
    assert figures.divergence(None, D(0)) is None


@given(st.decimals(0, 500, places=1), st.decimals(0, 500, places=1))
def test_divergence_needs_one_high_and_the_other_low(rate, achievement):
    flag = figures.divergence(rate, achievement)
    if flag == figures.SPENT_NOT_ACHIEVED:
        assert rate >= figures.DIVERGENCE_HIGH and achievement <= figures.DIVERGENCE_LOW
    elif flag == figures.ACHIEVED_NOT_SPENT:
        assert achievement >= figures.DIVERGENCE_HIGH and rate <= figures.DIVERGENCE_LOW
    else:
        assert not (rate >= figures.DIVERGENCE_HIGH and achievement <= figures.DIVERGENCE_LOW)


# Entering it --------------------------------------------------------------------------


def test_staff_enter_the_quarter_s_amount_on_the_entry_page(client, staff, outsourcing):
    client.force_login(staff)
    page = client.get(entry_url()).content.decode()
    assert "예산 집행" in page and "이번 분기 집행액(원)" in page
    response = client.post(execution_url(outsourcing), {
        f"x{outsourcing.pk}-amount": "12,500,000원", f"x{outsourcing.pk}-version": "0"},
        follow=True)
    assert "집행액을 저장했습니다" in response.content.decode()
    stored = Execution.objects.get(program=outsourcing, quarter=1)
    assert (stored.amount_won, stored.updated_by, stored.version) == (12_500_000, staff, 1)
    figure = program_figures(outsourcing)
    assert figure.executed_won == 12_500_000
    assert figure.execution_rate == figures.execution_rate(12_500_000, outsourcing.budget_won)
    page = client.get(entry_url()).content.decode()
    assert "12,500,000" in page


def test_a_program_without_a_budget_or_spending_says_so_without_a_unit(client, staff,
                                                                        outsourcing):
    outsourcing.budget_won = None
    outsourcing.save()
    client.force_login(staff)
    page = client.get(entry_url()).content.decode()
    assert "사업비 - · 1분기 말 누계 집행액 - · 집행률" in page
    assert "-원" not in page
    save_execution(staff, outsourcing, 1, "1,000", version=0)
    assert "1분기 말 누계 집행액 1,000원" in client.get(entry_url()).content.decode()


@pytest.mark.parametrize("typed, message", [
    ("-5", "0 이상"), ("12.5", "정수"), ("열만원", "정수"), ("9" * 16, "너무 큽니다")])
def test_a_bad_amount_is_refused_in_korean_and_nothing_is_saved(
        client, staff, outsourcing, typed, message):
    client.force_login(staff)
    response = client.post(execution_url(outsourcing), {f"x{outsourcing.pk}-amount": typed})
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    # Beside the field, linked from the summary above the form, what was typed kept.
    field = f"id_x{outsourcing.pk}-amount"
    assert f'<a href="#{field}">' in page and f'id="{field}_error"' in page
    assert f'aria-invalid="true" aria-describedby="{field}_helptext {field}_error" id="{field}"' \
        in page
    assert escape(typed) in page
    assert not Execution.objects.exists()


def test_someone_else_s_program_is_refused(client, staff, care):
    client.force_login(staff)
    response = client.post(execution_url(care), {f"x{care.pk}-amount": "100"})
    assert response.status_code == 403
    assert not Execution.objects.exists()


def test_a_second_writer_learns_who_saved_first(staff, outsourcing):
    assert save_execution(staff, outsourcing, 1, "1000", version=0).changed
    outcome = save_execution(staff, outsourcing, 1, "2000", version=0)  # read before the first
    assert not outcome.ok and "김담당님이" in outcome.problem and "1,000원" in outcome.problem
    assert Execution.objects.get().amount_won == 1000
    assert save_execution(staff, outsourcing, 1, "2000", version=outcome.conflict.version).changed
    assert Execution.objects.get().amount_won == 2000


def test_every_change_is_kept_with_who_when_old_and_new(staff, outsourcing):
    save_execution(staff, outsourcing, 1, "1000", version=0)
    save_execution(staff, outsourcing, 1, "3000", version=1, reason="영수증 누락분")
    record = Execution.objects.get().history.order_by("history_date")
    assert [(row.amount_won, row.history_user, row.history_type) for row in record] == [
        (1000, staff, "+"), (3000, staff, "~")]
    assert record.last().history_change_reason.endswith("영수증 누락분")
    assert record.last().history_date is not None
    save_execution(staff, outsourcing, 1, "", version=2)  # cleared
    assert not Execution.objects.exists()
    assert Execution.history.latest("history_date").history_type == "-"


def test_an_approved_quarter_refuses_any_change_by_any_path(client, staff, approver,
                                                            outsourcing):
    save_execution(staff, outsourcing, 1, "1000", version=0)
    for unit in outsourcing.unit_projects.all():
        Result.objects.create(unit_project=unit, period=1, value=D(1))
    entry.submit(staff, outsourcing, 1)
    # Submitted: staff wait for the approver.
    assert "제출한 분기" in save_execution(staff, outsourcing, 1, "2000", version=1).problem
    entry.approve(approver, outsourcing, 1)
    assert "승인된 분기" in save_execution(staff, outsourcing, 1, "2000", version=1).problem
    stored = Execution.objects.get()
    stored.amount_won = 2000
    with pytest.raises(PeriodLocked):
        stored.save()  # the shell, an import, the admin
    with pytest.raises(PeriodLocked):
        stored.delete()
    with pytest.raises(PeriodLocked):
        Execution(program=outsourcing, quarter=1, amount_won=5).save()
    client.force_login(staff)
    page = client.get(entry_url()).content.decode()
    assert "1분기 집행액: 1,000원" in page
    # The admin offers no change either.
    client.force_login(approver)
    approver.is_superuser = approver.is_staff = True
    approver.save()
    response = client.post(f"/admin/goals/execution/{stored.pk}/change/",
                           {"program": outsourcing.pk, "quarter": 1, "amount_won": 9})
    assert response.status_code in (302, 403) and Execution.objects.get().amount_won == 1000
    # Reopened, it can be corrected again.
    entry.reopen(approver, outsourcing, 1, "집행액 정정")
    assert save_execution(staff, outsourcing, 1, "2000", version=1).changed


def test_a_closed_year_refuses_a_new_amount(staff, outsourcing):
    Plan.objects.filter(pk=outsourcing.category.plan_id).update(status=Plan.Status.CLOSED)
    outsourcing.category.plan.refresh_from_db()
    with pytest.raises(PeriodLocked):
        Execution(program=outsourcing, quarter=2, amount_won=5).save()


# Reading it ---------------------------------------------------------------------------


def test_others_see_approved_amounts_only(staff, approver, outsourcing):
    save_execution(staff, outsourcing, 1, "30000000", version=0)
    Submission.objects.update_or_create(program=outsourcing, quarter=1,
                                        defaults={"status": Submission.Status.APPROVED})
    save_execution(staff, outsourcing, 2, "99000000", version=0)  # a draft
    approved = program_figures(outsourcing, 2, shown=Shown())
    assert approved.executed_won == 30_000_000
    assert not approved.execution_is_unapproved
    mine = program_figures(outsourcing, 2, shown=Shown(owner_id=staff.pk))
    assert mine.executed_won == 129_000_000 and mine.execution_is_unapproved
    assert program_figures(outsourcing, 2).executed_won == 129_000_000


def test_the_overview_and_program_page_show_execution_beside_achievement(
        client, staff, approver, outsourcing):
    outsourcing.budget_won = 100_000_000
    outsourcing.save()
    Execution.objects.create(program=outsourcing, quarter=1, amount_won=95_000_000)
    approved_results(outsourcing.indicators.get(), {1: "5"})
    figure = program_figures(outsourcing, 1, shown=Shown())
    assert figure.execution_rate == D(95)
    assert figure.achievement <= figures.DIVERGENCE_LOW
    assert figure.divergence == figures.SPENT_NOT_ACHIEVED
    client.force_login(approver)
    page = client.get("/jbsss/2024/?q=1").content.decode()
    assert "집행률" in page and "95%" in page and "집행에 비해 성과 부진" in page
    page = client.get(f"/jbsss/2024/programs/{outsourcing.pk}/?q=1").content.decode()
    assert "집행률" in page and "95,000,000" in page and "집행에 비해 성과 부진" in page


def test_the_workbook_has_the_execution_sheet(staff, outsourcing):
    from io import BytesIO

    from openpyxl import load_workbook

    from reports.document import gather
    from reports.execution_sheet import COLUMNS, NAME
    from reports.layout import FIRST_ROW
    from reports.xlsx import render_xlsx

    outsourcing.budget_won = 100_000_000
    outsourcing.save()
    Execution.objects.create(program=outsourcing, quarter=1, amount_won=95_000_000)
    approved_results(outsourcing.indicators.get(), {1: "5"})
    plan = outsourcing.category.plan
    sheet = load_workbook(BytesIO(render_xlsx(gather(plan.institution, 2024, quarter=1))))[NAME]
    column = {key: number for number, key in enumerate(COLUMNS, start=1)}
    rows = {sheet.cell(row, column["program"]).value: row
            for row in range(FIRST_ROW, sheet.max_row + 1)}
    row = rows[outsourcing.name]
    assert sheet.cell(row, column["budget_won"]).value == 100_000_000
    assert sheet.cell(row, column["executed_1"]).value == 95_000_000
    assert sheet.cell(row, column["executed_won"]).value == 95_000_000
    assert sheet.cell(row, column["execution_rate"]).value == 95
    assert sheet.cell(row, column["divergence"]).value == "집행에 비해 성과 부진"
    assert sheet.cell(rows["합계"], column["executed_won"]).value == 95_000_000


def test_the_approver_sees_the_quarter_s_amount(client, staff, approver, outsourcing):
    save_execution(staff, outsourcing, 1, "12500000", version=0)
    client.force_login(approver)
    page = client.get("/jbsss/2024/approval/1/").content.decode()
    assert "1분기 집행액: 12,500,000원" in page


def test_the_results_report_has_the_execution_chapter(staff, outsourcing):
    from reports.document import gather
    from reports.pdf import report_html

    outsourcing.budget_won = 100_000_000
    outsourcing.save()
    Execution.objects.create(program=outsourcing, quarter=1, amount_won=95_000_000)
    approved_results(outsourcing.indicators.get(), {1: "5"})
    plan = outsourcing.category.plan
    html = report_html(gather(plan.institution, 2024, quarter=1, quarterly=True))
    chapter = html[html.index('id="execution"'):].replace("\u2060", "")
    assert "2024년 예산 집행" in chapter
    assert "95,000" in chapter and "95%" in chapter and "집행에 비해 성과 부진" in chapter
    assert 'id="execution"' not in report_html(gather(plan.institution, 2024, quarter=1))


def test_an_approved_amount_cannot_be_moved_to_an_open_quarter(staff, outsourcing):
    execution = Execution.objects.create(program=outsourcing, quarter=1, amount_won=1000)
    Submission.objects.create(program=outsourcing, quarter=1,
                              status=Submission.Status.APPROVED)
    execution.quarter = 2
    with pytest.raises(PeriodLocked):
        execution.save()
    assert Execution.objects.get().quarter == 1
