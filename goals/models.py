"""
The goal book of an institution: its yearly plans, what they aim at, and
what was achieved.

    Institution ─┬─ GeneralStatus (일반현황, per year)
                 └─ Plan (a year) ─ Category (전략 분야) ─ Program (사업)
                        Program ─┬─ Indicator (성과지표) ─┬─ Target (per year)
                                 │                        └─ Result (per quarter, or the year)
                                 ├─ UnitProject (단위사업) ─ Target, Result
                                 ├─ Narrative (사업내용, 추진실적, 중점 추진계획)
                                 ├─ HeadlineTarget (the summary page's figures)
                                 └─ Submission (a quarter: draft → submitted → approved)
"""

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import F, Q
from django.db.models.lookups import GreaterThanOrEqual, LessThanOrEqual
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from . import figures


class PeriodLocked(ValidationError):
    """A value in an approved quarter or a closed year was about to change."""


class Unit(models.TextChoices):
    TIMES = "회", _("회")
    CASES = "건", _("건")
    PERSONS = "명", _("명")
    PLACES = "개소", _("개소")
    PERCENT = "%", _("%")
    POINTS = "점", _("점")


class Kind(models.TextChoices):
    COUNT = "count", _("건수·횟수")
    RATE = "rate", _("비율")
    SCORE = "score", _("점수")
    MILESTONE = "milestone", _("단계·정성")


class Direction(models.TextChoices):
    HIGHER = figures.HIGHER, _("높을수록 좋음")
    LOWER = figures.LOWER, _("낮을수록 좋음")


class Rollup(models.TextChoices):
    SUM = figures.SUM, _("분기 합계")
    LATEST = figures.LATEST, _("최근 분기 값")
    AVERAGE = figures.AVERAGE, _("분기 평균")


class Period(models.IntegerChoices):
    Q1 = 1, _("1분기")
    Q2 = 2, _("2분기")
    Q3 = 3, _("3분기")
    Q4 = 4, _("4분기")
    YEAR = 5, _("연간(확정)")


QUARTERS = (Period.Q1, Period.Q2, Period.Q3, Period.Q4)
DEFAULT_STEPS = ["미착수", "추진중", "구축완료"]
STATE_LENGTH = 50  # a target's or result's state, such as a milestone's step


def _value_checks(prefix):
    """A target or result holds a number, a state (구축완료, 상시), or both, never
    a negative number."""
    return [
        models.CheckConstraint(
            condition=Q(value__isnull=False) | ~Q(state=""),
            name=f"{prefix}_value_or_state",
        ),
        models.CheckConstraint(
            condition=Q(value__isnull=True) | Q(value__gte=0),
            name=f"{prefix}_value_not_negative",
        ),
        models.CheckConstraint(
            condition=(Q(indicator__isnull=False, unit_project__isnull=True)
                       | Q(indicator__isnull=True, unit_project__isnull=False)),
            name=f"{prefix}_of_indicator_or_unit_project",
        ),
    ]


class Institution(models.Model):
    code = models.SlugField(_("기관 코드"), unique=True)
    name = models.CharField(_("기관명"), max_length=100)
    formal_name = models.CharField(_("법인 명칭"), max_length=120, blank=True,
                                   help_text=_("예: (재)전북특별자치도사회서비스원"))
    address = models.CharField(_("소재지"), max_length=200, blank=True)
    founded_year = models.PositiveSmallIntegerField(_("설립 연도"), null=True, blank=True)
    founding_law = models.CharField(_("설립 근거 법률"), max_length=200, blank=True)
    ordinance = models.CharField(_("운영 조례"), max_length=200, blank=True)
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True,
                                     related_name="institutions", verbose_name=_("구성원"))
    history = HistoricalRecords(m2m_fields=[members])

    class Meta:
        verbose_name = _("기관")
        verbose_name_plural = _("기관")
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def display_name(self):
        return self.formal_name or self.name


class GeneralStatus(models.Model):
    """일반현황 of a year: organisation, headcount, head, budget and its funding mix."""

    institution = models.ForeignKey(Institution, models.CASCADE, related_name="statuses",
                                    verbose_name=_("기관"))
    year = models.PositiveSmallIntegerField(_("연도"))
    organization = models.CharField(_("조직"), max_length=100, blank=True,
                                    help_text=_("예: 1본부 1실 3개팀"))
    quota = models.PositiveSmallIntegerField(_("정원"), null=True, blank=True)
    headcount = models.PositiveSmallIntegerField(_("현원"), null=True, blank=True)
    head_name = models.CharField(_("기관장"), max_length=50, blank=True)
    head_term_start = models.DateField(_("기관장 임기 시작"), null=True, blank=True)
    head_term_end = models.DateField(_("기관장 임기 종료"), null=True, blank=True)
    budget_won = models.BigIntegerField(_("예산(원)"), null=True, blank=True)
    budget_is_final = models.BooleanField(_("최종 예산"), default=False)
    # The funding mix is a percentage share of the budget, not an amount.
    national_share = models.DecimalField(_("국비 비중(%)"), max_digits=4, decimal_places=1,
                                         null=True, blank=True)
    local_share = models.DecimalField(_("도·시군비 비중(%)"), max_digits=4, decimal_places=1,
                                      null=True, blank=True)
    other_share = models.DecimalField(_("기타 비중(%)"), max_digits=4, decimal_places=1,
                                      null=True, blank=True)
    history = HistoricalRecords()

    SHARE_FIELDS = ("national_share", "local_share", "other_share")

    class Meta:
        verbose_name = _("일반현황")
        verbose_name_plural = _("일반현황")
        ordering = ["institution", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["institution", "year"], name="status_one_per_year"),
            models.CheckConstraint(condition=Q(budget_won__isnull=True) | Q(budget_won__gte=0),
                                   name="status_budget_not_negative"),
            models.CheckConstraint(
                condition=(Q(head_term_start__isnull=True) | Q(head_term_end__isnull=True)
                           | Q(head_term_end__gte=F("head_term_start"))),
                name="status_head_term_in_order"),
            # Shares add up to 100 (allowing for how SQLite adds decimals).
            models.CheckConstraint(
                condition=(Q(national_share__isnull=True, local_share__isnull=True,
                             other_share__isnull=True)
                           | (Q(GreaterThanOrEqual(
                               F("national_share") + F("local_share") + F("other_share"),
                               Decimal("99.95")))
                              & Q(LessThanOrEqual(
                                  F("national_share") + F("local_share") + F("other_share"),
                                  Decimal("100.05"))))),
                name="status_shares_make_100"),
        ]

    def __str__(self):
        return f"{self.institution} {self.year}"

    def clean(self):
        shares = [getattr(self, name) for name in self.SHARE_FIELDS]
        if any(share is not None for share in shares):
            if any(share is None for share in shares):
                raise ValidationError(_("재원 비중은 국비, 도·시군비, 기타를 모두 입력하세요."))
            if sum(shares) != 100:
                raise ValidationError(
                    _("재원 비중의 합이 100%%가 아닙니다(%(total)s%%).") % {"total": sum(shares)})

    @property
    def head_term_years(self):
        if self.head_term_start and self.head_term_end:
            return round((self.head_term_end - self.head_term_start).days / 365.25)
        return None


class Plan(models.Model):
    """An institution's goals for one year."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("작성중")
        CONFIRMED = "confirmed", _("확정")
        CLOSED = "closed", _("마감")

    institution = models.ForeignKey(Institution, models.PROTECT, related_name="plans",
                                    verbose_name=_("기관"))
    year = models.PositiveSmallIntegerField(_("연도"))
    title = models.CharField(_("제목"), max_length=200, blank=True)
    status = models.CharField(_("상태"), max_length=10, choices=Status.choices,
                              default=Status.DRAFT)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("연도별 계획")
        verbose_name_plural = _("연도별 계획")
        ordering = ["institution", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["institution", "year"], name="plan_one_per_year"),
            models.CheckConstraint(condition=Q(year__gte=2000, year__lte=2100),
                                   name="plan_year_plausible"),
        ]

    def __str__(self):
        return self.title or _("%(year)s년 경영성과 목표") % {"year": self.year}

    @property
    def is_closed(self):
        return self.status == self.Status.CLOSED


class Category(models.Model):
    """전략 분야: a group of programs, in the order the plan gives them."""

    plan = models.ForeignKey(Plan, models.CASCADE, related_name="categories",
                             verbose_name=_("계획"))
    order = models.PositiveSmallIntegerField(_("순서"))
    name = models.CharField(_("분야명"), max_length=100)
    is_common = models.BooleanField(_("공통지표"), default=False,
                                    help_text=_("도 출연기관 모두에 주어지는 공통지표 분야"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("전략 분야")
        verbose_name_plural = _("전략 분야")
        ordering = ["plan", "order"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "order"], name="category_order_unique"),
            models.UniqueConstraint(fields=["plan", "name"], name="category_name_unique"),
        ]

    def __str__(self):
        return self.name


class Program(models.Model):
    """주요경영목표: a program (사업) with its budget, indicators and unit projects."""

    category = models.ForeignKey(Category, models.CASCADE, related_name="programs",
                                 verbose_name=_("전략 분야"))
    number = models.PositiveSmallIntegerField(_("번호"), help_text=_("분야 안의 순번(①, ②…)"))
    name = models.CharField(_("사업명"), max_length=200)
    purpose = models.TextField(_("사업 목적"), blank=True)
    period_start = models.DateField(_("기간 시작"), null=True, blank=True)
    period_end = models.DateField(_("기간 종료"), null=True, blank=True)
    target_group = models.TextField(_("대상"), blank=True)
    budget_won = models.BigIntegerField(_("사업비(원)"), null=True, blank=True)
    funding_source = models.CharField(_("재원"), max_length=50, blank=True,
                                      help_text=_("예: 도비"))
    stated_budget_eok = models.DecimalField(
        _("문서의 사업비(억원)"), max_digits=8, decimal_places=3, null=True, blank=True,
        help_text=_("총괄표에 적힌 억원 값 그대로. 점검에서 원 단위 금액과 비교합니다."))
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True,
                              blank=True, related_name="programs", verbose_name=_("담당자"))
    previous = models.ForeignKey("self", models.SET_NULL, null=True, blank=True,
                                 related_name="continued_by", verbose_name=_("전년도 사업"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("사업")
        verbose_name_plural = _("사업")
        ordering = ["category__plan", "category__order", "number"]
        constraints = [
            models.UniqueConstraint(fields=["category", "number"], name="program_number_unique"),
            models.CheckConstraint(condition=Q(budget_won__isnull=True) | Q(budget_won__gte=0),
                                   name="program_budget_not_negative"),
            models.CheckConstraint(
                condition=(Q(period_start__isnull=True) | Q(period_end__isnull=True)
                           | Q(period_end__gte=F("period_start"))),
                name="program_period_in_order"),
        ]

    def __str__(self):
        return self.name

    @property
    def numbered_name(self):
        return f"{circled(self.number)} {self.name}"

    def clean(self):
        if self.previous_id and self.category_id:
            if self.previous.category.plan.year != self.category.plan.year - 1:
                raise ValidationError({"previous": _("전년도 계획의 사업만 이을 수 있습니다.")})


def circled(number):
    """① for 1 … ⑳ for 20, as the document numbers programs."""
    if 1 <= number <= 20:
        return chr(0x2460 + number - 1)
    return f"({number})"


class Narrative(models.Model):
    """One line of a program's text: 사업내용, 추진실적 or 중점 추진계획."""

    class Section(models.TextChoices):
        CONTENTS = "contents", _("사업내용")
        RESULTS = "results", _("추진실적")
        PLANS = "plans", _("중점 추진계획")

    class Level(models.IntegerChoices):
        ITEM = 1, "○"
        DETAIL = 2, "-"
        NOTE = 3, "*"

    program = models.ForeignKey(Program, models.CASCADE, related_name="narratives",
                                verbose_name=_("사업"))
    section = models.CharField(_("구분"), max_length=10, choices=Section.choices)
    order = models.PositiveSmallIntegerField(_("순서"))
    level = models.PositiveSmallIntegerField(_("수준"), choices=Level.choices,
                                             default=Level.ITEM)
    label = models.CharField(_("항목"), max_length=100, blank=True,
                             help_text=_("표로 된 사업내용의 대상·운영 칸"))
    text = models.TextField(_("내용"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("사업 서술")
        verbose_name_plural = _("사업 서술")
        ordering = ["program", "section", "order"]
        constraints = [
            models.UniqueConstraint(fields=["program", "section", "order"],
                                    name="narrative_order_unique"),
        ]

    def __str__(self):
        return f"{self.get_level_display()} {self.text}"


class Indicator(models.Model):
    """성과지표: what a program is measured by, and how."""

    program = models.ForeignKey(Program, models.CASCADE, related_name="indicators",
                                verbose_name=_("사업"))
    order = models.PositiveSmallIntegerField(_("순서"), default=1)
    measurement = models.CharField(_("측정방법"), max_length=200,
                                   help_text=_("예: 지원사업횟수, 직접고용비율, 만족도 점수"))
    unit = models.CharField(_("단위"), max_length=10, choices=Unit.choices, blank=True)
    kind = models.CharField(_("유형"), max_length=10, choices=Kind.choices,
                            default=Kind.COUNT)
    direction = models.CharField(_("방향"), max_length=10, choices=Direction.choices,
                                 default=Direction.HIGHER)
    rollup = models.CharField(_("연간 집계"), max_length=10, choices=Rollup.choices,
                              default=Rollup.SUM)
    scale_max = models.DecimalField(_("점수 상한"), max_digits=8, decimal_places=2,
                                    null=True, blank=True,
                                    help_text=_("점수 지표의 만점(비우면 100)"))
    steps = models.JSONField(_("단계"), default=list, blank=True,
                             help_text=_("단계·정성 지표의 단계, 순서대로(마지막이 완료)"))
    previous = models.ForeignKey("self", models.SET_NULL, null=True, blank=True,
                                 related_name="continued_by",
                                 verbose_name=_("전년도 지표"))
    is_new = models.BooleanField(_("신규 지표"), default=False)
    # 전년 실적(전년 목표) as the plan states it; without it, last year's
    # indicator's own target and result are used.
    baseline_actual = models.DecimalField(_("전년 실적"), max_digits=14, decimal_places=2,
                                          null=True, blank=True)
    baseline_target = models.DecimalField(_("전년 목표"), max_digits=14, decimal_places=2,
                                          null=True, blank=True)
    baseline_unit = models.CharField(_("전년 값 단위"), max_length=10, choices=Unit.choices,
                                     blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("성과지표")
        verbose_name_plural = _("성과지표")
        ordering = ["program", "order"]
        constraints = [
            models.UniqueConstraint(fields=["program", "order"], name="indicator_order_unique"),
            models.CheckConstraint(
                condition=Q(baseline_actual__isnull=True) | Q(baseline_actual__gte=0),
                name="indicator_baseline_actual_not_negative"),
            models.CheckConstraint(
                condition=Q(baseline_target__isnull=True) | Q(baseline_target__gte=0),
                name="indicator_baseline_target_not_negative"),
            models.CheckConstraint(condition=Q(kind__in=Kind.values), name="indicator_kind_valid"),
            models.CheckConstraint(condition=Q(rollup__in=Rollup.values),
                                   name="indicator_rollup_valid"),
            models.CheckConstraint(condition=Q(direction__in=Direction.values),
                                   name="indicator_direction_valid"),
        ]

    def __str__(self):
        return f"{self.program.name} · {self.measurement}"

    @property
    def milestone_steps(self):
        # Steps a form is still refusing (not a list) are no steps yet.
        return list(self.steps if isinstance(self.steps, list) and self.steps else DEFAULT_STEPS)

    @property
    def upper_bound(self):
        if self.kind == Kind.RATE:
            return Decimal(100)
        if self.kind == Kind.SCORE:
            return self.scale_max if self.scale_max is not None else Decimal(100)
        return None

    def clean(self):
        errors = {}
        if self.steps is None:  # a form's empty field: the default steps
            self.steps = []
        if not isinstance(self.steps, list) or not all(
                isinstance(step, str) and step.strip() and len(step) <= STATE_LENGTH
                for step in self.steps):
            errors["steps"] = _('단계는 ["미착수", "추진중", "구축완료"]처럼 %(length)s자 이내의 '
                                '글을 순서대로 적습니다.') % {"length": STATE_LENGTH}
        if self.kind == Kind.MILESTONE and self.rollup == Rollup.SUM:
            errors["rollup"] = _("단계·정성 지표는 최근 분기 값으로 집계합니다.")
        if self.kind == Kind.MILESTONE and self.unit:
            errors["unit"] = _("단계·정성 지표에는 단위가 없습니다.")
        if self.kind == Kind.RATE and self.unit and self.unit != Unit.PERCENT:
            errors["unit"] = _("비율 지표의 단위는 %입니다.")
        if self.kind == Kind.SCORE and self.unit and self.unit != Unit.POINTS:
            errors["unit"] = _("점수 지표의 단위는 점입니다.")
        if self.kind == Kind.COUNT and self.rollup == Rollup.AVERAGE:
            errors["rollup"] = _("건수·횟수 지표는 분기 합계 또는 최근 값으로 집계합니다.")
        if self.previous_id and self.program_id:
            if self.previous.program.category.plan.year != self.program.category.plan.year - 1:
                errors["previous"] = _("전년도 계획의 지표만 이을 수 있습니다.")
        if errors:
            raise ValidationError(errors)

    def check_value(self, value, state=""):
        """The message for a value this indicator cannot take, or None."""
        return check_value(self.kind, value, state, self.upper_bound, self.milestone_steps)


def check_value(kind, value, state, upper_bound=None, steps=()):
    """
    Whether a result fits its indicator: counts are whole numbers ≥ 0, rates lie
    within 0–100 with one decimal, scores within the indicator's range, and a
    milestone is one of its steps. Returns a Korean message, or None.
    """
    if kind == Kind.MILESTONE:
        if value is not None:
            return _("단계 지표는 숫자가 아니라 단계를 고릅니다.")
        if state not in steps:
            return _("다음 단계 중 하나를 고르세요: %(steps)s") % {"steps": ", ".join(steps)}
        return None
    if value is None:
        return _("값을 입력하세요.")
    if state:
        return _("이 지표에는 숫자만 입력합니다.")
    if value < 0:
        return _("0 이상이어야 합니다.")
    if kind == Kind.COUNT and value != value.to_integral_value():
        return _("건수·횟수는 정수로 입력하세요.")
    if kind == Kind.RATE and value.as_tuple().exponent < -1 and \
            value != value.quantize(Decimal("0.1")):
        return _("비율은 소수점 첫째 자리까지 입력하세요.")
    if kind == Kind.SCORE and value.as_tuple().exponent < -2 and \
            value != value.quantize(Decimal("0.01")):
        return _("점수는 소수점 둘째 자리까지 입력하세요.")
    if upper_bound is not None and value > upper_bound:
        return _("%(bound)s 이하여야 합니다.") % {"bound": figures.format_number(upper_bound)}
    return None


class UnitProject(models.Model):
    """단위사업: a line of a program's three-year plan, with its own unit and
    targets; it may count towards one of the program's indicators."""

    program = models.ForeignKey(Program, models.CASCADE, related_name="unit_projects",
                                verbose_name=_("사업"))
    order = models.PositiveSmallIntegerField(_("순서"))
    group = models.CharField(_("구분"), max_length=100, blank=True,
                             help_text=_("단위사업을 묶는 항목(예: 보편적 돌봄서비스 지원)"))
    name = models.CharField(_("단위사업명"), max_length=200)
    unit = models.CharField(_("단위"), max_length=10, choices=Unit.choices)
    note = models.CharField(_("비고"), max_length=200, blank=True)
    indicator = models.ForeignKey(Indicator, models.SET_NULL, null=True, blank=True,
                                  related_name="unit_projects",
                                  verbose_name=_("집계되는 성과지표"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("단위사업")
        verbose_name_plural = _("단위사업")
        ordering = ["program", "order"]
        constraints = [
            models.UniqueConstraint(fields=["program", "order"], name="unit_project_order_unique"),
        ]

    def __str__(self):
        return self.name

    @property
    def kind(self):
        if self.indicator_id and self.indicator.kind != Kind.COUNT:
            return self.indicator.kind
        return {Unit.PERCENT: Kind.RATE, Unit.POINTS: Kind.SCORE}.get(self.unit, Kind.COUNT)

    def check_value(self, value, state=""):
        upper = Decimal(100) if self.kind in (Kind.RATE, Kind.SCORE) else None
        return check_value(self.kind, value, state, upper, DEFAULT_STEPS)

    def clean(self):
        if self.indicator_id and self.program_id and self.indicator.program_id != self.program_id:
            raise ValidationError({"indicator": _("같은 사업의 성과지표에만 집계할 수 있습니다.")})


class Target(models.Model):
    """목표: a year's target of an indicator or of a unit project."""

    indicator = models.ForeignKey(Indicator, models.CASCADE, null=True, blank=True,
                                  related_name="targets", verbose_name=_("성과지표"))
    unit_project = models.ForeignKey(UnitProject, models.CASCADE, null=True, blank=True,
                                     related_name="targets", verbose_name=_("단위사업"))
    year = models.PositiveSmallIntegerField(_("연도"))
    value = models.DecimalField(_("목표값"), max_digits=14, decimal_places=2,
                                null=True, blank=True)
    state = models.CharField(_("정성 목표"), max_length=STATE_LENGTH, blank=True,
                             help_text=_("숫자가 아닌 목표: 구축완료, 상시 등"))
    note = models.CharField(_("부기"), max_length=100, blank=True,
                            help_text=_("값 옆에 괄호로 적는 말(예: 2개소)"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("목표")
        verbose_name_plural = _("목표")
        ordering = ["year"]
        constraints = [
            *_value_checks("target"),
            models.UniqueConstraint(fields=["indicator", "year"],
                                    condition=Q(indicator__isnull=False),
                                    name="target_one_per_indicator_year"),
            models.UniqueConstraint(fields=["unit_project", "year"],
                                    condition=Q(unit_project__isnull=False),
                                    name="target_one_per_unit_project_year"),
        ]

    def __str__(self):
        return f"{self.owner} {self.year}: {self.figure}"

    @property
    def owner(self):
        return self.indicator or self.unit_project

    @property
    def figure(self):
        """The target as the figures module takes it: a number or a state."""
        return self.value if self.value is not None else (self.state or None)

    def plan(self):
        program = (self.indicator or self.unit_project).program
        return program.category.plan

    def clean(self):
        # A number is a target only if its owner could reach it: no 250% rate,
        # no 2.5 times. A state (상시, 구축완료) is the document's own word.
        if self.value is not None and (self.indicator_id or self.unit_project_id):
            message = self.owner.check_value(self.value)
            if message:
                raise ValidationError({"value": message})

    def save(self, *args, **kwargs):
        self._refuse_if_closed()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        self._refuse_if_closed()
        return super().delete(*args, **kwargs)

    def _refuse_if_closed(self):
        if self.plan().is_closed:
            raise PeriodLocked(_("마감된 연도의 목표는 바꿀 수 없습니다."))


class Submission(models.Model):
    """A program's quarter on its way to approval. An approved quarter is
    locked: no result in it changes until an approver reopens it."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("작성중")
        SUBMITTED = "submitted", _("제출")
        APPROVED = "approved", _("승인")

    program = models.ForeignKey(Program, models.CASCADE, related_name="submissions",
                                verbose_name=_("사업"))
    quarter = models.PositiveSmallIntegerField(_("분기"), choices=Period.choices[:4])
    status = models.CharField(_("상태"), max_length=10, choices=Status.choices,
                              default=Status.DRAFT)
    comment = models.TextField(_("의견"), blank=True,
                               help_text=_("반려·재개 사유"))
    updated_at = models.DateTimeField(_("변경 일시"), auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True,
                                   blank=True, related_name="+", verbose_name=_("변경자"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("분기 제출")
        verbose_name_plural = _("분기 제출")
        ordering = ["program", "quarter"]
        constraints = [
            models.UniqueConstraint(fields=["program", "quarter"],
                                    name="submission_one_per_program_quarter"),
            models.CheckConstraint(condition=Q(quarter__gte=1, quarter__lte=4),
                                   name="submission_quarter_valid"),
            models.CheckConstraint(condition=Q(status__in=["draft", "submitted", "approved"]),
                                   name="submission_status_valid"),
        ]

    def __str__(self):
        return f"{self.program} {self.get_quarter_display()}: {self.get_status_display()}"

    @property
    def is_locked(self):
        return self.status == self.Status.APPROVED


class Result(models.Model):
    """실적: the value of an indicator or unit project for a quarter, or for
    the whole year once it is confirmed (연간 확정, as in last year's table)."""

    indicator = models.ForeignKey(Indicator, models.PROTECT, null=True, blank=True,
                                  related_name="results", verbose_name=_("성과지표"))
    unit_project = models.ForeignKey(UnitProject, models.PROTECT, null=True, blank=True,
                                     related_name="results", verbose_name=_("단위사업"))
    period = models.PositiveSmallIntegerField(_("기간"), choices=Period.choices)
    value = models.DecimalField(_("실적값"), max_digits=14, decimal_places=2,
                                null=True, blank=True)
    state = models.CharField(_("정성 실적"), max_length=STATE_LENGTH, blank=True)
    note = models.TextField(_("비고"), blank=True)
    # Raised on every save; a form carries the version it was read at, so a
    # second writer learns that somebody else saved first.
    version = models.PositiveIntegerField(_("버전"), default=1)
    updated_at = models.DateTimeField(_("변경 일시"), auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True,
                                   blank=True, related_name="+", verbose_name=_("변경자"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("실적")
        verbose_name_plural = _("실적")
        ordering = ["period"]
        constraints = [
            *_value_checks("result"),
            models.CheckConstraint(condition=Q(period__gte=1, period__lte=5),
                                   name="result_period_valid"),
            models.UniqueConstraint(fields=["indicator", "period"],
                                    condition=Q(indicator__isnull=False),
                                    name="result_one_per_indicator_period"),
            models.UniqueConstraint(fields=["unit_project", "period"],
                                    condition=Q(unit_project__isnull=False),
                                    name="result_one_per_unit_project_period"),
        ]

    def __str__(self):
        return f"{self.owner} {self.get_period_display()}: {self.figure}"

    @property
    def owner(self):
        return self.indicator or self.unit_project

    @property
    def program(self):
        return self.owner.program

    @property
    def figure(self):
        return self.value if self.value is not None else (self.state or None)

    def clean(self):
        owner = self.owner
        if owner is not None:
            message = owner.check_value(self.value, self.state)
            if message:
                raise ValidationError({"value": message})

    def lock_reason(self):
        """Why this result may not change now, or None. A result of no
        indicator or unit project (a form about to be refused) belongs to no
        quarter that could be locked."""
        if self.owner is None:
            return None
        program = self.program
        if program.category.plan.is_closed:
            return _("마감된 연도의 실적은 바꿀 수 없습니다.")
        if self.period in QUARTERS and Submission.objects.filter(
                program=program, quarter=self.period,
                status=Submission.Status.APPROVED).exists():
            return _("승인된 분기의 실적은 바꿀 수 없습니다. 승인자가 분기를 재개해야 합니다.")
        return None

    def save(self, *args, **kwargs):
        reason = self.lock_reason()
        if reason:
            raise PeriodLocked(reason)
        if self.pk:
            self.version += 1
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        reason = self.lock_reason()
        if reason:
            raise PeriodLocked(reason)
        return super().delete(*args, **kwargs)


def evidence_path(evidence, filename):
    # Stored under a name of our own: the uploader's file name is only shown.
    return f"evidence/{evidence.program_id}/q{evidence.quarter}/{uuid.uuid4().hex}"


class Evidence(models.Model):
    """증빙: a file backing a program's results for a quarter, optionally one
    indicator's or unit project's value. Kept outside the static root and
    served only to those who may read the program."""

    program = models.ForeignKey(Program, models.PROTECT, related_name="evidence",
                                verbose_name=_("사업"))
    quarter = models.PositiveSmallIntegerField(_("분기"), choices=Period.choices[:4])
    indicator = models.ForeignKey(Indicator, models.SET_NULL, null=True, blank=True,
                                  related_name="evidence", verbose_name=_("성과지표"))
    unit_project = models.ForeignKey(UnitProject, models.SET_NULL, null=True, blank=True,
                                     related_name="evidence", verbose_name=_("단위사업"))
    file = models.FileField(_("파일"), upload_to=evidence_path)
    name = models.CharField(_("파일 이름"), max_length=200)
    content_type = models.CharField(_("형식"), max_length=100)
    size = models.PositiveIntegerField(_("크기(바이트)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True,
                                    related_name="+", verbose_name=_("올린 사람"))
    uploaded_at = models.DateTimeField(_("올린 일시"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("증빙")
        verbose_name_plural = _("증빙")
        ordering = ["program", "quarter", "uploaded_at"]
        constraints = [
            models.CheckConstraint(condition=Q(quarter__gte=1, quarter__lte=4),
                                   name="evidence_quarter_valid"),
        ]

    def __str__(self):
        return self.name

    def lock_reason(self):
        if self.program.category.plan.is_closed:
            return _("마감된 연도의 증빙은 바꿀 수 없습니다.")
        if Submission.objects.filter(program=self.program, quarter=self.quarter,
                                     status=Submission.Status.APPROVED).exists():
            return _("승인된 분기의 증빙은 바꿀 수 없습니다.")
        return None

    def save(self, *args, **kwargs):
        reason = self.lock_reason()
        if reason:
            raise PeriodLocked(reason)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        reason = self.lock_reason()
        if reason:
            raise PeriodLocked(reason)
        storage, name = self.file.storage, self.file.name
        deleted = super().delete(*args, **kwargs)
        # The file goes only once the row is gone for good.
        transaction.on_commit(lambda: storage.delete(name))
        return deleted


class HeadlineTarget(models.Model):
    """A figure on the plan's summary page (2024 경영목표), such as
    "60회(모니터링, 협력체계강화, ESG경영실천지원 등)". It names what it stands
    for, so a check can compare it with the table."""

    program = models.ForeignKey(Program, models.CASCADE, related_name="headlines",
                                verbose_name=_("사업"))
    order = models.PositiveSmallIntegerField(_("순서"))
    value = models.DecimalField(_("값"), max_digits=14, decimal_places=2, null=True, blank=True)
    state = models.CharField(_("정성 값"), max_length=50, blank=True)
    unit = models.CharField(_("단위"), max_length=10, choices=Unit.choices, blank=True)
    label = models.CharField(_("설명"), max_length=200, blank=True)
    indicator = models.ForeignKey(Indicator, models.SET_NULL, null=True, blank=True,
                                  related_name="headlines", verbose_name=_("성과지표"))
    unit_project = models.ForeignKey(UnitProject, models.SET_NULL, null=True, blank=True,
                                     related_name="headlines", verbose_name=_("단위사업"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("요약 목표")
        verbose_name_plural = _("요약 목표")
        ordering = ["program", "order"]
        constraints = [
            models.UniqueConstraint(fields=["program", "order"], name="headline_order_unique"),
            models.CheckConstraint(condition=Q(value__isnull=False) | ~Q(state=""),
                                   name="headline_value_or_state"),
        ]

    def __str__(self):
        return f"{self.program}: {self.figure}{self.unit}"

    @property
    def figure(self):
        return self.value if self.value is not None else (self.state or None)


class DataVersion(models.Model):
    """Which state of an institution's goal book a made thing (an export, a
    cached figure) was made from. Every write to any of the institution's
    rows gives it a new random token in the same transaction (goals.versions),
    so a token seen once never stands for other data, not even after a
    restore. It is not part of the goal book: no history, no backup."""

    institution = models.OneToOneField(Institution, models.CASCADE, primary_key=True,
                                       related_name="data_version", verbose_name=_("기관"))
    token = models.CharField(_("자료 버전"), max_length=32)
    changed_at = models.DateTimeField(_("변경 일시"), auto_now=True)

    class Meta:
        verbose_name = _("자료 버전")
        verbose_name_plural = _("자료 버전")

    def __str__(self):
        return f"{self.institution}: {self.token}"
