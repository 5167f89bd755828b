"""Logging in: lockout after repeated failures, sessions that end, passwords
that are not trivial."""

import secrets
import subprocess
import sys
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.test import Client

from goals import roles

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-pass-phrase-2024"


@pytest.fixture
def director(institution):
    user = get_user_model().objects.create_user("wonjang", password=PASSWORD)
    user.groups.add(roles.ensure_groups()[roles.DIRECTOR])
    institution.members.add(user)
    return user


def attempt(client, password, **headers):
    return client.post("/accounts/login/", {"username": "wonjang", "password": password},
                       **headers)


def test_five_failures_lock_the_user_out_even_with_the_right_password(client, director):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = attempt(client, "wrong")
        assert response.status_code == 200
        assert "비밀번호를 입력하십시오" in response.content.decode()
    assert attempt(client, "wrong").status_code == 429  # the fifth failure locks
    response = attempt(client, PASSWORD)
    assert response.status_code == 429
    page = response.content.decode()
    assert "로그인이 잠시 제한되었습니다" in page and "15분 뒤에 다시 시도하세요" in page
    assert "_auth_user_id" not in client.session
    # The admin's login is the same door.
    response = client.post("/admin/login/", {"username": "wonjang", "password": PASSWORD})
    assert response.status_code == 429


def test_a_spoofed_forwarded_for_header_does_not_reset_the_count(client, director):
    for n in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, "wrong", HTTP_X_FORWARDED_FOR=f"10.0.0.{n}")
    response = attempt(client, PASSWORD, HTTP_X_FORWARDED_FOR="192.0.2.77")
    assert response.status_code == 429


def test_behind_a_trusted_proxy_only_the_proxys_entry_counts(client, director, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    for n in range(settings.AXES_FAILURE_LIMIT):
        # The client may put anything in front; the proxy appends what it saw.
        attempt(client, "wrong", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}, 203.0.113.9")
    response = attempt(client, PASSWORD, HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.9")
    assert response.status_code == 429
    # Another address behind the proxy is another pair of user and address.
    response = attempt(client, PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.10")
    assert response.status_code == 302


def test_the_lock_is_per_user_and_address(client, director):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, "wrong")
    other_address = Client(REMOTE_ADDR="192.0.2.10")
    response = other_address.post("/accounts/login/",
                                  {"username": "wonjang", "password": PASSWORD})
    assert response.status_code == 302


def test_the_lock_lifts_after_the_cool_off(client, director):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, "wrong")
    assert attempt(client, PASSWORD).status_code == 429
    AccessAttempt.objects.update(
        attempt_time=AccessAttempt.objects.get().attempt_time
        - settings.AXES_COOLOFF_TIME - timedelta(seconds=1))
    response = attempt(client, PASSWORD)
    assert response.status_code == 302
    assert not AccessAttempt.objects.exists()  # a success starts the count again


def test_logging_in_gives_a_new_session_and_logging_out_ends_it(client, director):
    client.get("/accounts/login/")
    client.session.save()
    before = client.session.session_key
    assert attempt(client, PASSWORD).status_code == 302
    after = client.session.session_key
    assert after and after != before
    assert client.get("/jbsss/2024/").status_code == 200
    assert client.post("/accounts/logout/").status_code == 302
    assert not Session.objects.filter(session_key=after).exists()
    response = client.get("/jbsss/2024/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_logout_is_not_a_link_a_page_can_follow(client, director):
    client.force_login(director)
    assert client.get("/accounts/logout/").status_code == 405
    assert client.get("/jbsss/2024/").status_code == 200


def test_sessions_last_a_working_day_and_end_with_the_browser():
    assert settings.SESSION_COOKIE_AGE == 8 * 60 * 60
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
    assert settings.SESSION_COOKIE_HTTPONLY


@pytest.mark.parametrize("password", ["12345678", "password", "wonjang1", "짧음"])
def test_trivial_passwords_are_refused(director, password):
    with pytest.raises(ValidationError):
        validate_password(password, director)


def test_production_settings_are_secure():
    """With DEBUG off the cookies are secure, HTTPS is enforced and the
    deployment check passes at warning level."""
    environment = {"DJANGO_DEBUG": "0", "SECRET_KEY": secrets.token_urlsafe(50),
                   "ALLOWED_HOSTS": "goals.example",
                   "PATH": "/usr/bin:/bin"}
    script = ("import django; django.setup(); from django.conf import settings as s; "
              "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, "
              "s.SECURE_HSTS_SECONDS > 0, s.DEBUG)")
    shown = subprocess.run([sys.executable, "-c", script], env=environment | {
        "DJANGO_SETTINGS_MODULE": "kpi_site.settings"}, capture_output=True, text=True,
        cwd=settings.BASE_DIR, check=True)
    assert shown.stdout.split() == ["True", "True", "True", "True", "False"]
    check = subprocess.run([sys.executable, "manage.py", "check", "--deploy",
                            "--fail-level", "WARNING"], env=environment, capture_output=True,
                           text=True, cwd=settings.BASE_DIR)
    assert check.returncode == 0, check.stderr


def test_production_reuses_connections_and_compiled_templates_and_hashes_as_django_does():
    """In production a worker keeps its database connection (checked before
    reuse) and its compiled templates; passwords are hashed by Django's
    default hasher, at its default strength (tests swap in a fast one)."""
    environment = {"DJANGO_DEBUG": "0", "SECRET_KEY": secrets.token_urlsafe(50),
                   "ALLOWED_HOSTS": "goals.example", "PATH": "/usr/bin:/bin",
                   "DJANGO_SETTINGS_MODULE": "kpi_site.settings"}
    script = ("import django; django.setup(); from django.conf import settings as s; "
              "from django.template import engines; "
              "d = s.DATABASES['default']; loaders = engines['django'].engine.loaders; "
              "print(d['CONN_MAX_AGE'] > 0, d['CONN_HEALTH_CHECKS'], loaders[0][0], "
              "s.PASSWORD_HASHERS[0], s.CACHES['figures']['BACKEND'])")
    shown = subprocess.run([sys.executable, "-c", script], env=environment, capture_output=True,
                           text=True, cwd=settings.BASE_DIR, check=True).stdout.split()
    assert shown == ["True", "True", "django.template.loaders.cached.Loader",
                     "django.contrib.auth.hashers.PBKDF2PasswordHasher",
                     "django.core.cache.backends.db.DatabaseCache"]
