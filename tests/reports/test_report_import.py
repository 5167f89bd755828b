"""The workbook goes back in: a year's plan created or updated from the
report's XLSX, all or nothing, with every problem located."""

from decimal import Decimal as D
from io import BytesIO

import pytest
from django.contrib.auth import get_user_model
from openpyxl.cell.cell import MergedCell

from goals.models import (Indicator, Institution, Period, Plan, Program, Result, Target,
                          UnitProject)
from goals.selectors import year_figures
from reports import layout
from reports.document import gather
from reports.importer import ImportFailed, import_workbook
from reports.xlsx import render_xlsx
from tests.support.entry_fixtures import program_named
from tests.support.workbooks import edit

pytestmark = pytest.mark.django_db


def exported(institution, year=2024):
    return render_xlsx(gather(institution, year))


def every_figure(book):
    """Everything year_figures() says about a plan, without database ids."""
    names = {}
    for program in book.programs:
        for figure in program.indicators:
            names["i", figure.indicator.pk] = figure.indicator.measurement
        for unit in program.unit_projects:
            names["u", unit.unit_project.pk] = unit.unit_project.name
    rows = [("plan", book.year, book.budget_won, book.has_previous_plan, book.status_counts)]
    for category in book.categories:
        rows.append(("category", category.category.order, category.category.name,
                     category.category.is_common, category.budget_won))
        for program in category.programs:
            p = program.program
            rows.append(("program", p.number, p.name, p.purpose, p.period_start, p.period_end,
                         p.target_group, p.budget_won, p.funding_source, p.stated_budget_eok,
                         p.owner_id, p.previous_id, program.budget_cheon, program.budget_eok,
                         program.unit_totals, program.previous_unit_total))
            for f in program.indicators:
                i = f.indicator
                rows.append(("indicator", i.order, i.measurement, i.unit, i.kind, i.direction,
                             i.rollup, i.scale_max, i.steps, i.is_new, i.previous_id, f.target,
                             f.target_note, f.targets, f.quarters, f.cumulative, f.result,
                             f.achievement, f.baseline_actual, f.baseline_target,
                             f.baseline_unit, f.baseline_note, f.change, f.pace, f.plan_totals,
                             f.linked_target, f.linked_result,
                             [names["u", u.unit_project.pk] for u in f.unit_projects]))
            for u in program.unit_projects:
                unit = u.unit_project
                rows.append(("unit", unit.order, unit.group, unit.name, unit.unit, unit.note,
                             names.get(("i", unit.indicator_id)), u.target, u.targets, u.quarters,
                             u.result))
            for h in program.headlines:
                rows.append(("headline", h.order, h.value, h.state, h.unit, h.label,
                             names.get(("i", h.indicator_id)),
                             names.get(("u", h.unit_project_id))))
            for section, lines in program.narratives.items():
                rows += [("narrative", section, n.order, n.level, n.label, n.text) for n in lines]
            rows += [("last year", u.unit_project.name, u.result)
                     for u in program.previous_unit_projects]
    return rows


def delete_plan(plan):
    Result.objects.filter(indicator__program__category__plan=plan).delete()
    Result.objects.filter(unit_project__program__category__plan=plan).delete()
    plan.delete()


def test_an_exported_year_imported_into_an_empty_year_is_the_same_plan(institution):
    before = every_figure(year_figures(institution, 2024, with_text=True))
    workbook = exported(institution)
    delete_plan(institution.plans.get(year=2024))
    outcome = import_workbook(BytesIO(workbook), institution)
    assert outcome.created
    after = every_figure(year_figures(institution, 2024, with_text=True))
    assert len(after) == len(before) > 300
    for old, new in zip(before, after):
        assert old == new


def find_row(sheet, column, text):
    for row in sheet.iter_rows(min_row=layout.FIRST_ROW):
        cell = row[column - 1]
        if cell.value == text:
            return cell.row
    raise LookupError(text)


def column_of(columns, key):
    return list(columns).index(key) + 1


SUMMARY = layout.SUMMARY_COLUMNS


def test_the_unchanged_workbook_changes_nothing(plan_2024):
    institution = plan_2024.institution
    history = Target.history.count() + Indicator.history.count() + Program.history.count()
    outcome = import_workbook(BytesIO(exported(institution)), institution)
    assert not outcome.created
    assert sum(outcome.counts.values()) == 0
    assert Target.history.count() + Indicator.history.count() + Program.history.count() == history


def test_a_changed_target_and_budget_are_updated_in_place_with_history(plan_2024):
    institution = plan_2024.institution
    indicator = Indicator.objects.get(program__category__plan=plan_2024, measurement="지원사업횟수")
    user = get_user_model().objects.create(username="planner")

    def change(workbook):
        summary = workbook[layout.SUMMARY]
        row = find_row(summary, column_of(SUMMARY, "measurement"), "지원사업횟수")
        summary.cell(row, column_of(SUMMARY, "target"), 65)
        budget = workbook[layout.BUDGET]
        row = find_row(budget, column_of(layout.BUDGET_COLUMNS, "program"), "수탁기관 운영 활성화 지원")
        budget.cell(row, column_of(layout.BUDGET_COLUMNS, "budget_cheon"), 30000)

    outcome = import_workbook(edit(exported(institution), change), institution, user)
    assert outcome.counts == {"updated": 2}
    target = Target.objects.get(indicator=indicator, year=2024)
    assert target.value == 65
    last = target.history.first()
    assert (last.prev_record.value, last.value) == (60, 65)
    assert last.history_user == user and last.history_change_reason == "엑셀 업로드"
    indicator.program.refresh_from_db()
    assert indicator.program.budget_won == 30_000_000
    figure = next(f for f in year_figures(institution, 2024).indicators if f.indicator == indicator)
    assert str(figure.change.percent) == "16.1"  # 65 against last year's 56


def test_new_rows_typed_in_excel_become_new_indicators_and_unit_projects(plan_2024):
    institution = plan_2024.institution

    def change(workbook):
        summary = workbook[layout.SUMMARY]
        row = summary.max_row  # the 합계 row moves down; the new indicator goes above it
        summary.insert_rows(row)
        for key, value in {"category": "전북형 특화 사회서비스 발굴 제공",
                           "program": "④ 사회서비스 산업박람회 개최", "measurement": "참여 기관 수",
                           "unit": "개소", "target": 30}.items():
            summary.cell(row, column_of(SUMMARY, key), value)
        plan = workbook[layout.PLAN]
        columns = layout.plan_columns([2024, 2025, 2026])
        row = plan.max_row + 1
        for key, value in {"program": "사회서비스 산업박람회 개최", "name": "참여 기관 모집",
                           "unit": "개소", "target_0": 30, "target_1": 35, "target_2": "상시",
                           "indicator": "참여 기관 수"}.items():
            plan.cell(row, column_of(columns, key), value)

    outcome = import_workbook(edit(exported(institution), change), institution)
    assert outcome.counts["created"] == 2 + 4  # the two rows, their four targets
    program = program_named(plan_2024, "사회서비스 산업박람회 개최")
    new = program.indicators.get(measurement="참여 기관 수")
    assert (new.order, new.unit, new.kind) == (2, "개소", "count")
    unit = UnitProject.objects.get(program=program, name="참여 기관 모집")
    assert unit.indicator == new
    assert {t.year: t.figure for t in unit.targets.all()} == {2024: 30, 2025: 35, 2026: "상시"}


def test_every_problem_is_reported_by_sheet_row_and_column_and_nothing_is_written(plan_2024):
    institution = plan_2024.institution

    def change(workbook):
        summary = workbook[layout.SUMMARY]
        row = find_row(summary, column_of(SUMMARY, "measurement"), "지원사업횟수")
        summary.cell(row, column_of(SUMMARY, "target"), 99)  # valid, must not be written
        row = find_row(summary, column_of(SUMMARY, "measurement"), "직접고용비율")
        summary.cell(row, column_of(SUMMARY, "target"), 120)
        row = find_row(summary, column_of(SUMMARY, "measurement"), "처우개선추진건수")
        summary.cell(row, column_of(SUMMARY, "target"), "4건")
        summary.cell(row, column_of(SUMMARY, "unit"), "개")
        row = find_row(summary, column_of(SUMMARY, "measurement"), "교육실시 건수")
        summary.cell(row, column_of(SUMMARY, "target"), "스무 번")
        budget = workbook[layout.BUDGET]
        row = find_row(budget, column_of(layout.BUDGET_COLUMNS, "program"), "전북 복지자원 플랫폼 추진")
        budget.cell(row, column_of(layout.BUDGET_COLUMNS, "budget_cheon"), "십오만")
        budget.cell(row + 1, column_of(layout.BUDGET_COLUMNS, "program"), "없는 사업")

    with pytest.raises(ImportFailed) as failure:
        import_workbook(edit(exported(institution), change), institution)
    problems = [str(problem) for problem in failure.value.problems]
    summary = layout.SUMMARY
    assert any(p.startswith(f"{summary} ") and "F열: 100 이하여야 합니다." in p for p in problems)
    assert any(p.startswith(f"{summary} ") and "F열: 숫자만 입력하세요" in p for p in problems)
    assert any(p.startswith(f"{summary} ") and "E열: 단위는" in p for p in problems)
    assert any(p.startswith(f"{summary} ") and "F열: 숫자를 입력하세요. 구축완료" in p
               for p in problems)
    assert any(p.startswith("예산 ") and "C열: 숫자를 입력하세요." in p for p in problems)
    assert any(p.startswith("예산 ") and "B열: 사업개요 시트에 없는 사업입니다: 없는 사업" in p
               for p in problems)
    assert Target.objects.get(indicator__program__category__plan=plan_2024,
                              indicator__measurement="지원사업횟수").value == 60


def test_a_number_too_large_for_its_column_is_a_problem_not_a_crash(plan_2024):
    # 1e400 failed the check of its decimal places with a 500; 1e20 reached the
    # database, where PostgreSQL failed and SQLite kept it.
    institution = plan_2024.institution
    plan_columns = layout.plan_columns([2024, 2025, 2026])

    def change(workbook):
        summary = workbook[layout.SUMMARY]
        row = find_row(summary, column_of(SUMMARY, "measurement"), "지원사업횟수")
        summary.cell(row, column_of(SUMMARY, "target"), "1e400")
        summary.cell(row, column_of(SUMMARY, "stated_actual"), 10**20)
        row = find_row(summary, column_of(SUMMARY, "measurement"), "만족도 점수")
        summary.cell(row, column_of(SUMMARY, "scale_max"), 10**6)
        budget = workbook[layout.BUDGET]
        row = find_row(budget, column_of(layout.BUDGET_COLUMNS, "program"), "전북 복지자원 플랫폼 추진")
        budget.cell(row, column_of(layout.BUDGET_COLUMNS, "budget_cheon"), 10**20)
        budget.cell(row, column_of(layout.BUDGET_COLUMNS, "stated_eok"), 10**5)
        plan = workbook[layout.PLAN]
        row = find_row(plan, column_of(plan_columns, "name"), "돌봄대상자")
        plan.cell(row, column_of(plan_columns, "target_1"), "1e999999999")

    with pytest.raises(ImportFailed) as failure:
        import_workbook(edit(exported(institution), change), institution)
    too_large = [str(problem) for problem in failure.value.problems
                 if problem.message == "값이 너무 큽니다."]
    assert len(too_large) == 6, failure.value.problems
    assert Target.objects.get(indicator__program__category__plan=plan_2024,
                              indicator__measurement="지원사업횟수").value == 60


def test_a_closed_year_is_not_changed(institution):
    closed = exported(institution, 2023)
    with pytest.raises(ImportFailed) as failure:
        import_workbook(BytesIO(closed), institution)
    assert "마감되어 바꿀 수 없습니다" in str(failure.value)


def test_a_row_whose_results_were_entered_is_not_deleted(plan_2024):
    institution = plan_2024.institution
    unit = UnitProject.objects.get(program__category__plan=plan_2024, name="돌봄대상자")
    Result.objects.create(unit_project=unit, period=Period.Q1, value=D(5))

    def change(workbook):
        """The row's cells cleared in Excel (its merged 분야 and 사업 cells stay)."""
        plan = workbook[layout.PLAN]
        columns = layout.plan_columns([2024, 2025, 2026])
        row = find_row(plan, column_of(columns, "name"), "돌봄대상자")
        for cell in plan[row]:
            if not isinstance(cell, MergedCell):
                cell.value = None

    with pytest.raises(ImportFailed) as failure:
        import_workbook(edit(exported(institution), change), institution)
    assert "지울 수 없습니다" in str(failure.value)
    assert UnitProject.objects.filter(pk=unit.pk).exists()


def test_next_years_plan_written_in_excel_continues_this_years(plan_2024):
    institution = plan_2024.institution
    overview = layout.OVERVIEW_COLUMNS

    def change(workbook):
        workbook[layout.SUMMARY]["B2"] = 2025
        for sheet in (workbook[layout.OVERVIEW], workbook[layout.SUMMARY]):
            for row in sheet.iter_rows(min_row=layout.FIRST_ROW):
                for cell in row:
                    if isinstance(cell.value, str):
                        cell.value = cell.value.replace("2024", "2025")
        for row in range(layout.FIRST_ROW, workbook[layout.OVERVIEW].max_row + 1):
            sheet = workbook[layout.OVERVIEW]
            name = sheet.cell(row, column_of(overview, "program")).value
            sheet.cell(row, column_of(overview, "previous"), name)  # continues this year's
            for key in ("period_start", "period_end"):
                cell = sheet.cell(row, column_of(overview, key))
                cell.value = cell.value.replace(year=2025)
        summary = workbook[layout.SUMMARY]
        for row in range(layout.FIRST_ROW, summary.max_row):
            measurement = summary.cell(row, column_of(SUMMARY, "measurement")).value
            summary.cell(row, column_of(SUMMARY, "previous"), measurement)
        plan = workbook[layout.PLAN]
        first = column_of(layout.plan_columns([2024, 2025, 2026]), "target_0")
        for offset, year in enumerate((2025, 2026, 2027)):
            plan.cell(layout.HEADER_ROW, first + offset, str(year))

    outcome = import_workbook(edit(exported(institution), change), institution)
    assert outcome.created and outcome.plan.year == 2025
    assert outcome.plan.status == Plan.Status.DRAFT
    assert Program.objects.filter(category__plan=plan_2024).count() == 14  # untouched
    book = year_figures(institution, 2025)
    assert len(book.programs) == 14 and len(book.indicators) == 21
    outsourcing = next(p for p in book.programs if p.program.name == "수탁기관 운영 활성화 지원")
    assert outsourcing.program.previous.category.plan == plan_2024
    figure = outsourcing.indicators[0]
    # 2025's baseline is 2024's own figures: its target 60, no result yet.
    assert (figure.target, figure.linked_target) == (60, 60)
    assert outsourcing.unit_projects[0].targets == {2025: 25, 2026: 25, 2027: 25}


def test_an_upload_that_is_not_a_workbook_is_refused(institution):
    with pytest.raises(ImportFailed) as failure:
        import_workbook(BytesIO(b"not a spreadsheet"), institution)
    assert str(failure.value).startswith("엑셀(xlsx) 파일을 읽을 수 없습니다.")
    assert not Institution.objects.filter(code="x").exists()


def visible_rows(workbook, name):
    """A sheet's rows without its hidden columns (the row ids differ between
    two databases)."""
    sheet = workbook[name]
    from openpyxl.utils import get_column_letter

    hidden = {key for key, dimension in sheet.column_dimensions.items() if dimension.hidden}
    return [[cell.value for cell in row if get_column_letter(cell.column) not in hidden]
            for row in sheet.iter_rows()]


def test_the_workbooks_make_the_institution_and_both_years_where_there_was_none(
        institution, tmp_path):
    from io import StringIO

    from django.core.management import call_command
    from openpyxl import load_workbook

    from goals.models import Institution

    for year in (2023, 2024):
        call_command("export_report", "--year", str(year), "--format", "xlsx",
                     "--output", str(tmp_path / f"{year}.xlsx"))
    # The database no longer has the institution the workbooks name.
    Institution.objects.filter(pk=institution.pk).update(code="before")
    out = StringIO()
    call_command("import_plan", str(tmp_path / "2023.xlsx"), stdout=out)
    call_command("import_plan", str(tmp_path / "2024.xlsx"), stdout=out)
    assert "기관 전북특별자치도사회서비스원을(를) 만들었습니다" in out.getvalue()
    made = Institution.objects.get(code="jbsss")
    assert made.pk != institution.pk
    assert (made.address, made.founded_year) == ("전북특별자치도 전주시 덕진구 백제대로 805, 6층", 2021)
    statuses = {status.year: status for status in made.statuses.all()}
    assert set(statuses) == {2023, 2024}
    assert (statuses[2024].organization, statuses[2024].quota, statuses[2024].headcount,
            statuses[2024].head_name) == ("1본부 1실 3개팀", 20, 20, "서양열")
    assert made.plans.get(year=2024).reported_on == "2024."
    call_command("export_report", "--year", "2024", "--format", "xlsx", "--institution", "jbsss",
                 "--output", str(tmp_path / "again.xlsx"))
    first, again = (load_workbook(tmp_path / name) for name in ("2024.xlsx", "again.xlsx"))
    assert first.sheetnames == again.sheetnames
    # Every sheet, last year's results too: 2023 held none, so the 2024
    # workbook's 전년도 sheets wrote them (tests/reports/test_report_round_trip.py).
    for name in first.sheetnames:
        assert visible_rows(first, name) == visible_rows(again, name), name


def test_a_workbook_without_the_institution_sheet_makes_no_institution(institution, tmp_path):
    from django.core.management import call_command
    from django.core.management.base import CommandError
    from openpyxl import load_workbook

    from goals.models import Institution
    from reports import layout

    path = tmp_path / "2024.xlsx"
    call_command("export_report", "--year", "2024", "--format", "xlsx", "--output", str(path))
    workbook = load_workbook(path)
    del workbook[layout.INSTITUTION]
    workbook.save(path)
    Institution.objects.filter(pk=institution.pk).update(code="before")
    with pytest.raises(CommandError, match="기관을 찾을 수 없습니다"):
        call_command("import_plan", str(path), "--institution", "jbsss")
    assert not Institution.objects.filter(code="jbsss").exists()


def test_last_years_actuals_worked_out_from_results_survive_a_database_without_them(
        institution, tmp_path):
    """전년 실적 the main table works out from last year's approved results
    (not stated in the plan) comes back as stated where those results are not."""
    from django.core.management import call_command
    from openpyxl import load_workbook

    from goals.models import Indicator, Institution
    from reports import layout

    derived = Indicator.objects.filter(program__category__plan__year=2024,
                                       previous__results__isnull=False).distinct()
    count = derived.count()  # before the import makes more of them (2023's results come too)
    assert count
    derived.update(baseline_actual=None, baseline_target=None, baseline_unit="")
    for year in (2023, 2024):
        call_command("export_report", "--year", str(year), "--format", "xlsx",
                     "--output", str(tmp_path / f"{year}.xlsx"))
    Institution.objects.filter(pk=institution.pk).update(code="before")
    call_command("import_plan", str(tmp_path / "2023.xlsx"))
    call_command("import_plan", str(tmp_path / "2024.xlsx"))
    call_command("export_report", "--year", "2024", "--format", "xlsx", "--institution", "jbsss",
                 "--output", str(tmp_path / "again.xlsx"))
    first, again = (load_workbook(tmp_path / name) for name in ("2024.xlsx", "again.xlsx"))
    assert visible_rows(first, layout.SUMMARY) == visible_rows(again, layout.SUMMARY)
    made = Indicator.objects.filter(program__category__plan__institution__code="jbsss",
                                    program__category__plan__year=2024)
    assert made.filter(baseline_actual__isnull=False).count() >= count


def test_another_institutions_workbook_changes_nothing_here(institution, tmp_path):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    other = Institution.objects.create(code="other", name="다른 기관")
    workbook = exported(institution)
    with pytest.raises(ImportFailed) as failure:
        import_workbook(BytesIO(workbook), other)
    assert "다른 기관(jbsss)의 워크북입니다" in str(failure.value)
    path = tmp_path / "2024.xlsx"
    path.write_bytes(workbook)
    with pytest.raises(CommandError, match="다른 기관\\(jbsss\\)의 워크북입니다"):
        call_command("import_plan", str(path), "--institution", "other")
    assert not other.plans.exists()
