"""
The goal book's structure in the admin: a plan with its categories, a
program with its indicators, their targets and its three-year plan of unit
projects on one page. Closed years and approved quarters are read-only here
as everywhere.
"""

from operator import attrgetter

from django import forms
from django.contrib import admin
from django.contrib.admin.utils import flatten_fieldsets, unquote
from django.contrib.admin.widgets import AutocompleteSelect
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from . import access, evaluation, parsing, roles
from . import formatting as fmt
from .models import (Adjustment, Category, EvaluationScheme, Execution, GeneralStatus,
                     GradeBand, HeadlineTarget, Indicator, Institution, Narrative, PastResult,
                     Plan, Program, Result, SchemeIndicator, Submission, Target, TargetRevision,
                     UnitProject)

admin.site.site_header = _("경영성과 목표 관리")
admin.site.site_title = _("경영성과 목표 관리")
admin.site.index_title = _("목표 체계 관리")


def keeps_what_it_does_not_show(form_class):
    """`form_class`, keeping the values of its narrowed choice fields that it
    does not offer. A choice narrowed to what the administrator may manage
    (another institution's members, a superuser, a group beyond the roles)
    is not on the page, so the browser does not send it back: saved as sent,
    a member would leave the institution and a program its owner."""

    class KeepsWhatItDoesNotShow(form_class):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.not_shown = {}
            if self.instance.pk is None:
                return
            for name, field in self.fields.items():
                if getattr(field, "narrowed", False):
                    self._keep(name, field)

        def _keep(self, name, field):
            model_field = self.instance._meta.get_field(name)
            offered = field.queryset.values("pk")
            if model_field.many_to_many:
                self.not_shown[name] = list(getattr(self.instance, name).exclude(pk__in=offered))
                return
            current = getattr(self.instance, model_field.attname, None)
            if current is not None and not field.queryset.filter(pk=current).exists():
                # The current value stays a choice, shown as it is.
                field.queryset = field.queryset.model._default_manager.filter(
                    Q(pk__in=offered) | Q(pk=current))
                widget = field.widget
                while hasattr(widget, "widget"):  # the admin's related-object wrapper
                    widget = widget.widget
                widget.choices = field.choices

        def _save_m2m(self):
            for name, kept in self.not_shown.items():
                if name in self.cleaned_data:
                    self.cleaned_data[name] = [*self.cleaned_data[name], *kept]
            super()._save_m2m()

    KeepsWhatItDoesNotShow.__name__ = form_class.__name__
    return KeepsWhatItDoesNotShow


def narrowed(formfield, queryset):
    """`formfield` offering only `queryset`; its form keeps the rest."""
    formfield.queryset = queryset
    formfield.narrowed = True
    return formfield


class InstitutionScoped:
    """An administrator keeps their own institutions' goal book: another
    institution's objects are not on their pages, in their history or among
    the choices of a form, as if they did not exist. Superusers see all.
    What a form does not offer it keeps (keeps_what_it_does_not_show)."""

    def get_queryset(self, request):
        return access.within_institutions(super().get_queryset(request), request.user)

    def _scoped(self, formfield, request):
        queryset = getattr(formfield, "queryset", None)
        name = queryset.model._meta.model_name if queryset is not None else None
        if name == "user":
            # Users are the one choice narrowed past the institution: those
            # of two institutions, and superusers, are not the administrator's.
            narrowed(formfield, access.within_institutions(queryset, request.user))
        elif name in access.INSTITUTION_PATHS:
            # Only another institution's objects are left out, which none of
            # ours may hold.
            formfield.queryset = access.within_institutions(queryset, request.user)
        return formfield

    def get_form(self, request, obj=None, **kwargs):
        return keeps_what_it_does_not_show(super().get_form(request, obj, **kwargs))

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.form = keeps_what_it_does_not_show(formset.form)
        return formset

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        return self._scoped(super().formfield_for_foreignkey(db_field, request, **kwargs),
                            request)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        return self._scoped(super().formfield_for_manytomany(db_field, request, **kwargs),
                            request)


# The filters of a list offer what is on the administrator's list: Django's
# own offer every institution, or every value of a related table.
OwnInstitutions = admin.RelatedOnlyFieldListFilter


class OwnValues(admin.AllValuesFieldListFilter):
    def __init__(self, field, request, params, model, model_admin, field_path):
        super().__init__(field, request, params, model, model_admin, field_path)
        self.lookup_choices = (model_admin.get_queryset(request).order_by(field_path)
                               .values_list(field_path, flat=True).distinct())


class EnteredForQuarterAdmin:
    """A value entered for a quarter (goals.models.EnteredForQuarter): read
    only while its quarter is approved or its year closed, and saved as the
    administrator's."""

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not (obj and obj.lock_reason())

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not (obj and obj.lock_reason())

    def save_model(self, request, obj, form, change):
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)


class ScopedHistoryAdmin(InstitutionScoped, SimpleHistoryAdmin):
    # simple_history shows the history of an object it cannot find through
    # get_queryset() (a deleted one); for anyone but a superuser, an object
    # outside their institutions has no history either.
    def _require_object(self, request, object_id):
        if not request.user.is_superuser and self.get_object(request, unquote(object_id)) is None:
            raise Http404

    def history_view(self, request, object_id, extra_context=None):
        self._require_object(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # A past version is read, not restored: restoring saves the whole
        # object past its locks and its inlines' checks.
        if request.method == "POST":
            raise PermissionDenied
        self._require_object(request, object_id)
        return super().history_form_view(request, object_id, version_id, extra_context)


class FiniteDecimalField(forms.DecimalField):
    """Django's, refusing NaN and infinity as soon as they are read: Django
    first compares what was sent with the initial value, and comparing a
    signalling NaN ("sNaN") raises InvalidOperation, a 500."""

    def to_python(self, value):
        value = super().to_python(value)
        if value is not None and not value.is_finite():
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return value


class FiniteDecimalsMixin:
    """Decimal fields as FiniteDecimalField."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if isinstance(db_field, models.DecimalField):
            kwargs.setdefault("form_class", FiniteDecimalField)
        return super().formfield_for_dbfield(db_field, request, **kwargs)


class KnownIdsAutocompleteSelect(AutocompleteSelect):
    """Django's autocomplete, except that a sent value which is not one of
    the choices (text, or a number too large for an id) is shown as nothing:
    Django would look it up as an id and fail with a 500 where the form only
    has to say that the choice is not valid."""

    def optgroups(self, name, value, attr=None):
        known = []
        for each in value:
            try:
                self.choices.field.to_python(each)
            except ValidationError:
                continue
            known.append(each)
        return super().optgroups(name, known, attr)


class AutocompleteMixin:
    """Autocomplete fields with KnownIdsAutocompleteSelect."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = KnownIdsAutocompleteSelect(db_field, self.admin_site,
                                                          using=kwargs.get("using"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class TargetFieldsMixin:
    """Inline form fields for an owner's targets, one per year: the plan year
    for an indicator, the three plan years for a unit project."""

    years_ahead = 1

    def __init__(self, *args, plan_year=None, target_notes=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan_year = plan_year
        existing = {}
        if self.instance.pk:
            existing = {target.year: target for target in self.instance.targets.all()}
        for year in self.target_years():
            target = existing.get(year)
            self.fields[f"target_{year}"] = forms.CharField(
                label=_("%(year)s년 목표") % {"year": year}, required=False,
                initial=fmt.number(target.figure) if target else "",
                # Beside the target: its revision, and whether it is soft.
                help_text=(target_notes or {}).get(self.instance.pk, ""),
                widget=forms.TextInput(attrs={"size": 8}))

    def target_years(self):
        if not self.plan_year:
            return []
        return [self.plan_year + offset for offset in range(self.years_ahead)]

    def clean(self):
        cleaned = super().clean()
        for year in self.target_years():
            name = f"target_{year}"
            try:
                value, state = parsing.target(cleaned.get(name))
            except parsing.BadValue as error:
                self.add_error(name, str(error))
                continue
            try:
                # What the database can hold: digits of the value, length of the state.
                Target(year=year, value=value, state=state).clean_fields(
                    exclude=["indicator", "unit_project"])
            except ValidationError as error:
                self.add_error(name, error.messages)
                continue
            cleaned[name] = (value, state)
        return cleaned

    def _post_clean(self):
        super()._post_clean()  # the owner as the form changed it: its kind, its range
        if self.errors:  # an owner that is not valid is no measure of its targets
            return
        for year in self.target_years():
            name = f"target_{year}"
            if name in self.cleaned_data:
                value, state = self.cleaned_data[name]
                target = Target(year=year, **{self.target_owner_field: self.instance})
                if self.instance.pk and name in self.changed_data:  # a revised one stays
                    target = Target.objects.filter(
                        year=year, **{self.target_owner_field: self.instance}).first() or target
                target.value, target.state = value, state
                try:
                    target.clean()
                except ValidationError as error:
                    self.add_error(name, error.messages)

    def save(self, commit=True):
        owner = super().save(commit)
        if commit:
            self.save_targets()
        else:
            save_m2m = self.save_m2m

            def save_all():
                save_m2m()
                self.save_targets()

            self.save_m2m = save_all
        return owner

    def save_targets(self):
        owner_field = self.target_owner_field
        for year in self.target_years():
            if f"target_{year}" not in self.changed_data:
                continue
            value, state = self.cleaned_data[f"target_{year}"]
            targets = Target.objects.filter(**{owner_field: self.instance, "year": year})
            if value is None and not state:
                for target in targets:
                    target.delete()
                continue
            target = targets.first() or Target(**{owner_field: self.instance, "year": year})
            target.value, target.state = value, state
            target.save()


class InlineForm(forms.ModelForm):
    """A row of an inline table, checked against the rows already stored as
    well. Django leaves the parent's key out of a row's constraint checks, so
    a (program, order) taken by a stored row that is not on the page (a
    tampered form, another administrator's new row) failed in the database
    with a 500 instead of beside the row."""

    def _post_clean(self):
        super()._post_clean()
        try:
            self.instance.validate_constraints(exclude=self._get_validation_exclusions())
        except ValidationError as error:
            self._update_errors(error)


class ScopedInline(InstitutionScoped):
    """Every inline table of the goal book: the user's institutions only,
    each row checked against the stored ones too, no empty rows offered."""

    form = InlineForm
    extra = 0


class IndicatorInlineForm(TargetFieldsMixin, InlineForm):
    target_owner_field = "indicator"

    class Meta:
        model = Indicator
        fields = ["order", "measurement", "unit", "kind", "direction", "rollup", "is_new",
                  "previous", "baseline_actual", "baseline_target", "baseline_unit"]


class UnitProjectInlineForm(TargetFieldsMixin, InlineForm):
    target_owner_field = "unit_project"
    years_ahead = 3

    class Meta:
        model = UnitProject
        fields = ["order", "group", "name", "unit", "note", "indicator"]


class ClosedPlanReadOnlyMixin:
    """Nothing of a closed year changes in the admin. `plan_path` leads from
    the object on the page to its plan."""

    plan_path = "plan"

    def is_closed(self, obj):
        if obj is None:
            return False
        plan = attrgetter(self.plan_path)(obj) if self.plan_path else obj
        return plan.is_closed

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not self.is_closed(obj)

    def has_add_permission(self, request, *args):
        obj = args[0] if args else None
        return super().has_add_permission(request, *args) and not self.is_closed(obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not self.is_closed(obj)


class ColumnLabelsMixin:
    """An inline table names each column once, in its header, which assistive
    technology does not tie to the inputs below it: each input is given its
    column's name as well (axe: label, select-name)."""

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)

        class Labelled(formset):
            def add_fields(self, form, index):
                super().add_fields(form, index)
                for field in form.fields.values():
                    widget = field.widget
                    while hasattr(widget, "widget"):  # the admin's related-object wrapper
                        widget = widget.widget
                    if field.label and not widget.is_hidden:
                        widget.attrs.setdefault("aria-label", field.label)

        return Labelled


class ProgramInline(ScopedInline, FiniteDecimalsMixin, ClosedPlanReadOnlyMixin,
                    admin.TabularInline):
    plan_path = "category.plan"


class PlanYearFormsMixin:
    """Hands the plan year to each inline form, for its target fields."""

    def get_formset(self, request, obj=None, **kwargs):
        # The target fields are added by the form itself, not by the model.
        kwargs["fields"] = [name for name in flatten_fieldsets(self.get_fieldsets(request, obj))
                            if not name.startswith("target_")]
        formset = super().get_formset(request, obj, **kwargs)
        plan_year = obj.category.plan.year if obj else None
        target_notes = self.target_notes(obj) if obj else {}

        class WithPlanYear(formset):
            def get_form_kwargs(self, index):
                kwargs = super().get_form_kwargs(index)
                kwargs["plan_year"] = plan_year
                kwargs["target_notes"] = target_notes
                return kwargs

        return WithPlanYear

    def target_notes(self, program):
        """{owner id: a note to show beside its target}."""
        return {}


class IndicatorInline(AutocompleteMixin, PlanYearFormsMixin, ProgramInline):
    model = Indicator
    form = IndicatorInlineForm
    template = "admin/edit_inline/stacked.html"
    autocomplete_fields = ["previous"]
    show_change_link = True
    fieldsets = [
        (None, {"fields": [("order", "measurement", "unit", "kind"),
                           ("direction", "rollup", "is_new", "previous")]}),
        (_("전년 실적(전년 목표)"), {"fields": [("baseline_actual", "baseline_target",
                                             "baseline_unit")]}),
    ]

    def get_fieldsets(self, request, obj=None):
        fieldsets = list(super().get_fieldsets(request, obj))
        if obj:
            year = obj.category.plan.year
            fieldsets.append((_("목표"), {"fields": [f"target_{year}"]}))
        return fieldsets

    def target_notes(self, program):
        """Beside each indicator's target: its revision (당초 → 변경) and a
        warning when it is below last year's result or 기준치."""
        return evaluation.target_notes(program)


class UnitProjectInline(ColumnLabelsMixin, PlanYearFormsMixin, ProgramInline):
    model = UnitProject
    form = UnitProjectInlineForm

    def get_fields(self, request, obj=None):
        fields = ["order", "group", "name", "unit", "note", "indicator"]
        if obj:
            year = obj.category.plan.year
            fields += [f"target_{year + offset}" for offset in range(3)]
        return fields

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "indicator":
            program_id = request.resolver_match.kwargs.get("object_id")
            kwargs["queryset"] = Indicator.objects.filter(program_id=program_id)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class NarrativeInline(ColumnLabelsMixin, ProgramInline):
    model = Narrative
    fields = ["section", "order", "level", "label", "text"]
    formfield_overrides = {
        models.TextField: {"widget": forms.Textarea(attrs={"rows": 1, "cols": 80})},
    }


class HeadlineInline(ColumnLabelsMixin, ProgramInline):
    model = HeadlineTarget
    fields = ["order", "value", "state", "unit", "label", "indicator", "unit_project"]


@admin.register(Program)
class ProgramAdmin(AutocompleteMixin, FiniteDecimalsMixin, ClosedPlanReadOnlyMixin,
                   ScopedHistoryAdmin):
    plan_path = "category.plan"
    list_display = ["numbered_name", "category", "plan_year", "budget_cheon", "owner"]
    list_filter = [("category__plan__year", OwnValues),
                   ("category__plan__institution", OwnInstitutions), ("category__name", OwnValues)]
    search_fields = ["name", "purpose", "indicators__measurement", "unit_projects__name"]
    list_select_related = ["category__plan", "owner"]
    autocomplete_fields = ["previous", "owner"]
    inlines = [IndicatorInline, UnitProjectInline, HeadlineInline, NarrativeInline]
    fieldsets = [
        (None, {"fields": ["category", "number", "name", "owner", "previous"]}),
        (_("사업개요"), {"fields": ["purpose", ("period_start", "period_end"), "target_group",
                                 ("budget_won", "funding_source", "stated_budget_eok")]}),
        (_("인쇄"), {"fields": ["printed_title", ("target_label", "contents_label"),
                              ("plan_total", "results_total")]}),
    ]

    @admin.display(description=_("연도"), ordering="category__plan__year")
    def plan_year(self, obj):
        return obj.category.plan.year

    @admin.display(description=_("사업비(천원)"), ordering="budget_won")
    def budget_cheon(self, obj):
        return fmt.cheon(obj.budget_won)

    @admin.display(description=_("사업"), ordering="number")
    def numbered_name(self, obj):
        return obj.numbered_name


class TargetInline(ScopedInline, ColumnLabelsMixin, FiniteDecimalsMixin,
                   ClosedPlanReadOnlyMixin,
                   admin.TabularInline):
    model = Target
    plan_path = "program.category.plan"
    fields = ["year", "value", "state", "note"]
    fk_name = "indicator"


class ResultAdminForm(forms.ModelForm):
    class Meta:
        model = Result
        fields = ["indicator", "unit_project", "period", "value", "state", "note"]

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk:
            reason = Result.objects.get(pk=self.instance.pk).lock_reason()
            if reason:
                raise ValidationError(reason)
        return cleaned

    def _post_clean(self):
        super()._post_clean()
        if not self.errors and (self.instance.indicator_id or self.instance.unit_project_id):
            reason = self.instance.lock_reason()
            if reason:
                self.add_error(None, reason)


@admin.register(Indicator)
class IndicatorAdmin(AutocompleteMixin, FiniteDecimalsMixin, ClosedPlanReadOnlyMixin,
                     ScopedHistoryAdmin):
    plan_path = "program.category.plan"
    list_display = ["measurement", "program", "plan_year", "unit", "kind", "rollup", "is_new"]
    list_filter = [("program__category__plan__year", OwnValues), "kind", "unit", "rollup",
                   "is_new", ("program__category__name", OwnValues)]
    search_fields = ["measurement", "program__name"]
    list_select_related = ["program__category__plan"]
    autocomplete_fields = ["program", "previous"]
    inlines = [TargetInline]

    @admin.display(description=_("연도"), ordering="program__category__plan__year")
    def plan_year(self, obj):
        return obj.program.category.plan.year


@admin.register(Result)
class ResultAdmin(EnteredForQuarterAdmin, AutocompleteMixin, FiniteDecimalsMixin,
                  ScopedHistoryAdmin):
    form = ResultAdminForm
    list_display = ["owner", "period", "value", "state", "updated_by", "updated_at", "version"]
    list_filter = ["period", ("indicator__program__category__plan__year", OwnValues)]
    search_fields = ["indicator__measurement", "indicator__program__name", "unit_project__name"]
    list_select_related = ["indicator__program", "unit_project", "updated_by"]
    autocomplete_fields = ["indicator", "unit_project"]
    readonly_fields = ["version", "updated_by", "updated_at"]

    @admin.display(description=_("지표·단위사업"))
    def owner(self, obj):
        return obj.owner


class ExecutionAdminForm(forms.ModelForm):
    class Meta:
        model = Execution
        fields = ["program", "quarter", "amount_won"]

    def _post_clean(self):
        super()._post_clean()
        if not self.errors and self.instance.program_id:
            reason = self.instance.lock_reason()
            if reason:
                self.add_error(None, reason)


@admin.register(Execution)
class ExecutionAdmin(EnteredForQuarterAdmin, AutocompleteMixin, ScopedHistoryAdmin):
    """집행액 (goals.execution): locked with its quarter, like results."""

    form = ExecutionAdminForm
    list_display = ["program", "quarter", "amount_won", "updated_by", "updated_at", "version"]
    list_filter = ["quarter", ("program__category__plan__year", OwnValues)]
    search_fields = ["program__name"]
    list_select_related = ["program", "updated_by"]
    autocomplete_fields = ["program"]
    readonly_fields = ["version", "updated_by", "updated_at"]



class CategoryInline(ScopedInline, ColumnLabelsMixin, ClosedPlanReadOnlyMixin,
                     admin.TabularInline):
    model = Category
    plan_path = None  # the page is the plan itself
    fields = ["order", "name", "is_common"]
    show_change_link = True


class PlanAdminForm(forms.ModelForm):
    """A closed year opens again only with a superuser's reason (Plan.reopen)."""

    reopen_reason = forms.CharField(
        label=_("마감 해제 사유"), required=False, max_length=80,
        help_text=_("마감된 연도를 다시 열 때만 적습니다. 그 해의 실적과 증빙이 다시 바뀔 수 있게 "
                    "되므로, 사유는 누가 언제 풀었는지와 함께 변경 이력에 남습니다."))

    class Meta:
        model = Plan
        fields = ["institution", "year", "title", "reported_on", "status"]

    @property
    def reopens(self):
        return (self.instance.pk is not None and self.initial.get("status") == Plan.Status.CLOSED
                and self.cleaned_data.get("status") not in (None, Plan.Status.CLOSED))

    def clean(self):
        cleaned = super().clean()
        if self.reopens and not cleaned.get("reopen_reason", "").strip():
            self.add_error("reopen_reason", _("마감을 푸는 사유를 적어 주세요."))
        return cleaned


@admin.register(Plan)
class PlanAdmin(ScopedHistoryAdmin):
    form = PlanAdminForm
    list_display = ["__str__", "institution", "year", "status"]
    list_filter = [("institution", OwnInstitutions), "status"]
    search_fields = ["title", "institution__name"]
    inlines = [CategoryInline]

    @staticmethod
    def was_closed(obj):
        # As stored: on a page sent back with a problem, `obj` already holds
        # what the form sent.
        return obj is not None and getattr(obj, "_loaded_status", obj.status) == Plan.Status.CLOSED

    def get_fields(self, request, obj=None):
        fields = ["institution", "year", "title", "reported_on", "status"]
        if self.was_closed(obj) and request.user.is_superuser:
            return [*fields, "reopen_reason"]
        return fields

    def get_readonly_fields(self, request, obj=None):
        # A closed year is read, not changed; only a superuser opens it again.
        if self.was_closed(obj):
            fixed = ["institution", "year", "title", "reported_on"]
            return fixed if request.user.is_superuser else [*fixed, "status"]
        return []

    def save_model(self, request, obj, form, change):
        if change and form.reopens:
            obj.reopen(request.user, form.cleaned_data["reopen_reason"], obj.status)
        else:
            super().save_model(request, obj, form, change)


@admin.register(Category)
class CategoryAdmin(ClosedPlanReadOnlyMixin, ScopedHistoryAdmin):
    list_display = ["name", "plan", "order", "is_common"]
    list_filter = [("plan__year", OwnValues), "is_common"]
    search_fields = ["name"]


@admin.register(UnitProject)
class UnitProjectAdmin(AutocompleteMixin, ClosedPlanReadOnlyMixin, ScopedHistoryAdmin):
    plan_path = "program.category.plan"
    list_display = ["name", "program", "unit", "indicator"]
    list_filter = [("program__category__plan__year", OwnValues), "unit"]
    search_fields = ["name", "program__name"]
    list_select_related = ["program", "indicator__program"]
    autocomplete_fields = ["program", "indicator"]


@admin.register(Institution)
class InstitutionAdmin(ScopedHistoryAdmin):
    list_display = ["name", "code", "address"]
    search_fields = ["name", "code"]
    filter_horizontal = ["members"]

    # An administrator keeps their institution; institutions come and go
    # with a superuser.
    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


@admin.register(GeneralStatus)
class GeneralStatusAdmin(FiniteDecimalsMixin, ScopedHistoryAdmin):
    list_display = ["institution", "year", "organization", "quota", "headcount", "head_name",
                    "budget_eok"]
    list_filter = [("institution", OwnInstitutions), "year"]

    @admin.display(description=_("예산(억원)"), ordering="budget_won")
    def budget_eok(self, obj):
        return fmt.eok(obj.budget_won, 1)


@admin.register(Submission)
class SubmissionAdmin(ScopedHistoryAdmin):
    list_display = ["program", "quarter", "status", "updated_by", "updated_at"]
    list_filter = ["quarter", "status", ("program__category__plan__year", OwnValues)]
    search_fields = ["program__name"]
    list_select_related = ["program", "updated_by"]

    # A quarter moves through the entry pages (submit, approve, return,
    # reopen with a reason); the admin only shows where it stands.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class MemberAdmin(InstitutionScoped, UserAdmin):
    """The users of the administrator's institutions (and of no other). A
    user the administrator adds joins those institutions; only a superuser
    sees superusers, makes them or grants anything beyond the roles."""

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        formfield = super().formfield_for_manytomany(db_field, request, **kwargs)
        if db_field.name == "groups" and not request.user.is_superuser:
            narrowed(formfield, Group.objects.filter(name__in=roles.ROLES))
        return formfield

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        return fields if request.user.is_superuser else [*fields, "is_superuser",
                                                          "user_permissions"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change and not request.user.is_superuser:
            # From the institution's side, which keeps the history of its members.
            for institution in access.institutions_of(request.user):
                institution.members.add(obj)


# The evaluation ---------------------------------------------------------------------


class PastResultInline(ScopedInline, ColumnLabelsMixin, FiniteDecimalsMixin,
                       ClosedPlanReadOnlyMixin, admin.TabularInline):
    """Results of the years before the book holds this indicator (for the
    편차 methods' five years)."""

    model = PastResult
    plan_path = "program.category.plan"
    fields = ["year", "value", "note"]


IndicatorAdmin.inlines = [TargetInline, PastResultInline]


class SchemeIndicatorFormSet(forms.BaseInlineFormSet):
    """배점 add up to the scheme's total; a method without the past years it
    needs and without a fallback is refused."""

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        scheme = self.instance
        kept = [form.instance for form in self.forms
                if form.cleaned_data and not form.cleaned_data.get("DELETE")]
        problems = scheme.weight_problems(kept)
        strict = [item for item in kept if item.needs_history and item.fallback == "none"]
        if strict and scheme.institution_id and scheme.year:  # the scheme's own form is valid
            problems += evaluation.history_problems(scheme, strict)
        if problems:
            raise ValidationError(problems)


class GradeBandFormSet(forms.BaseInlineFormSet):
    """Bands fall from the best grade to a lowest one from 0: no overlap, no
    gap, no total without a grade."""

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        problems = GradeBand.problems([form.instance for form in self.forms
                                       if form.cleaned_data
                                       and not form.cleaned_data.get("DELETE")])
        if problems:
            raise ValidationError(problems)


class SchemeIndicatorInline(ScopedInline, ColumnLabelsMixin, FiniteDecimalsMixin,
                            admin.TabularInline):
    model = SchemeIndicator
    formset = SchemeIndicatorFormSet
    fields = ["indicator", "weight", "method", "cap", "k_high", "k_low", "ratio_high",
              "ratio_low", "years", "floor", "fallback"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "indicator":
            # The indicators of the scheme's own plan, once it has one.
            object_id = request.resolver_match.kwargs.get("object_id")
            scheme = (EvaluationScheme.objects.filter(pk=object_id).first()
                      if str(object_id).isdigit() else None)
            queryset = Indicator.objects.select_related("program")
            if scheme is not None:
                queryset = queryset.filter(program__category__plan__institution=scheme.institution,
                                           program__category__plan__year=scheme.year)
            kwargs["queryset"] = queryset
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class GradeBandInline(ScopedInline, ColumnLabelsMixin, FiniteDecimalsMixin,
                      admin.TabularInline):
    model = GradeBand
    formset = GradeBandFormSet
    fields = ["order", "label", "lower_bound"]


class AdjustmentInline(ScopedInline, ColumnLabelsMixin, FiniteDecimalsMixin,
                       admin.TabularInline):
    model = Adjustment
    fields = ["kind", "name", "points", "limit"]


@admin.register(EvaluationScheme)
class EvaluationSchemeAdmin(FiniteDecimalsMixin, ScopedHistoryAdmin):
    list_display = ["name", "institution", "year", "is_example", "total_points", "target_basis"]
    list_filter = [("institution", OwnInstitutions), "year", "is_example"]
    search_fields = ["name"]
    inlines = [SchemeIndicatorInline, GradeBandInline, AdjustmentInline]
    fieldsets = [
        (None, {"fields": ["institution", "year", "name", "is_example", "note"]}),
        (_("점수 계산"), {"fields": ["total_points", ("places", "rounding"), "target_basis"]}),
    ]


class TargetRevisionInline(ScopedInline, ColumnLabelsMixin, FiniteDecimalsMixin,
                           admin.StackedInline):
    """변경 목표: added with its reason and approver; the original stays."""

    model = TargetRevision
    fields = [("value", "state"), "reason", ("approved_by", "approved_on")]

    def is_closed(self, obj):
        return obj is not None and obj.plan().is_closed

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and not self.is_closed(obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not self.is_closed(obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not self.is_closed(obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "approved_by":
            # Approvers (of the administrator's institutions: InstitutionScoped).
            kwargs["queryset"] = get_user_model().objects.filter(groups__name=roles.APPROVER)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Target)
class TargetAdmin(ScopedHistoryAdmin):
    """A target as planned (당초) and its revisions during the year (변경).
    Targets are set on the program's page; here they are revised."""

    list_display = ["owner", "year", "original", "in_force_display"]
    list_filter = [("indicator__program__category__plan__year", OwnValues)]
    search_fields = ["indicator__measurement", "indicator__program__name", "unit_project__name"]
    list_select_related = ["indicator__program", "unit_project"]
    readonly_fields = ["owner", "year", "original", "note"]
    fields = ["owner", "year", "original", "note"]
    inlines = [TargetRevisionInline]

    @admin.display(description=_("성과지표·단위사업"))
    def owner(self, obj):
        return obj.owner

    @admin.display(description=_("당초 목표"))
    def original(self, obj):
        return fmt.number(obj.figure)

    @admin.display(description=_("변경 목표"))
    def in_force_display(self, obj):
        revised = obj.revised_value if obj.revised_value is not None else obj.revised_state
        return fmt.number(revised) if revised else "-"

    def get_queryset(self, request):
        # The latest revision of each target, in the list's one query.
        return super().get_queryset(request).annotate(**TargetRevision.latest_of_each())

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
