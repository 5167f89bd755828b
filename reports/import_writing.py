"""
Writing a plan that reports.import_reading.Reader has read without a
problem: the plan brought to what the workbook says, in the caller's
transaction.
"""


from django.db.models import F, Q
from django.utils.translation import gettext as _

from goals import formatting as fmt
from goals.models import (Category, Evidence, HeadlineTarget, Indicator, Narrative, Plan, Program, Result, Target, TargetRevision, UnitProject)


from .import_cells import ImportFailed, ImportOutcome, ImportProblem, Spec

CHANGE_REASON = "엑셀 업로드"
# Rows whose place changes are moved out of the way first, so that no two
# rows ever hold the same (parent, order) while the plan is rewritten.
OFFSET = 10000


class ChangeWriter:
    """Saves and deletes for the import as `user`, with the history's reason,
    counting each in `self.outcome`."""

    def __init__(self, user):
        self.user = user
        self.outcome = None

    def _write(self, model, pairs, offset_field=None, unique=()):
        """Bring each (existing object or None, spec) to the spec's values; save
        only what changes, so history shows real changes and nothing else."""
        moving = [obj.pk for obj, spec in pairs if obj is not None
                  and any(_differs(obj, name, spec.values[name]) for name in unique)]
        if moving:
            model.objects.filter(pk__in=moving).update(**{offset_field: F(offset_field) + OFFSET})
        written = []
        for obj, spec in pairs:
            if obj is None:
                obj = model(**spec.values)
                self._save(obj, created=True)
            elif any(_differs(obj, name, value) for name, value in spec.values.items()):
                for name, value in spec.values.items():
                    setattr(obj, name, value)
                self._save(obj, created=False)
            spec.object = obj
            written.append(obj)
        return written

    def _save(self, obj, created):
        self._sign(obj)
        obj.save()
        self.outcome.counts["created" if created else "updated"] += 1

    def _delete(self, obj):
        self._sign(obj)
        obj.delete()
        self.outcome.counts["deleted"] += 1

    def _sign(self, obj):
        """Who and why, for the object's history."""
        obj._history_user = self.user
        obj._change_reason = CHANGE_REASON


class Writer(ChangeWriter):
    def __init__(self, reader, institution, user):
        super().__init__(user)
        self.reader = reader
        self.institution = institution

    def write(self):
        reader = self.reader
        plan = Plan.objects.filter(institution=self.institution, year=reader.year).first()
        created = plan is None
        if created:
            plan = Plan(institution=self.institution, year=reader.year, status=Plan.Status.DRAFT)
        self.plan = plan
        self.outcome = ImportOutcome(plan, created)
        if created or plan.title != reader.title or plan.reported_on != reader.reported_on:
            plan.title = reader.title
            plan.reported_on = reader.reported_on
            self._save(plan, created)
        self.existing = existing_of(plan)
        self._refuse_deleting_what_has_results()
        for kind, children in (("unit_projects", "unit_projects"),
                               ("indicators", "indicators"), ("programs", None)):
            for obj in self._missing(kind, children):
                self._delete(obj)

        categories = self._categories()
        programs = self._programs()
        for category, (_name, _common, specs) in zip(categories, reader.categories):
            for number, spec in enumerate(specs, start=1):
                spec.values.update(category=category, number=number)
        self._write(Program, self._pairs("programs", programs), "number", ("category", "number"))
        for spec in programs:
            for child in spec.children["indicators"] + spec.children["unit_projects"]:
                child.values["program"] = spec.object
        indicators = [child for spec in programs for child in spec.children["indicators"]]
        self._write(Indicator, self._pairs("indicators", indicators), "order", ("program", "order"))
        for child in indicators:
            self._targets(child, indicator=child.object)
        units = [child for spec in programs for child in spec.children["unit_projects"]]
        for child in units:
            if isinstance(child.values["indicator"], Spec):
                child.values["indicator"] = child.values["indicator"].object
        self._write(UnitProject, self._pairs("unit_projects", units), "order",
                    ("program", "order"))
        for child in units:
            self._targets(child, unit_project=child.object)
        for spec in programs:
            self._placed(HeadlineTarget, "headlines", spec, spec.children["headlines"],
                         lambda values: (values["program"].pk, values["order"]))
            lines = [line for section in Narrative.Section.values
                     for line in spec.children[f"narratives:{section}"]]
            self._placed(Narrative, "narratives", spec, lines,
                         lambda values: (values["program"].pk, values["section"], values["order"]))
        kept = {category.pk for category in categories}
        for category in self.existing["categories"].values():
            if category.pk not in kept:
                self._delete(category)
        for result in reader.last_year_results:
            self._save(result, created=True)
        self.outcome.last_year_results = len(reader.last_year_results)
        return self.outcome

    def _programs(self):
        return [spec for _name, _common, programs in self.reader.categories for spec in programs]

    def _missing(self, kind, children=None):
        """The plan's objects of `kind` that no row of the workbook keeps."""
        specs = self._programs() if children is None else [
            child for program in self._programs() for child in program.children[children]]
        kept = {spec.id for spec in specs}
        return [obj for pk, obj in self.existing[kind].items() if pk not in kept]

    def _refuse_deleting_what_has_results(self):
        programs = self._missing("programs")
        indicators = self._missing("indicators", "indicators")
        units = self._missing("unit_projects", "unit_projects")
        blocked = (Result.objects.filter(indicator__in=indicators).exists()
                   or Result.objects.filter(unit_project__in=units).exists()
                   or Result.objects.filter(indicator__program__in=programs).exists()
                   or Result.objects.filter(unit_project__program__in=programs).exists()
                   or Evidence.objects.filter(program__in=programs).exists())
        if blocked:
            raise ImportFailed([ImportProblem("", None, None, _(
                "실적이나 증빙이 입력된 사업·성과지표·단위사업은 지울 수 없습니다. 지운 줄을 id 칸과 함께 "
                "되살리거나 실적을 먼저 정리하세요."))])

    def _categories(self):
        wanted = {name for name, _common, _programs in self.reader.categories}
        leaving = [category.pk for name, category in self.existing["categories"].items()
                   if name not in wanted]
        # Categories about to go give up their place to the ones that stay.
        Category.objects.filter(pk__in=leaving).update(order=F("order") + OFFSET)
        pairs = [(self.existing["categories"].get(name), Spec(None, None, {
                  "plan": self.plan, "order": order, "name": name, "is_common": is_common}))
                 for order, (name, is_common, _programs) in enumerate(self.reader.categories,
                                                                     start=1)]
        return self._write(Category, pairs, "order", ("order",))

    def _pairs(self, kind, specs):
        return [(self.existing[kind].get(spec.id), spec) for spec in specs]

    def _placed(self, model, kind, program, specs, key):
        """Headlines and narratives have no id: they are matched by their place."""
        pairs = []
        for spec in specs:
            spec.values["program"] = program.object
            for name in ("indicator", "unit_project"):
                if isinstance(spec.values.get(name), Spec):
                    spec.values[name] = spec.values[name].object
            pairs.append((self.existing[kind].pop(key(spec.values), None), spec))
        for place in [place for place in self.existing[kind] if place[0] == program.object.pk]:
            self._delete(self.existing[kind].pop(place))
        self._write(model, pairs)

    def _targets(self, spec, **owner):
        (name, obj), = owner.items()
        place = (obj.pk, None) if name == "indicator" else (None, obj.pk)
        for year, wanted in spec.targets.items():
            target = self.existing["targets"].get((*place, year))
            if target is not None and _is_revised(target):
                # The workbook shows the revised target (변경); the original stays.
                value, state, note = wanted or (None, "", target.note)
                self._refuse_revising(spec, target, value, state)
                wanted = (target.value, target.state, note)
            if wanted is None:
                if target is not None:
                    self._delete(target)
                continue
            value, state, note = wanted
            values = {"year": year, "value": value, "state": state, "note": note, **owner}
            self._write(Target, [(target, Spec(spec.row, None, values))])

    def _refuse_revising(self, spec, target, value, state):
        revised = (target.revised_value if target.revised_value is not None
                   else target.revised_state)
        if (value if value is not None else state or None) != revised:
            raise ImportFailed([ImportProblem(spec.row.sheet.name, spec.row.number, None, _(
                "변경된 목표입니다(당초 %(original)s, 변경 %(revised)s). 목표를 다시 바꾸려면 관리 화면에서 "
                "사유와 승인자와 함께 목표 변경을 입력하세요.")
                % {"original": fmt.number(target.figure), "revised": fmt.number(revised)})])


def _is_revised(target):
    return target.revised_value is not None or bool(target.revised_state)


def _differs(obj, name, value):
    model_field = obj._meta.get_field(name)
    if model_field.is_relation:
        return getattr(obj, model_field.attname) != (value.pk if value is not None else None)
    return getattr(obj, name) != value


def existing_of(plan):
    """What the plan holds now, by what a row of the workbook finds it by."""
    in_plan = {"program__category__plan": plan}
    targets = Target.objects.filter(Q(indicator__program__category__plan=plan)
                                    | Q(unit_project__program__category__plan=plan)).annotate(
        **TargetRevision.latest_of_each())
    return {
        "categories": {category.name: category for category in plan.categories.all()},
        "programs": {program.pk: program for program in
                     Program.objects.filter(category__plan=plan)},
        "indicators": {indicator.pk: indicator for indicator in
                       Indicator.objects.filter(**in_plan)},
        "unit_projects": {unit.pk: unit for unit in UnitProject.objects.filter(**in_plan)},
        "headlines": {(h.program_id, h.order): h for h in
                      HeadlineTarget.objects.filter(**in_plan)},
        "narratives": {(n.program_id, n.section, n.order): n for n in
                       Narrative.objects.filter(**in_plan)},
        "targets": {(t.indicator_id, t.unit_project_id, t.year): t for t in targets},
    }
