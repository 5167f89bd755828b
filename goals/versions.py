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
"""

import uuid

from django.apps import apps
from django.db import transaction
from django.db.models.signals import post_save, pre_delete
from django.utils import timezone
from simple_history.models import HistoricalChanges

from .access import INSTITUTION_PATHS
from .models import DataVersion, Institution, Notification


def current(institution):
    """The version of `institution`'s goal book now."""
    version, _created = DataVersion.objects.get_or_create(
        institution_id=_pk(institution), defaults={"token": _token()})
    return version.token


def bump(institution):
    """Give `institution` a new version once the current transaction commits
    (at once outside a transaction)."""
    institution_id = _pk(institution)
    transaction.on_commit(lambda: _new_version(institution_id))


def bump_all():
    """For a write that concerns every institution (a row of no one institution)."""
    transaction.on_commit(lambda: [
        _new_version(institution_id)
        for institution_id in Institution.objects.values_list("pk", flat=True)])


def _new_version(institution_id):
    token = _token()
    changed = DataVersion.objects.filter(institution_id=institution_id).update(
        token=token, changed_at=timezone.now())
    if not changed and Institution.objects.filter(pk=institution_id).exists():
        DataVersion.objects.update_or_create(institution_id=institution_id,
                                             defaults={"token": token})


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
            and model not in (DataVersion, Notification)]


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


def _written(sender, instance, **kwargs):
    owners = institutions_of(instance)
    if owners is None:
        bump_all()
        return
    for institution_id in owners:
        bump(institution_id)


def _pk(institution):
    return getattr(institution, "pk", institution)


def _token():
    return uuid.uuid4().hex
