"""The admin as the tests drive it: an institution's administrator, and a
change page's form as the browser sends it back."""

import pytest

from goals import roles
from tests.support.entry_fixtures import make_user


def make_administrator(institution, username="keeper"):
    """An administrator of `institution`, who may open the admin."""
    user = make_user(institution, roles.ADMINISTRATOR, username)
    user.is_staff = True
    user.save()
    return user


@pytest.fixture
def administrator(client, institution):
    """The institution's administrator, logged in on `client`."""
    user = make_administrator(institution)
    client.force_login(user)
    return user


def change_form_data(response):
    """A change page's form and inlines as the browser would send them back."""
    data = {}
    main = response.context["adminform"].form
    forms = [main]
    for formset in response.context["inline_admin_formsets"]:
        management = formset.formset.management_form
        for name in management.fields:
            data[management.add_prefix(name)] = management[name].value()
        forms += formset.formset.forms
    for form in forms:
        for name in form.fields:
            value = form[name].value()
            if value is False or (value is None and form is not main):
                continue
            # A list is a multiple choice (members, groups): sent as several values.
            data[form.add_prefix(name)] = "" if value is None else value
    return data
