"""
Example results for the demo: a year that is being lived, not an empty one.

`make run` loads the document, which has targets and last year's results but
no quarter of this year; add_examples() enters results for Q1–Q3 through the
same services staff and the approver use (entry, submission, approval,
return), so that the overview shows what it is for: most of Q1 and Q2
approved, a few programs behind their pace, one quarter returned, Q3 partly
submitted. Every example result and quarter is marked (is_example), every
page says so while they are there (the "예시 데이터" banner), and
remove_examples() takes them out again. Nothing of the document's own
figures (targets, budgets, last year's results) is touched.
"""

from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from . import entry, figures, quarter_page
from .execution import save_execution
from .models import Execution, Kind, PeriodLocked, Result, Submission

SOURCE = "예시 데이터"
QUARTERS = (1, 2, 3)
# Programs (by their place in the plan, from 0) that run at about half their pace.
BEHIND = (2, 5, 9)
# The program whose Q2 the approver returned, and why.
RETURNED = 6
RETURN_COMMENT = "2분기 증빙(참석자 명단)이 빠졌습니다. 보완해 다시 제출해 주세요."
# Programs whose Q2 waits for approval; in Q3 every other program is submitted,
# the rest still drafts, and the last program has entered nothing yet.
SUBMITTED_Q2 = (10, 11)
# The program that spends most of its budget early while running behind: the
# overview flags execution and achievement diverging. Its shares of the budget
# spent by quarter; the other programs spend a quarter of it each quarter.
SPENDS_EARLY = BEHIND[0]
EARLY_SHARES = {1: Decimal("0.6"), 2: Decimal("0.35"), 3: Decimal("0.03")}
EVEN_SHARE = Decimal("0.25")


class ExamplesRefused(Exception):
    pass


def has_examples():
    return Result.objects.filter(is_example=True).exists()


@transaction.atomic
def add_examples(plan, approver):
    """Enter, submit, approve and return example results of `plan`'s Q1–Q3 as
    its programs' owners and `approver` would. Refused for a plan that has
    quarter results already (the examples never mix with real ones)."""
    if Result.objects.filter(period__in=QUARTERS).filter(
            indicator__program__category__plan=plan).exists() or Result.objects.filter(
            period__in=QUARTERS, unit_project__program__category__plan=plan).exists():
        raise ExamplesRefused(_("이 연도에는 이미 분기 실적이 있어 예시를 넣지 않습니다."))
    from .selectors import EVERYTHING, year_figures

    book = year_figures(plan.institution, plan.year, 1, shown=EVERYTHING)
    programs = [program_quarter for program_quarter in quarter_page.program_quarters(book, 1)
                if program_quarter.program.owner_id]
    if not programs:
        raise ExamplesRefused(_("담당자가 정해진 사업이 없어 예시를 넣을 수 없습니다."))
    for quarter in QUARTERS:
        for number, program_quarter in enumerate(programs):
            program = program_quarter.program
            if quarter == 3 and number == len(programs) - 1:
                continue  # nothing entered yet
            pace = Decimal("0.5") if number in BEHIND else Decimal(1)
            entries = [entry.Entry(key=line.key, value=_example_value(
                line.owner, line.target, quarter, pace)) for line in program_quarter.lines]
            outcome = entry.save_quarter(program.owner, program, quarter, entries,
                                         source=SOURCE)
            assert outcome.ok, (program, quarter, outcome)
            if program.budget_won:
                share = EARLY_SHARES[quarter] if number == SPENDS_EARLY else EVEN_SHARE
                amount = (program.budget_won * share).quantize(Decimal(1), ROUND_HALF_UP)
                spent = save_execution(program.owner, program, quarter, str(amount),
                                       source=SOURCE)
                assert spent.ok, (program, quarter, spent)
            _move(program, quarter, number, approver)
    Result.objects.filter(period__in=QUARTERS, indicator__program__category__plan=plan).update(
        is_example=True)
    Result.objects.filter(period__in=QUARTERS,
                          unit_project__program__category__plan=plan).update(is_example=True)
    Submission.objects.filter(program__category__plan=plan, quarter__in=QUARTERS).update(
        is_example=True)
    Execution.objects.filter(program__category__plan=plan, quarter__in=QUARTERS).update(
        is_example=True)


def _example_value(owner, target, quarter, pace):
    """A quarter's example value: a count spread over the year at `pace`, a
    rate or score as its target, a score measured once a year not measured yet."""
    if owner.kind == Kind.SCORE:
        return "해당 없음"
    if owner.kind == Kind.MILESTONE:
        steps = entry.steps_of(owner)
        return steps[min(quarter, len(steps) - 1)]
    if not figures.is_number(target):
        return "0"
    if owner.kind == Kind.RATE:
        return str(target)
    share = (target * pace * quarter / 4).quantize(Decimal(1), ROUND_HALF_UP)
    before = (target * pace * (quarter - 1) / 4).quantize(Decimal(1), ROUND_HALF_UP)
    return str(share - before)


def _move(program, quarter, number, approver):
    """Take the quarter as far as the example year has it."""
    if quarter == 3 and number % 2:
        return  # still a draft
    entry.submit(program.owner, program, quarter)
    if quarter == 3 or (quarter == 2 and number in SUBMITTED_Q2):
        return
    if quarter == 2 and number == RETURNED:
        entry.return_quarter(approver, program, quarter, RETURN_COMMENT)
        return
    entry.approve(approver, program, quarter)


@transaction.atomic
def remove_examples():
    """Take the example results and quarters out; what users entered over an
    example stays theirs. Returns (results, quarters) removed."""
    quarters = list(Submission.objects.filter(is_example=True).select_related(
        "program__category__plan"))
    if any(submission.program.category.plan.is_closed for submission in quarters):
        raise ExamplesRefused(_("마감된 연도의 예시는 지울 수 없습니다."))
    for submission in quarters:
        submission.delete()
    results = list(Result.objects.filter(is_example=True))
    try:
        for result in results:
            result.delete()
        for execution in Execution.objects.filter(is_example=True):
            execution.delete()
    except PeriodLocked as locked:
        raise ExamplesRefused(str(locked.message)) from None
    return len(results), len(quarters)
