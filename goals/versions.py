"""
The data version of an institution's goal book.

Every write to any row of an institution's goal book, through every path
(forms, the admin, imports, restore), gives the institution a new version as
its transaction commits, and nothing else does; a write rolled back changes
nothing. What is made from the data and kept, such as a report's file, is
kept under the version it was read at, so it is used again exactly as long as
nothing of that institution has changed, whatever happens in other
institutions.

Read the version before the data: what is read afterwards is then at least as
new as the version says.

The new version is written right after the commit, in a statement of its
own, not inside the writing transaction: a row that every writer of an
institution updated would be held until each writer commits, and under load
the writers queued behind it (and, on PostgreSQL, deadlocked through its
foreign key). Between a commit and its new version lie microseconds; a
process killed exactly then leaves the old version until the next write.

A version is a random token, not a counter: a token once seen never stands
for other data, not after a rollback, nor after a restore into an empty
database. Bulk writes (QuerySet.update, bulk_create) send no signals; code
that uses them calls bump() itself.

Finer versions say which part changed, for what is kept of a few programs
(a staff member's entry page, read again and again through a quarter while
colleagues save theirs):

- a program's version (ProgramVersion) changes with what is entered for it
  (PROGRAM_PATHS): its results, targets and their revisions, last year's
  actuals, submissions, spending and evidence;
- the institution's outline changes with every other write: the plan, its
  programs, indicators and unit projects, a user's name; and with bump(),
  and with a write that moved an entered row to another place.

A program's version has a second part, what readers of approved values only
see of it (ProgramVersion.approved: the director's overview, the province's
reports, everyone's view of a colleague's program). A quarter's values (its
results, spending, evidence) count for them only once the quarter is
approved, and an approved quarter's values cannot be written, through any
path (goals.models.EnteredForQuarter): a draft saved by the entry service,
which holds the quarter locked meanwhile, changes the program's version but
not that part. The approval itself, a submission written, changes both, as
does every other write of PROGRAM_PATHS, and a quarter's value written
without that lock (the admin, the shell), which an approval may have come
between.

A transaction makes each of them new once, as it commits, however many rows
it wrote.
"""

import uuid
from contextlib import contextmanager
from contextvars import ContextVar

from django.apps import apps
from django.db import transaction
from django.db.models.signals import post_save, pre_delete
from django.utils import timezone
from simple_history.models import HistoricalChanges

from .access import INSTITUTION_PATHS
from .models import (HELD_SUBMISSIONS, QUARTERS, DataVersion, Institution, Notification, Program,
                     ProgramVersion)

# What is entered for a program, and the way from each row to its program.
PROGRAM_PATHS = {
    "result": ["indicator__program", "unit_project__program"],
    "target": ["indicator__program", "unit_project__program"],
    "targetrevision": ["target__indicator__program", "target__unit_project__program"],
    "pastresult": ["indicator__program"],
    "submission": ["program"],
    "execution": ["program"],
    "evidence": ["program"],
}


def current(institution):
    """The version of `institution`'s goal book now."""
    return _row(institution).token


def outline(institution):
    """The version of `institution`'s goal book but what is entered for its
    programs (see the module's text)."""
    seen = _page.get()
    if seen is None:
        return _row(institution).outline
    institution_id = _pk(institution)
    if institution_id not in seen.outlines:
        seen.outlines[institution_id] = _row(institution).outline
    return seen.outlines[institution_id]


def program_versions(program_ids, approved=False):
    """{program id: version} of `program_ids`, of what readers of approved
    values only see of them when `approved`; "" for a program never entered
    (any change to the programs themselves changes the outline)."""
    seen = _page.get()
    known = seen.programs if seen is not None else {}
    missing = [program_id for program_id in program_ids if program_id not in known]
    if missing:
        found = {program_id: (token, approved_token) for program_id, token, approved_token
                 in ProgramVersion.objects.filter(program_id__in=missing)
                 .values_list("program_id", "token", "approved")}
        known = {**known, **{program_id: found.get(program_id, ("", ""))
                             for program_id in missing}}
        if seen is not None:
            seen.programs = known
    part = 1 if approved else 0  # (token, approved token)
    return {program_id: known[program_id][part] for program_id in program_ids}


class _Seen:
    def __init__(self):
        self.outlines, self.programs = {}, {}


_page = ContextVar("goals_versions_of_the_page", default=None)


@contextmanager
def read_once():
    """Within, each version is read once and then taken as read: a page that
    reads its figures several ways (a program's, the year's, the year's
    evaluation) reads them at one state, with a query each, not each time."""
    token = _page.set(_Seen())
    try:
        yield
    finally:
        _page.reset(token)


def read_once_per_page(get_response):
    """Middleware: a page (GET, HEAD) reads each version once (read_once()).
    A request that writes reads them afresh: its own writes change them."""
    def middleware(request):
        if request.method in ("GET", "HEAD"):
            with read_once():
                return get_response(request)
        return get_response(request)
    return middleware


def program_versions_of(institution, approved=False):
    """{program id: version} of every program of `institution` entered yet
    (see program_versions)."""
    return dict(ProgramVersion.objects.filter(institution_id=_pk(institution))
                .values_list("program_id", "approved" if approved else "token"))


def _row(institution):
    token = _token()
    version, _created = DataVersion.objects.get_or_create(
        institution_id=_pk(institution), defaults={"token": token, "outline": token})
    return version


def bump(institution):
    """Give `institution` a new version, outline included, once the current
    transaction commits (at once outside a transaction)."""
    _make_new(_pk(institution), outline=True)


def bump_all():
    """For a write that concerns every institution (a row of no one institution)."""
    for institution_id in Institution.objects.values_list("pk", flat=True):
        bump(institution_id)


class _NewVersions:
    """What a transaction's writes make new in one institution as it commits."""

    def __init__(self, institution_id, queue):
        self.institution_id = institution_id
        self.queue = queue  # Django's list of what waits for this transaction's commit
        self.outline, self.programs, self.done = False, set(), False
        self.seen_approved = set()  # of the programs, those readers of approved values see changed

    def __call__(self):
        if self.done:
            return
        self.done = True
        token = _token()
        now = timezone.now()
        fields = {"token": token, "changed_at": now, **({"outline": token} if self.outline else {})}
        changed = DataVersion.objects.filter(institution_id=self.institution_id).update(**fields)
        if not changed and Institution.objects.filter(pk=self.institution_id).exists():
            DataVersion.objects.update_or_create(institution_id=self.institution_id,
                                                 defaults={**fields, "outline": token})
        changed = 0
        for programs, fields in ((self.programs - self.seen_approved, {"token": token}),
                                 (self.seen_approved, {"token": token, "approved": token})):
            if programs:
                changed += ProgramVersion.objects.filter(program_id__in=sorted(programs)).update(
                    institution_id=self.institution_id, **fields)
        if changed < len(self.programs):  # a program's first: made (a deleted one's not)
            ProgramVersion.objects.bulk_create(
                [ProgramVersion(program_id=pk, institution_id=self.institution_id, token=token,
                                # Read as "" while there was no row.
                                approved=token if pk in self.seen_approved else "")
                 for pk in Program.objects.filter(pk__in=sorted(self.programs)).exclude(
                     pk__in=ProgramVersion.objects.values("program_id"))
                 .values_list("pk", flat=True)],
                ignore_conflicts=True)
            if self.seen_approved:
                # A writer of the same new program may have made its row
                # first, without this transaction's approved token.
                ProgramVersion.objects.filter(program_id__in=sorted(self.seen_approved)).update(
                    approved=token)


def _make_new(institution_id, outline=False, programs=(), seen_approved=True):
    """Once the transaction commits, make the institution's version new, with
    its outline or `programs` (and what readers of approved values only see
    of them, if `seen_approved`): once, however many of its rows the transaction
    wrote. Each write adds what it changed to the transaction's one
    _NewVersions, and registers it again (the first call does the work, the
    others nothing): a test that runs the callbacks registered since a point
    then runs it too."""
    connection = transaction.get_connection()
    waiting = connection.__dict__.setdefault("goals_new_versions", {})
    new = waiting.get(institution_id)
    # Django starts a new list of callbacks when a transaction commits or
    # rolls back, and when a savepoint rolls back: a _NewVersions registered
    # in another list belongs to writes already committed or undone, so a
    # new one is made (after a savepoint's rollback, one update more).
    if (new is None or new.done or not connection.in_atomic_block
            or new.queue is not connection.run_on_commit):
        new = waiting[institution_id] = _NewVersions(institution_id, connection.run_on_commit)
    new.outline = new.outline or outline
    new.programs.update(programs)
    if seen_approved:
        new.seen_approved.update(programs)
    transaction.on_commit(new)


def institutions_of(instance):
    """The ids of the institutions whose goal book `instance` belongs to, or
    None for a row that belongs to no one institution (then it is everyone's)."""
    paths = INSTITUTION_PATHS.get(instance._meta.model_name)
    if paths is None:
        return None
    if paths == ["pk"]:
        return {instance.pk}
    if len(paths) == 1 and "__" not in paths[0]:
        return {getattr(instance, f"{paths[0]}_id")}
    found = (type(instance)._default_manager.filter(pk=instance.pk)
             .values_list(*paths).first()) or ()
    return {pk for pk in found if pk is not None}


def goal_book_models():
    """The models whose rows make up the goal book: every model of goals but
    the history tables and this version itself."""
    return [model for model in apps.get_app_config("goals").get_models()
            if not issubclass(model, HistoricalChanges)
            and model not in (DataVersion, ProgramVersion, Notification)]


def watch():
    """Connect the signals (goals.apps.GoalsConfig.ready)."""
    for model in goal_book_models():
        post_save.connect(_written, sender=model, dispatch_uid=f"versions-save-{model.__name__}")
        # Before the row goes, while the way to its institution still exists.
        pre_delete.connect(_written, sender=model,
                           dispatch_uid=f"versions-delete-{model.__name__}")
    watch_users()


def watch_users():
    """A user's name is part of the goal book as it is read (a program's owner,
    who saved a value): a change to a user, but a login, gives the
    institutions they belong to or own programs of a new version."""
    from django.contrib.auth import get_user_model

    user_model = get_user_model()
    post_save.connect(_user_written, sender=user_model, dispatch_uid="versions-save-user")
    pre_delete.connect(_user_written, sender=user_model, dispatch_uid="versions-delete-user")


# What a login or a password upgraded as it logs in saves: nothing shown.
_NOT_SHOWN = frozenset({"last_login", "password"})


def _user_written(sender, instance, created=False, update_fields=None, **kwargs):
    if created or (update_fields is not None and set(update_fields) <= _NOT_SHOWN):
        return
    from django.db.models import Q

    for institution_id in (Institution.objects.filter(
            Q(members=instance) | Q(plans__categories__programs__owner=instance))
            .values_list("pk", flat=True).distinct()):
        bump(institution_id)


def _written(sender, instance, created=False, **kwargs):
    paths = PROGRAM_PATHS.get(instance._meta.model_name)
    if paths is not None:
        programs = _programs_of(instance, paths)
        # A row that moved (or that was saved without being read) may leave
        # a program that read it: the outline says so.
        outline = kwargs.get("signal") is post_save and not created and _moved(instance, paths)
        seen_approved = not _unseen_until_approved(
            instance, {pk for program_ids in programs.values() for pk in program_ids})
        for institution_id, program_ids in programs.items():
            _make_new(institution_id, outline=outline, programs=program_ids,
                      seen_approved=seen_approved)
        return
    owners = institutions_of(instance)
    if owners is None:
        bump_all()
        return
    for institution_id in owners:
        bump(institution_id)


def _unseen_until_approved(instance, program_ids):
    """Whether the entered row `instance` is a quarter's value, which readers
    of approved values only see once the quarter is approved, written while
    the writer held the quarter locked (goals.entry): then no approval came
    between its check and its write, and it changes nothing they see.
    Written any other way (the admin, the shell), it counts as seen."""
    name = instance._meta.model_name
    if name == "result":
        quarter = instance.period  # the entry service never moves a value
    elif name in ("execution", "evidence"):
        quarter = instance.quarter
    else:
        return False
    held = HELD_SUBMISSIONS.get() or {}
    return quarter in QUARTERS and all((pk, quarter) in held for pk in program_ids)


def _moved(instance, paths):
    """Whether the entered row `instance` may have left the parent it was read
    with (goals.models.KeepsPlaceWhileLocked keeps what it was read with)."""
    loaded = getattr(instance, "_loaded_place", {})
    parents = {f"{path.split('__')[0]}_id" for path in paths}
    return any(name not in loaded or loaded[name] != getattr(instance, name)
               for name in parents)


def _programs_of(instance, paths):
    """{institution id: {program id}} of the entered row `instance`: from the
    objects it was read or made with when they are at hand (the entry
    service's are), else in one query."""
    found = {}
    for path in paths:
        program = _follow(instance, path)
        if program is _UNKNOWN:
            return _programs_read(instance, paths)
        if program is None:
            continue
        institution_id = _follow(program, "category__plan__institution_id")
        if institution_id is _UNKNOWN:
            return _programs_read(instance, paths)
        found.setdefault(institution_id, set()).add(program.pk)
    return found


_UNKNOWN = object()


def _follow(instance, path):
    """`instance.a.b.c` for "a__b__c" through the related objects already
    cached on each, None at a missing link, _UNKNOWN where one is not cached."""
    names = path.split("__")
    for name in names[:-1]:
        field = instance._meta.get_field(name)
        if getattr(instance, field.attname) is None:
            return None
        if not field.is_cached(instance):
            return _UNKNOWN
        instance = field.get_cached_value(instance)
    last = names[-1]
    if last.endswith("_id"):
        return getattr(instance, last)
    field = instance._meta.get_field(last)
    if getattr(instance, field.attname) is None:
        return None
    return field.get_cached_value(instance) if field.is_cached(instance) else _UNKNOWN


def _programs_read(instance, paths):
    columns = [column for path in paths
               for column in (path, f"{path}__category__plan__institution")]
    row = type(instance)._default_manager.filter(pk=instance.pk).values_list(*columns).first()
    found = {}
    for program_id, institution_id in zip(row[::2], row[1::2]) if row else ():
        if program_id is not None:
            found.setdefault(institution_id, set()).add(program_id)
    return found


def _pk(institution):
    return getattr(institution, "pk", institution)


def _token():
    return uuid.uuid4().hex
