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
                                 └─ Submission (a quarter: draft → submitted → approved,
                                                or returned to its owner)
"""

import datetime
import uuid
from contextvars import ContextVar
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import F, Q
from django.db.models.lookups import GreaterThanOrEqual, LessThanOrEqual
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from . import figures, scoring


class PeriodLocked(ValidationError):
    """A value in an approved quarter or a closed year was about to change."""


# {(program id, quarter): Submission} that the writer in this thread holds
# locked until its transaction ends (goals.entry.save_quarters): their status
# cannot change meanwhile.
HELD_SUBMISSIONS = ContextVar("held_submissions", default=None)


class KeepsPlaceWhileLocked(models.Model):
    """
    What holds a value of an approved quarter or a closed year keeps its place:
    while held_lock() names a lock, the fields in `place` (its program, plan,
    indicator, quarter) cannot change, through any path (a form, the admin, a
    plan import, the shell): moving it would carry an approved value into a
    quarter that can still be changed. The values it was read with are kept
    (from_db), so an unmoved object costs no query.
    """

    place = ()

    class Meta:
        abstract = True

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._loaded_place = {name: getattr(instance, name) for name in cls.place
                                  if name in instance.__dict__}
        return instance

    def held_lock(self):
        """Why this object, as stored, may not move now; None when it may."""
        raise NotImplementedError

    def stored_place(self):
        loaded = getattr(self, "_loaded_place", {})
        if all(name in loaded for name in self.place):
            return loaded
        return type(self)._default_manager.filter(pk=self.pk).values(*self.place).first() or {}

    def refuse_moving_while_locked(self):
        if self.pk is None:
            return
        stored = self.stored_place()
        if not stored or all(stored[name] == getattr(self, name) for name in self.place):
            return
        reason = type(self)._default_manager.get(pk=self.pk).held_lock()
        if reason:
            raise PeriodLocked(_("%(object)s: %(reason)s 잠긴 동안에는 다른 곳으로 옮길 수 "
                                 "없습니다.") % {"object": self, "reason": reason})

    def clean(self):
        super().clean()
        self.refuse_moving_while_locked()

    def save(self, *args, **kwargs):
        self.refuse_moving_while_locked()
        super().save(*args, **kwargs)
        self._loaded_place = {name: getattr(self, name) for name in self.place}


class EnteredForQuarter(KeepsPlaceWhileLocked):
    """
    What is entered for a program's quarter (a result, an amount spent, a
    piece of evidence): while its lock_reason() names a lock (the quarter is
    approved, the year closed; each model words it for what it holds) it is
    neither saved nor deleted, whichever path asks. With `versioned`, every
    save raises its version, so that a second writer learns somebody else
    saved first.
    """

    versioned = False

    class Meta:
        abstract = True

    def held_lock(self):
        return self.lock_reason()

    def save(self, *args, **kwargs):
        reason = self.lock_reason()
        if reason:
            raise PeriodLocked(reason)
        if self.versioned and self.pk:
            self.version += 1
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        reason = self.lock_reason()
        if reason:
            raise PeriodLocked(reason)
        return super().delete(*args, **kwargs)


def values_lock(program, results, evidence):
    """Why `results` and `evidence` of `program` are locked (a closed year,
    an approved quarter), or None."""
    if program.category.plan.is_closed:
        return _("마감된 연도의 값이 있습니다.")
    approved = Submission.objects.filter(program=program,
                                         status=Submission.Status.APPROVED).values("quarter")
    if results.filter(period__in=approved).exists() or evidence.filter(
            quarter__in=approved).exists():
        return _("승인된 분기의 실적이나 증빙이 있습니다.")
    return None


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


def _quarter_valid(prefix):
    """A quarter is 1 to 4, whatever path writes it (a field's choices bind forms only)."""
    return models.CheckConstraint(condition=Q(quarter__gte=1, quarter__lte=4),
                                  name=f"{prefix}_quarter_valid")


class HoldsFigure:
    """A target, a result or a revision: a number (value), a state (state:
    구축완료, 상시), or both."""

    @property
    def figure(self):
        """As the figures module takes it: the number, else the state, else None."""
        return self.value if self.value is not None else (self.state or None)


class OfIndicatorOrUnitProject(HoldsFigure):
    """A target or result: of an indicator or of a unit project, never both."""

    @property
    def owner(self):
        return self.indicator or self.unit_project

    @property
    def program(self):
        return self.owner.program


def _figure_checks(prefix, or_else=None):
    """A number, a state, or both, never a negative number; `or_else` is what
    else may stand for them (a result of a quarter that is not measured)."""
    holds = Q(value__isnull=False) | ~Q(state="")
    return [
        models.CheckConstraint(
            condition=holds | or_else if or_else is not None else holds,
            name=f"{prefix}_value_or_state",
        ),
        models.CheckConstraint(
            condition=Q(value__isnull=True) | Q(value__gte=0),
            name=f"{prefix}_value_not_negative",
        ),
    ]


def _owner_checks(prefix, per):
    """Of an indicator or of a unit project, and one for each of its `per`
    (a target's year, a result's period)."""
    return [
        models.CheckConstraint(
            condition=(Q(indicator__isnull=False, unit_project__isnull=True)
                       | Q(indicator__isnull=True, unit_project__isnull=False)),
            name=f"{prefix}_of_indicator_or_unit_project",
        ),
        *[models.UniqueConstraint(fields=[owner, per], condition=Q(**{f"{owner}__isnull": False}),
                                  name=f"{prefix}_one_per_{owner}_{per}")
          for owner in ("indicator", "unit_project")],
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
    reported_on = models.CharField(
        _("보고일"), max_length=20, blank=True,
        help_text=_("보고서 표지에 적는 날짜, 문서에 적힌 그대로(예: 2024.). "
                    "비어 있으면 보고서를 만든 날짜를 적습니다."))
    history = HistoricalRecords()

    # A closed year opens again only through reopen().
    _reopening = False

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

    @classmethod
    def from_db(cls, db, field_names, values):
        plan = super().from_db(db, field_names, values)
        plan._loaded_status = plan.__dict__.get("status")
        return plan

    def reopen(self, user, reason, status=Status.CONFIRMED):
        """A superuser opens a closed year again, saying why: every result and
        evidence of the year can change after it. The history keeps who, when
        and why."""
        if not user.is_superuser:
            raise PermissionDenied(_("마감된 연도는 최고 관리자만 다시 열 수 있습니다."))
        reason = (reason or "").strip()
        if not reason:
            raise ValidationError({"reopen_reason": _("마감을 푸는 사유를 적어 주세요.")})
        self.status = status
        self._history_user = user
        self._change_reason = (_("마감 해제: %(reason)s") % {"reason": reason})[:100]
        self._reopening = True
        try:
            self.save()
        finally:
            self._reopening = False

    def save(self, *args, **kwargs):
        loaded = getattr(self, "_loaded_status", None)
        if self.pk and loaded is None:
            loaded = Plan.objects.filter(pk=self.pk).values_list("status", flat=True).first()
        if loaded == self.Status.CLOSED and not self.is_closed and not self._reopening:
            raise PeriodLocked(_("마감된 연도는 최고 관리자가 사유를 적어야 다시 열 수 있습니다."))
        super().save(*args, **kwargs)
        self._loaded_status = self.status


class Category(KeepsPlaceWhileLocked):
    """전략 분야: a group of programs, in the order the plan gives them."""

    # Moving a category to another plan moves its programs, and their values,
    # to another year.
    place = ("plan_id",)

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

    def held_lock(self):
        for program in self.programs.all():
            reason = program.held_lock()
            if reason:
                return reason
        return None


class Program(KeepsPlaceWhileLocked):
    """주요경영목표: a program (사업) with its budget, indicators and unit projects."""

    place = ("category_id",)

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
    # Whether the printed tables carry a 계 row is what the document does, not
    # a rule: it prints one for some plans of counts and not for others.
    plan_total = models.BooleanField(
        _("추진계획 계 표시"), default=False,
        help_text=_("3개년 추진계획 표에 계 행을 싣습니다(단위가 다르면 단위별로 적습니다)."))
    results_total = models.BooleanField(
        _("추진실적 계 표시"), default=False,
        help_text=_("전년도 단위사업 실적 표에 계 행을 싣습니다."))
    printed_title = models.CharField(
        _("사업 쪽 제목"), max_length=200, blank=True,
        help_text=_("사업 쪽의 제목이 사업명과 다를 때, 문서에 적힌 그대로."))
    target_label = models.CharField(
        _("대상 항목명"), max_length=20, blank=True,
        help_text=_("사업개요에서 대상을 부르는 말(비어 있으면 '대상', 예: 사업대상)."))
    contents_label = models.CharField(
        _("사업내용 표 첫 열"), max_length=20, blank=True,
        help_text=_("사업내용 표의 첫 열 제목(비어 있으면 '대상', 예: 운영)."))
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
        super().clean()
        if self.previous_id and self.category_id:
            if self.previous.category.plan.year != self.category.plan.year - 1:
                raise ValidationError({"previous": _("전년도 계획의 사업만 이을 수 있습니다.")})

    def stored_place(self):
        stored = super().stored_place()
        # Another category of the same plan is the same place: its year and
        # its quarters' approvals stay as they are.
        if stored and stored["category_id"] != self.category_id and Category.objects.filter(
                pk__in=[stored["category_id"], self.category_id]).values("plan").distinct(
                ).count() == 1:
            return {"category_id": self.category_id}
        return stored

    def is_approved(self, quarter):
        """Whether the program's `quarter` is approved: as held locked by the
        writer now (HELD_SUBMISSIONS), else as stored."""
        held = (HELD_SUBMISSIONS.get() or {}).get((self.pk, quarter))
        if held is not None:
            return held.status == Submission.Status.APPROVED
        return Submission.objects.filter(program=self, quarter=quarter,
                                         status=Submission.Status.APPROVED).exists()

    def held_lock(self):
        reason = values_lock(self, Result.objects.filter(Q(indicator__program=self)
                                                         | Q(unit_project__program=self)),
                             self.evidence.all())
        if reason is None and self.executions.filter(quarter__in=Submission.objects.filter(
                program=self, status=Submission.Status.APPROVED).values("quarter")).exists():
            reason = _("승인된 분기의 집행액이 있습니다.")
        return reason


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


class Indicator(KeepsPlaceWhileLocked):
    """성과지표: what a program is measured by, and how."""

    place = ("program_id",)

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

    def held_lock(self):
        counted = Q(indicator=self) | Q(unit_project__indicator=self)
        return values_lock(self.program, Result.objects.filter(counted),
                           Evidence.objects.filter(counted))

    def clean(self):
        super().clean()
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


class UnitProject(KeepsPlaceWhileLocked):
    """단위사업: a line of a program's three-year plan, with its own unit and
    targets; it may count towards one of the program's indicators."""

    place = ("program_id", "indicator_id")

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

    @property
    def rollup(self):
        """How its quarters make its year: counts add up, the rest is the latest value."""
        return Rollup.SUM if self.kind == Kind.COUNT else Rollup.LATEST

    def check_value(self, value, state=""):
        upper = Decimal(100) if self.kind in (Kind.RATE, Kind.SCORE) else None
        return check_value(self.kind, value, state, upper, DEFAULT_STEPS)

    def held_lock(self):
        return values_lock(self.program, self.results.all(), self.evidence.all())

    def clean(self):
        super().clean()
        if self.indicator_id and self.program_id and self.indicator.program_id != self.program_id:
            raise ValidationError({"indicator": _("같은 사업의 성과지표에만 집계할 수 있습니다.")})


class Target(OfIndicatorOrUnitProject, KeepsPlaceWhileLocked):
    """목표: a year's target of an indicator or of a unit project."""

    place = ("indicator_id", "unit_project_id", "year")

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
        constraints = [*_figure_checks("target"), *_owner_checks("target", "year")]

    def __str__(self):
        return f"{self.owner} {self.year}: {self.figure}"

    def plan(self):
        return self.program.category.plan

    def held_lock(self):
        return _("마감된 연도의 목표입니다.") if self.plan().is_closed else None

    def in_force(self, excluding=None):
        """The target as it stands: its latest revision's (변경), or its own (당초)."""
        latest = None
        if self.pk:
            latest = self.revisions.exclude(pk=excluding).order_by("-approved_on", "-pk").first()
        return latest.figure if latest else self.figure

    def clean(self):
        super().clean()
        # A number is a target only if its owner could reach it: no 250% rate,
        # no 2.5 times. A state (상시, 구축완료) is the document's own word.
        if self.value is not None and (self.indicator_id or self.unit_project_id):
            message = self.owner.check_value(self.value)
            if message:
                raise ValidationError({"value": message})
        self._refuse_if_revised()

    def save(self, *args, **kwargs):
        self._refuse_if_closed()
        self._refuse_if_revised()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        self._refuse_if_closed()
        if self.revisions.exists():
            raise ValidationError(REVISED_TARGET_MESSAGE)
        return super().delete(*args, **kwargs)

    def _refuse_if_closed(self):
        if self.plan().is_closed:
            raise PeriodLocked(_("마감된 연도의 목표는 바꿀 수 없습니다."))

    def _refuse_if_revised(self):
        """The original (당초) of a revised target stays as it was."""
        if self.pk and self.revisions.exists():
            stored = Target.objects.get(pk=self.pk)
            if (stored.value, stored.state) != (self.value, self.state):
                raise ValidationError(REVISED_TARGET_MESSAGE)


REVISED_TARGET_MESSAGE = _("변경된 목표의 당초 값은 바꾸지 않습니다. 목표 변경(사유와 승인자)으로 바꾸세요.")


class Submission(KeepsPlaceWhileLocked):
    """A program's quarter on its way to approval. An approved quarter is
    locked: no result in it changes until an approver reopens it, saying why
    (goals.entry.reopen)."""

    place = ("program_id", "quarter", "status")

    class Status(models.TextChoices):
        DRAFT = "draft", _("작성중")
        SUBMITTED = "submitted", _("제출")
        RETURNED = "returned", _("반려")  # back with its owner, who corrects and resubmits
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
    is_example = models.BooleanField(_("예시 데이터"), default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("분기 제출")
        verbose_name_plural = _("분기 제출")
        ordering = ["program", "quarter"]
        constraints = [
            models.UniqueConstraint(fields=["program", "quarter"],
                                    name="submission_one_per_program_quarter"),
            _quarter_valid("submission"),
            models.CheckConstraint(condition=Q(status__in=["draft", "submitted", "returned",
                                                           "approved"]),
                                   name="submission_status_valid"),
        ]

    def __str__(self):
        return f"{self.program} {self.get_quarter_display()}: {self.get_status_display()}"

    @property
    def is_locked(self):
        return self.status == self.Status.APPROVED

    def held_lock(self):
        return _("승인된 분기입니다.") if self.is_locked else None

    def refuse_moving_while_locked(self):
        # An approved quarter leaves its state only with a reason for the history.
        stored = self.stored_place() if self.pk else {}
        if (stored.get("status") == self.Status.APPROVED and not self.is_locked
                and stored.get("program_id") == self.program_id
                and stored.get("quarter") == self.quarter):
            if not getattr(self, "_change_reason", ""):
                raise PeriodLocked(_("승인된 분기는 사유를 적어 재개해야 합니다."))
            return
        super().refuse_moving_while_locked()


class Result(OfIndicatorOrUnitProject, EnteredForQuarter):
    """실적: the value of an indicator or unit project for a quarter, or for
    the whole year once it is confirmed (연간 확정, as in last year's table)."""

    place = ("indicator_id", "unit_project_id", "period")
    versioned = True

    indicator = models.ForeignKey(Indicator, models.PROTECT, null=True, blank=True,
                                  related_name="results", verbose_name=_("성과지표"))
    unit_project = models.ForeignKey(UnitProject, models.PROTECT, null=True, blank=True,
                                     related_name="results", verbose_name=_("단위사업"))
    period = models.PositiveSmallIntegerField(_("기간"), choices=Period.choices)
    value = models.DecimalField(_("실적값"), max_digits=14, decimal_places=2,
                                null=True, blank=True)
    state = models.CharField(_("정성 실적"), max_length=STATE_LENGTH, blank=True)
    # 해당 없음 / 측정 전: a quarter in which the indicator is not measured (a
    # yearly survey, a score before its survey). It is entered, so the
    # quarter can be submitted, but it is not 0: roll-ups skip it.
    not_measured = models.BooleanField(_("해당 없음·측정 전"), default=False)
    note = models.TextField(_("비고"), blank=True)
    # Raised on every save; a form carries the version it was read at, so a
    # second writer learns that somebody else saved first.
    version = models.PositiveIntegerField(_("버전"), default=1)
    updated_at = models.DateTimeField(_("변경 일시"), auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True,
                                   blank=True, related_name="+", verbose_name=_("변경자"))
    is_example = models.BooleanField(
        _("예시 데이터"), default=False,
        help_text=_("데모가 넣은 예시 실적. remove_examples 명령으로 지웁니다."))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("실적")
        verbose_name_plural = _("실적")
        ordering = ["period"]
        constraints = [
            *_figure_checks("result", or_else=Q(not_measured=True)),
            models.CheckConstraint(
                condition=Q(not_measured=False) | Q(value__isnull=True, state=""),
                name="result_not_measured_has_no_value"),
            models.CheckConstraint(condition=Q(period__gte=1, period__lte=5),
                                   name="result_period_valid"),
            *_owner_checks("result", "period"),
        ]

    def __str__(self):
        return f"{self.owner} {self.get_period_display()}: {self.figure}"

    @property
    def figure(self):
        """A number, a state, or figures.NOT_MEASURED."""
        if self.not_measured:
            return figures.NOT_MEASURED
        return super().figure

    def clean(self):
        super().clean()
        if self.not_measured:
            if self.value is not None or self.state:
                raise ValidationError({"value": _("해당 없음인 분기에는 값을 적지 않습니다.")})
            return
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
        if self.period in QUARTERS and program.is_approved(self.period):
            return _("승인된 분기의 실적은 바꿀 수 없습니다. 승인자가 분기를 재개해야 합니다.")
        return None


class Execution(EnteredForQuarter):
    """집행액: what a program spent of its budget in a quarter, in 원. Entered
    with the quarter's results and taken through the same approval: an
    approved quarter or a closed year refuses any change, through any path,
    and every change keeps who, when and the old and new amount."""

    place = ("program_id", "quarter")
    versioned = True

    program = models.ForeignKey(Program, models.PROTECT, related_name="executions",
                                verbose_name=_("사업"))
    quarter = models.PositiveSmallIntegerField(_("분기"), choices=Period.choices[:4])
    amount_won = models.BigIntegerField(_("집행액(원)"))
    version = models.PositiveIntegerField(_("버전"), default=1)
    updated_at = models.DateTimeField(_("변경 일시"), auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True,
                                   blank=True, related_name="+", verbose_name=_("변경자"))
    is_example = models.BooleanField(_("예시 데이터"), default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("예산 집행액")
        verbose_name_plural = _("예산 집행액")
        ordering = ["program", "quarter"]
        constraints = [
            models.UniqueConstraint(fields=["program", "quarter"],
                                    name="execution_one_per_program_quarter"),
            _quarter_valid("execution"),
            models.CheckConstraint(condition=Q(amount_won__gte=0),
                                   name="execution_amount_not_negative"),
        ]

    def __str__(self):
        return f"{self.program} {self.get_quarter_display()}: {self.amount_won}"

    def lock_reason(self):
        """Why this amount may not change now, or None."""
        if self.program_id is None:
            return None
        if self.program.category.plan.is_closed:
            return _("마감된 연도의 집행액은 바꿀 수 없습니다.")
        if Submission.objects.filter(program_id=self.program_id, quarter=self.quarter,
                                     status=Submission.Status.APPROVED).exists():
            return _("승인된 분기의 집행액은 바꿀 수 없습니다. 승인자가 분기를 재개해야 합니다.")
        return None


def evidence_path(evidence, filename):
    # Stored under a name of our own: the uploader's file name is only shown.
    return f"evidence/{evidence.program_id}/q{evidence.quarter}/{uuid.uuid4().hex}"


class Evidence(EnteredForQuarter):
    """증빙: a file backing a program's results for a quarter, optionally one
    indicator's or unit project's value. Kept outside the static root and
    served only to those who may read the program."""

    place = ("program_id", "quarter", "indicator_id", "unit_project_id")

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
            _quarter_valid("evidence"),
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

    def delete(self, *args, **kwargs):
        storage, name = self.file.storage, self.file.name
        deleted = super().delete(*args, **kwargs)  # refused while locked
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


# The evaluation (경영평가) ----------------------------------------------------------
#
#   EvaluationScheme (per institution and year) ─┬─ SchemeIndicator (배점, method)
#                                                ├─ GradeBand (label, lower bound)
#                                                └─ Adjustment (가점·감점)
#   Indicator ─ PastResult (results of years before the book holds them)
#   Target ─ TargetRevision (변경 목표, with its reason and approver)

PAST_YEARS = 10  # how far back past results may be entered


def _plan_of_indicator(indicator):
    return indicator.program.category.plan


class PastResult(models.Model):
    """과거 실적: an indicator's result in a year for which the book has no
    plan holding it, so that the 편차 methods have their five years. A year
    held by a plan (through the indicators this one continues) is read from
    there, and last year's result stated with the indicator from there."""

    indicator = models.ForeignKey(Indicator, models.CASCADE, related_name="past_results",
                                  verbose_name=_("성과지표"))
    year = models.PositiveSmallIntegerField(_("연도"))
    value = models.DecimalField(_("실적값"), max_digits=14, decimal_places=2)
    note = models.CharField(_("비고"), max_length=100, blank=True,
                            help_text=_("출처 등(예: 2021년 경영평가 보고서)"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("과거 실적")
        verbose_name_plural = _("과거 실적")
        ordering = ["indicator", "year"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "year"], name="past_result_one_per_year"),
            models.CheckConstraint(condition=Q(value__gte=0), name="past_result_not_negative"),
            models.CheckConstraint(condition=Q(year__gte=1990, year__lte=2100),
                                   name="past_result_year_plausible"),
        ]

    def __str__(self):
        return f"{self.indicator} {self.year}: {figures.format_number(self.value)}"

    def clean(self):
        if not self.indicator_id or self.year is None:
            return
        indicator = self.indicator
        plan_year = _plan_of_indicator(indicator).year
        if not plan_year - PAST_YEARS <= self.year < plan_year:
            raise ValidationError({"year": _(
                "과거 실적은 %(first)s년부터 %(last)s년까지 입력합니다.")
                % {"first": plan_year - PAST_YEARS, "last": plan_year - 1}})
        held = self.held_by_plan()
        if held is not None:
            raise ValidationError({"year": _(
                "%(year)s년 실적은 %(year)s년 계획의 성과지표 '%(name)s'에 있습니다.")
                % {"year": self.year, "name": held.measurement}})
        if self.year == plan_year - 1 and indicator.baseline_actual is not None:
            raise ValidationError({"year": _(
                "전년 실적은 성과지표의 '전년 실적' 칸에 있습니다.")})
        if self.value is not None:
            message = indicator.check_value(self.value)
            if message:
                raise ValidationError({"value": message})

    def held_by_plan(self):
        """The indicator of the year's plan that this one continues, if any."""
        earlier = self.indicator.previous
        for _step in range(PAST_YEARS):
            if earlier is None:
                return None
            if _plan_of_indicator(earlier).year == self.year:
                return earlier
            earlier = earlier.previous
        return None

    def save(self, *args, **kwargs):
        self._refuse_if_closed()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        self._refuse_if_closed()
        return super().delete(*args, **kwargs)

    def _refuse_if_closed(self):
        if _plan_of_indicator(self.indicator).is_closed:
            raise PeriodLocked(_("마감된 연도 지표의 과거 실적은 바꿀 수 없습니다."))


class EvaluationScheme(models.Model):
    """평가 체계: how an evaluator scores an institution's year: each
    indicator's 배점 and method, the grade bands, 가점·감점 and rounding. Set
    from the year's 평가편람; the shipped ones are examples until checked."""

    class Rounding(models.TextChoices):
        HALF_UP = scoring.HALF_UP, _("반올림")
        DOWN = scoring.DOWN, _("절사")

    class TargetBasis(models.TextChoices):
        REVISED = "revised", _("변경 목표(변경이 없으면 당초 목표)")
        ORIGINAL = "original", _("당초 목표")

    institution = models.ForeignKey(Institution, models.PROTECT,
                                    related_name="evaluation_schemes", verbose_name=_("기관"))
    year = models.PositiveSmallIntegerField(_("평가 연도"),
                                            help_text=_("평가받는 실적의 연도(계획 연도)"))
    name = models.CharField(_("평가 체계명"), max_length=100,
                            help_text=_("예: 도 출연기관 (가–마)"))
    is_example = models.BooleanField(
        _("예시"), default=False,
        help_text=_("그해 평가편람으로 확인하기 전의 예시입니다. 화면에 예시라고 표시합니다."))
    note = models.TextField(_("설명"), blank=True)
    total_points = models.DecimalField(_("배점 합계"), max_digits=6, decimal_places=2,
                                       default=Decimal(100),
                                       help_text=_("성과지표 배점의 합이 이 값이어야 합니다."))
    places = models.PositiveSmallIntegerField(_("소수 자리"), default=2,
                                              help_text=_("평점·득점·총점을 이 자리까지 나타냅니다."))
    rounding = models.CharField(_("끝수 처리"), max_length=10, choices=Rounding.choices,
                                default=Rounding.HALF_UP)
    target_basis = models.CharField(_("평가에 쓰는 목표"), max_length=10,
                                    choices=TargetBasis.choices, default=TargetBasis.REVISED)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("평가 체계")
        verbose_name_plural = _("평가 체계")
        ordering = ["institution", "-year", "name"]
        constraints = [
            models.UniqueConstraint(fields=["institution", "year", "name"],
                                    name="scheme_name_unique"),
            models.CheckConstraint(condition=Q(total_points__gt=0),
                                   name="scheme_total_positive"),
            models.CheckConstraint(condition=Q(places__lte=4), name="scheme_places_valid"),
            models.CheckConstraint(condition=Q(year__gte=2000, year__lte=2100),
                                   name="scheme_year_plausible"),
            models.CheckConstraint(condition=Q(rounding__in=["half_up", "down"]),
                                   name="scheme_rounding_valid"),
            models.CheckConstraint(condition=Q(target_basis__in=["revised", "original"]),
                                   name="scheme_target_basis_valid"),
        ]

    def __str__(self):
        label = f"{self.year} {self.name}"
        return f"{label} ({_('예시')})" if self.is_example else label

    def rounded(self, value):
        return scoring.rounded(value, self.places, self.rounding)

    def problems(self, items=None, bands=None):
        """What makes the scheme unusable, in Korean: 배점 that do not add up to
        the total, grade bands that overlap, are out of order or leave a
        total without a grade. `items` and `bands` default to the stored ones."""
        items = list(self.items.all()) if items is None else items
        bands = list(self.bands.all()) if bands is None else bands
        return [*self.weight_problems(items), *GradeBand.problems(bands)]

    def weight_problems(self, items):
        weights = sum((item.weight for item in items if item.weight is not None), Decimal(0))
        if self.total_points is None or weights == self.total_points:
            return []
        return [_("배점의 합이 %(sum)s점으로, 배점 합계 %(total)s점과 다릅니다.")
                % {"sum": figures.format_number(weights),
                   "total": figures.format_number(self.total_points)}]


class SchemeIndicator(models.Model):
    """An indicator's place in a scheme: its 배점 and the method that turns its
    result into 평점, with the method's parameters from the 편람."""

    class Method(models.TextChoices):
        TARGET = scoring.TARGET, _("목표대비실적")
        DEVIATION = scoring.DEVIATION, _("목표부여(편차)")
        RATIO = scoring.RATIO, _("목표부여(편차, 비율)")

    class Fallback(models.TextChoices):
        TARGET = scoring.TARGET, _("목표대비실적으로 대체")
        NONE = scoring.NO_FALLBACK, _("대체하지 않음(평점 없음)")

    scheme = models.ForeignKey(EvaluationScheme, models.CASCADE, related_name="items",
                               verbose_name=_("평가 체계"))
    indicator = models.ForeignKey(Indicator, models.CASCADE, related_name="scheme_items",
                                  verbose_name=_("성과지표"))
    weight = models.DecimalField(_("배점"), max_digits=6, decimal_places=2)
    method = models.CharField(_("평가 방법"), max_length=10, choices=Method.choices,
                              default=Method.TARGET)
    cap = models.DecimalField(_("달성률 상한(%)"), max_digits=5, decimal_places=1,
                              default=Decimal(100),
                              help_text=_("목표대비실적: 이 달성률을 넘으면 더 인정하지 않습니다(예: 110)."))
    k_high = models.DecimalField(_("최고목표 k"), max_digits=3, decimal_places=1,
                                 default=Decimal(1),
                                 help_text=_("최고목표 = 기준치 + kσ (주요사업 2, 그 밖 1)"))
    k_low = models.DecimalField(_("최저목표 k"), max_digits=3, decimal_places=1,
                                default=Decimal(2), help_text=_("최저목표 = 기준치 − kσ"))
    ratio_high = models.DecimalField(_("최고목표 비율"), max_digits=4, decimal_places=2,
                                     default=Decimal("1.2"),
                                     help_text=_("비율 방식: 최고목표 = 기준치 × 비율(1.2 또는 1.1)"))
    ratio_low = models.DecimalField(_("최저목표 비율"), max_digits=4, decimal_places=2,
                                    default=Decimal("0.8"))
    years = models.PositiveSmallIntegerField(_("필요한 과거 연수"), default=5,
                                             help_text=_("편차 방식에 필요한 과거 실적의 연수"))
    floor = models.DecimalField(_("최저 평점"), max_digits=5, decimal_places=2,
                                default=Decimal(20))
    fallback = models.CharField(_("과거 실적이 모자랄 때"), max_length=10,
                                choices=Fallback.choices, default=Fallback.TARGET)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("지표 배점")
        verbose_name_plural = _("지표 배점")
        ordering = ["scheme", "indicator__program__category__order",
                    "indicator__program__number", "indicator__order"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "indicator"],
                                    name="scheme_indicator_once"),
            models.CheckConstraint(condition=Q(weight__gt=0), name="scheme_weight_positive"),
            models.CheckConstraint(condition=Q(cap__gte=100), name="scheme_cap_from_100"),
            models.CheckConstraint(condition=Q(k_high__gte=0, k_low__gte=0),
                                   name="scheme_k_not_negative"),
            models.CheckConstraint(condition=Q(k_high__gt=0) | Q(k_low__gt=0),
                                   name="scheme_k_not_both_zero"),
            models.CheckConstraint(condition=Q(ratio_high__gt=F("ratio_low"), ratio_low__gte=0),
                                   name="scheme_ratios_apart"),
            models.CheckConstraint(condition=Q(years__gte=1, years__lte=PAST_YEARS),
                                   name="scheme_years_valid"),
            models.CheckConstraint(condition=Q(floor__gte=0, floor__lt=100),
                                   name="scheme_floor_valid"),
            models.CheckConstraint(condition=Q(method__in=["target", "deviation", "ratio"]),
                                   name="scheme_method_valid"),
            models.CheckConstraint(condition=Q(fallback__in=["target", "none"]),
                                   name="scheme_fallback_valid"),
        ]

    def __str__(self):
        return f"{self.indicator.measurement}: {figures.format_number(self.weight)}"

    @property
    def needs_history(self):
        return self.method in scoring.HISTORY_METHODS

    @property
    def rule(self):
        return scoring.Rule(method=self.method, cap=self.cap, k_high=self.k_high,
                            k_low=self.k_low, ratio_high=self.ratio_high,
                            ratio_low=self.ratio_low, years=self.years, floor=self.floor,
                            fallback=self.fallback)

    def clean(self):
        errors = {}
        if self.indicator_id and self.scheme_id:
            plan = _plan_of_indicator(self.indicator)
            if (plan.institution_id, plan.year) != (self.scheme.institution_id, self.scheme.year):
                errors["indicator"] = _("평가 체계와 같은 기관, 같은 연도 계획의 성과지표만 넣습니다.")
            elif self.needs_history and self.indicator.kind == Kind.MILESTONE:
                errors["method"] = _("단계·정성 지표는 목표대비실적으로만 평가합니다.")
        if self.weight is not None and self.weight <= 0:
            errors["weight"] = _("배점은 0보다 커야 합니다.")
        if self.cap is not None and self.cap < 100:
            errors["cap"] = _("달성률 상한은 100% 이상입니다.")
        if self.method == self.Method.DEVIATION and self.k_high == 0 and self.k_low == 0:
            errors["k_high"] = _("k가 모두 0이면 최고목표와 최저목표가 같아집니다.")
        if (self.method == self.Method.RATIO and None not in (self.ratio_high, self.ratio_low)
                and self.ratio_high <= self.ratio_low):
            errors["ratio_high"] = _("최고목표 비율이 최저목표 비율보다 커야 합니다. 같으면 최고목표와 "
                                     "최저목표가 같아집니다.")
        if errors:
            raise ValidationError(errors)


class GradeBand(models.Model):
    """A grade and the lowest total that earns it (S ≥ 95, …, D ≥ 0)."""

    scheme = models.ForeignKey(EvaluationScheme, models.CASCADE, related_name="bands",
                               verbose_name=_("평가 체계"))
    order = models.PositiveSmallIntegerField(_("순서"), help_text=_("1이 가장 높은 등급"))
    label = models.CharField(_("등급"), max_length=10)
    lower_bound = models.DecimalField(_("하한(이상)"), max_digits=6, decimal_places=2,
                                      help_text=_("가장 낮은 등급은 0"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("등급 구간")
        verbose_name_plural = _("등급 구간")
        ordering = ["scheme", "order"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "order"], name="band_order_unique"),
            models.UniqueConstraint(fields=["scheme", "label"], name="band_label_unique"),
            models.CheckConstraint(condition=Q(lower_bound__gte=0), name="band_lower_not_negative"),
        ]

    def __str__(self):
        return f"{self.label} ≥ {figures.format_number(self.lower_bound)}"

    @staticmethod
    def problems(bands):
        """The problems of bands in Korean (see scoring.band_problems)."""
        ordered = sorted((band for band in bands if band.order is not None
                          and band.lower_bound is not None), key=lambda band: band.order)
        messages = {
            scoring.NO_BANDS: _("등급 구간이 없습니다."),
            scoring.UNORDERED_BANDS: _("등급 구간의 하한은 높은 등급부터 낮아져야 합니다. 하한이 같거나 "
                                       "순서가 뒤바뀐 구간이 있습니다."),
            scoring.NOT_FROM_ZERO: _("가장 낮은 등급의 하한은 0이어야 합니다. 그래야 모든 총점에 등급이 "
                                     "있습니다."),
            scoring.DUPLICATE_LABEL: _("같은 등급이 두 번 있습니다."),
        }
        return [messages[problem] for problem in scoring.band_problems(
            [(band.label, band.lower_bound) for band in ordered])]


class Adjustment(models.Model):
    """가점 or 감점 of a scheme's year, with the points given."""

    class Kind(models.TextChoices):
        BONUS = "bonus", _("가점")
        PENALTY = "penalty", _("감점")

    scheme = models.ForeignKey(EvaluationScheme, models.CASCADE, related_name="adjustments",
                               verbose_name=_("평가 체계"))
    kind = models.CharField(_("구분"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("항목"), max_length=100)
    points = models.DecimalField(_("점수"), max_digits=5, decimal_places=2, default=Decimal(0),
                                 help_text=_("받았거나 받을 것으로 보는 점수(감점도 양수로)"))
    limit = models.DecimalField(_("최대"), max_digits=5, decimal_places=2, null=True, blank=True,
                                help_text=_("편람이 정한 이 항목의 최대 점수"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("가점·감점")
        verbose_name_plural = _("가점·감점")
        ordering = ["scheme", "kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "name"], name="adjustment_name_unique"),
            models.CheckConstraint(condition=Q(points__gte=0), name="adjustment_not_negative"),
            models.CheckConstraint(condition=Q(limit__isnull=True) | Q(points__lte=F("limit")),
                                   name="adjustment_within_limit"),
            models.CheckConstraint(condition=Q(kind__in=["bonus", "penalty"]),
                                   name="adjustment_kind_valid"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.name}: {figures.format_number(self.points)}"

    def clean(self):
        if self.points is not None and self.points < 0:
            raise ValidationError({"points": _("감점도 양수로 입력합니다.")})
        if None not in (self.points, self.limit) and self.points > self.limit:
            raise ValidationError({"points": _("최대 %(limit)s점을 넘을 수 없습니다.")
                                   % {"limit": figures.format_number(self.limit)}})


class TargetRevision(HoldsFigure, models.Model):
    """변경 목표: a target revised during the year, with the reason and the
    approver who approved it. The original (당초) stays in its Target; the
    latest revision is the target in force."""

    target = models.ForeignKey(Target, models.CASCADE, related_name="revisions",
                               verbose_name=_("당초 목표"))
    value = models.DecimalField(_("변경 목표값"), max_digits=14, decimal_places=2,
                                null=True, blank=True)
    state = models.CharField(_("변경 정성 목표"), max_length=STATE_LENGTH, blank=True)
    reason = models.TextField(_("변경 사유"))
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+",
                                    verbose_name=_("승인자"))
    approved_on = models.DateField(_("승인일"))
    created_at = models.DateTimeField(_("입력 일시"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("목표 변경")
        verbose_name_plural = _("목표 변경")
        ordering = ["target", "approved_on", "pk"]
        constraints = [
            *_figure_checks("revision"),
            models.CheckConstraint(condition=~Q(reason=""), name="revision_has_reason"),
        ]

    def __str__(self):
        return f"{self.target.owner} {self.target.year}: {self.figure}"

    @classmethod
    def latest_of_each(cls):
        """Annotations for a Target queryset: the figure of its latest revision
        (revised_value, revised_state; None without one)."""
        latest = cls.objects.filter(target=models.OuterRef("pk")).order_by("-approved_on", "-pk")
        return {"revised_value": models.Subquery(latest.values("value")[:1]),
                "revised_state": models.Subquery(latest.values("state")[:1])}

    def clean(self):
        from . import roles

        errors = {}
        if not (self.reason or "").strip():
            errors["reason"] = _("변경 사유를 입력하세요.")
        if self.approved_by_id is None:
            errors["approved_by"] = _("목표 변경을 승인한 승인자를 고르세요.")
        if self.target_id is None:
            if errors:
                raise ValidationError(errors)
            return
        plan = self.target.plan()
        if plan.is_closed:
            raise ValidationError(_("마감된 연도의 목표는 바꿀 수 없습니다."))
        if self.approved_by_id is not None and not (
                roles.has_role(self.approved_by, roles.APPROVER)
                and plan.institution.members.filter(pk=self.approved_by_id).exists()):
            errors["approved_by"] = _("이 기관의 승인자만 목표 변경을 승인할 수 있습니다.")
        message = None
        if self.value is None and not self.state:
            message = _("변경 목표를 입력하세요.")
        elif self.value is not None and self.state:
            message = _("숫자나 정성 목표 중 하나만 입력하세요.")
        elif self.value is not None:
            message = self.target.owner.check_value(self.value)
        if message is None and self.figure == self.target.in_force(excluding=self.pk):
            message = _("지금 목표와 같습니다. 바뀌는 목표를 입력하세요.")
        if message:
            errors["value"] = message
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        self._refuse_if_closed()
        # The database refuses an empty reason; one of spaces is no reason either.
        if not (self.reason or "").strip():
            raise ValidationError({"reason": _("변경 사유를 입력하세요.")})
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        self._refuse_if_closed()
        return super().delete(*args, **kwargs)

    def _refuse_if_closed(self):
        if self.target.plan().is_closed:
            raise PeriodLocked(_("마감된 연도의 목표는 바꿀 수 없습니다."))
class DataVersion(models.Model):
    """Which state of an institution's goal book a made thing (an export, a
    cached figure) was made from. Every write to any of the institution's
    rows gives it a new random token as the write commits (goals.versions),
    so a token seen once never stands for other data, not even after a
    restore. It is not part of the goal book: no history, no backup.

    `outline` changes with every write but those of what is entered for a
    program's quarters (ProgramVersion says those apart, by program)."""

    institution = models.OneToOneField(Institution, models.CASCADE, primary_key=True,
                                       related_name="data_version", verbose_name=_("기관"))
    token = models.CharField(_("자료 버전"), max_length=32)
    outline = models.CharField(_("구조 버전"), max_length=32, default="")
    changed_at = models.DateTimeField(_("변경 일시"), auto_now=True)

    class Meta:
        verbose_name = _("자료 버전")
        verbose_name_plural = _("자료 버전")

    def __str__(self):
        return f"{self.institution}: {self.token}"


class ProgramVersion(models.Model):
    """Which state of what is entered for a program (its results, targets and
    their revisions, last year's actuals, submissions, spending, evidence) a
    cached figure was made from: a new random token as each write to them
    commits (goals.versions). By ids, not foreign keys, so that making one
    never fails on a program deleted meanwhile; a program's deletion or move
    changes the outline, which every cached figure is kept under too.

    `approved` changes only with what readers of approved values see (see
    goals.versions), so that figures of approved values outlast the drafts
    saved all through a quarter."""

    program_id = models.BigIntegerField(_("사업"), primary_key=True)
    institution_id = models.BigIntegerField(_("기관"), db_index=True)
    token = models.CharField(_("자료 버전"), max_length=32)
    # The state of what readers of approved values only see of it: not
    # changed by a quarter's values before the quarter is approved.
    approved = models.CharField(_("승인 자료 버전"), max_length=32, default="")

    class Meta:
        verbose_name = _("사업 자료 버전")
        verbose_name_plural = _("사업 자료 버전")

    def __str__(self):
        return f"{self.program_id}: {self.token}"


def default_due_date(year, quarter):
    """A quarter's results are due 20 days after it ends (Q4: 20 January)."""
    if quarter == 4:
        return datetime.date(year + 1, 1, 20)
    return datetime.date(year, quarter * 3 + 1, 1) + datetime.timedelta(days=19)


def quarter_start(year, quarter):
    return datetime.date(year, (quarter - 1) * 3 + 1, 1)


class QuarterDue(models.Model):
    """The date by which a plan's quarter is to be submitted, set by the
    approver or an administrator; without one, default_due_date()."""

    plan = models.ForeignKey(Plan, models.CASCADE, related_name="due_dates",
                             verbose_name=_("계획"))
    quarter = models.PositiveSmallIntegerField(_("분기"), choices=Period.choices[:4])
    due_date = models.DateField(_("제출 기한"))
    updated_at = models.DateTimeField(_("변경 일시"), auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True,
                                   blank=True, related_name="+", verbose_name=_("변경자"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("분기 제출 기한")
        verbose_name_plural = _("분기 제출 기한")
        constraints = [
            models.UniqueConstraint(fields=["plan", "quarter"], name="quarterdue_one_per_quarter"),
            _quarter_valid("quarterdue"),
        ]

    def __str__(self):
        return f"{self.plan} {self.get_quarter_display()}: {self.due_date}"

    def clean(self):
        super().clean()
        if self.due_date and self.plan_id and self.quarter and self.due_date < quarter_start(
                self.plan.year, self.quarter):
            raise ValidationError({"due_date": _("제출 기한은 분기가 시작하기 전일 수 없습니다.")})


def due_dates(plan):
    """{quarter: date} of `plan`: those set, else the default."""
    found = {due.quarter: due.due_date for due in QuarterDue.objects.filter(plan=plan)}
    return {quarter: found.get(quarter) or default_due_date(plan.year, quarter)
            for quarter in (1, 2, 3, 4)}


class Notification(models.Model):
    """알림: a message to one user in one institution (a return, an approval,
    a reminder), read in the app and, where mail is configured, sent by
    e-mail. Not part of the goal book: no history, no data version."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE,
                             related_name="notifications", verbose_name=_("받는 사람"))
    institution = models.ForeignKey(Institution, models.CASCADE, related_name="+",
                                    verbose_name=_("기관"))
    text = models.CharField(_("내용"), max_length=500)
    url = models.CharField(_("주소"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("보낸 일시"), auto_now_add=True)
    read_at = models.DateTimeField(_("읽은 일시"), null=True, blank=True)

    class Meta:
        verbose_name = _("알림")
        verbose_name_plural = _("알림")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_unread")]

    def __str__(self):
        return self.text
