"""
A synthetic plan of any size, for benchmarks and for tests that prove a page
or a report costs the same number of queries at 14 programs as at 500
indicators.
"""

from decimal import Decimal

from django.db import transaction

from . import versions
from .models import (Category, Indicator, Institution, Kind, Period, Plan, Program, Result, Rollup,
                     Submission, Target, Unit, UnitProject)

CATEGORIES = 5


@transaction.atomic
def build_synthetic_plan(indicators=500, year=2024, code="synthetic", quarters_entered=2,
                         per_program=5):
    """A plan of `indicators` indicators, `per_program` to a program, each with a
    unit project, targets for three years, and results for the first quarters."""
    institution, _created = Institution.objects.get_or_create(
        code=code, defaults={"name": f"합성 기관 {code}"})
    previous = Plan.objects.create(institution=institution, year=year - 1,
                                   status=Plan.Status.DRAFT)
    plan = Plan.objects.create(institution=institution, year=year, status=Plan.Status.CONFIRMED)
    categories = Category.objects.bulk_create(
        Category(plan=owner, order=order, name=f"분야 {order}")
        for owner in (previous, plan) for order in range(1, CATEGORIES + 1))
    last_categories, categories = categories[:CATEGORIES], categories[CATEGORIES:]
    program_count = -(-indicators // per_program)
    last_programs = Program.objects.bulk_create(
        Program(category=last_categories[n % CATEGORIES], number=n // CATEGORIES + 1,
                name=f"전년 사업 {n + 1}") for n in range(program_count))
    programs = Program.objects.bulk_create(
        Program(category=categories[n % CATEGORIES], number=n // CATEGORIES + 1,
                name=f"사업 {n + 1}", budget_won=(n + 1) * 1_000_000,
                previous=last_programs[n], stated_budget_eok=None)
        for n in range(program_count))

    def indicator(n, program, previous=None):
        kind = Kind.SCORE if n % 7 == 0 else Kind.COUNT
        return Indicator(program=program, order=n % per_program + 1,
                         measurement=f"지표 {n + 1}", kind=kind,
                         unit=Unit.POINTS if kind == Kind.SCORE else Unit.TIMES,
                         rollup=Rollup.LATEST if kind == Kind.SCORE else Rollup.SUM,
                         previous=previous)

    last_indicators = Indicator.objects.bulk_create(
        indicator(n, last_programs[n // per_program]) for n in range(indicators))
    this_indicators = Indicator.objects.bulk_create(
        indicator(n, programs[n // per_program], last_indicators[n]) for n in range(indicators))
    unit_projects = UnitProject.objects.bulk_create(
        UnitProject(program=owner.program, order=owner.order, name=f"단위사업 {n + 1}",
                    unit=owner.unit, indicator=owner)
        for n, owner in enumerate(this_indicators))

    def amount(n):
        return Decimal(80 + n % 10) if n % 7 == 0 else Decimal(10 + n % 30)

    targets = [Target(indicator=owner, year=year - 1, value=amount(n))
               for n, owner in enumerate(last_indicators)]
    targets += [Target(indicator=owner, year=year, value=amount(n) + 2)
                for n, owner in enumerate(this_indicators)]
    targets += [Target(unit_project=owner, year=year + offset, value=amount(n) + offset)
                for n, owner in enumerate(unit_projects) for offset in range(3)]
    Target.objects.bulk_create(targets)
    results = [Result(indicator=owner, period=Period.YEAR, value=amount(n) + 1)
               for n, owner in enumerate(last_indicators)]
    results += [Result(unit_project=owner, period=quarter, value=Decimal(n % 5 + 1))
                for n, owner in enumerate(unit_projects)
                for quarter in range(1, quarters_entered + 1)]
    Result.objects.bulk_create(results)
    Submission.objects.bulk_create(
        Submission(program=program, quarter=quarter, status=Submission.Status.SUBMITTED)
        for program in programs for quarter in range(1, quarters_entered + 1))
    previous.status = Plan.Status.CLOSED
    previous.save()
    versions.bump(institution)  # bulk_create sends no signals
    return institution
