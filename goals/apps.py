from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def ensure_roles(**kwargs):
    from . import roles

    roles.ensure_groups()


class GoalsConfig(AppConfig):
    name = "goals"
    verbose_name = _("경영성과 목표")

    def ready(self):
        # Every database has the roles, and each time it is migrated they get
        # the permissions this version gives them.
        post_migrate.connect(ensure_roles, sender=self)
        # Every write to an institution's goal book gives it a new data version.
        from . import versions

        versions.watch()
