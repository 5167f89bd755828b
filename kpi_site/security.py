"""Where a request comes from, for the login lockout; requests no page takes."""

from django.conf import settings
from django.core.exceptions import BadRequest
from django.http import Http404
from django.shortcuts import render
from django.template.defaultfilters import filesizeformat

LARGEST_ID = 2**63 - 1  # BigAutoField; SQLite cannot even compare a larger number


def client_ip(request):
    """
    The client's address. Without a trusted reverse proxy it is the address
    the connection came from: an X-Forwarded-For header sent by the client
    proves nothing and is ignored. Behind TRUSTED_PROXY_COUNT proxies, it is
    the address the outermost of them saw, counted from the right of
    X-Forwarded-For, so entries a client put in front of the header are
    ignored too.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    count = settings.TRUSTED_PROXY_COUNT
    if not count:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
                 if part.strip()]
    if len(forwarded) < count:
        return remote
    return forwarded[-count]


def refuse_nul_in_query(get_response):
    """A query string holding a NUL character is a bad request (400): no page
    takes one, and PostgreSQL cannot even compare text holding it, so the
    admin's searches and filters would fail with a 500. Forms refuse NUL
    themselves, beside the field."""

    def middleware(request):
        for key, values in request.GET.lists():
            if "\x00" in key or any("\x00" in value for value in values):
                raise BadRequest("NUL in the query string")
        return get_response(request)

    return middleware


class NumbersOutOfRangeFindNothing:
    """A number in the path that no id can be (2⁶³ or more, or as negative)
    finds nothing: a 404 for every route, before any view asks the database,
    which would fail with a 500 (SQLite cannot even compare it). <int:...>
    arrives as a number, the admin's <path:object_id> as text."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view, args, kwargs):
        if any(out_of_range(value) for value in (*args, *kwargs.values())):
            raise Http404


def out_of_range(value):
    if isinstance(value, str):
        digits = value.removeprefix("-")
        if not digits.isascii() or not digits.isdigit():
            return False
        if len(digits) > len(str(LARGEST_ID)):  # int() of 5,000 digits is refused itself
            return True
        value = int(digits)
    return isinstance(value, int) and abs(value) > LARGEST_ID


def permissions_policy(get_response):
    """The Permissions-Policy header on every response: no page of ours uses
    the camera, the microphone, the location, payment or USB, so none may."""

    def middleware(request):
        response = get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response

    return middleware


# The form around an uploaded file: its boundaries, the CSRF token, a reason.
UPLOAD_OVERHEAD = 64 * 1024


def accepts_upload(limit_setting):
    """Marks a view that takes one file of at most settings.<limit_setting>
    bytes; every other view takes settings.DATA_UPLOAD_MAX_MEMORY_SIZE."""

    def mark(view):
        view.upload_limit_setting = limit_setting
        return view

    return mark


def body_limit(view):
    setting = getattr(view, "upload_limit_setting", None)
    if setting:
        return getattr(settings, setting) + UPLOAD_OVERHEAD
    return settings.DATA_UPLOAD_MAX_MEMORY_SIZE


class RequestBodyLimit:
    """A request whose Content-Length is larger than its view takes is
    refused (413) before a byte of its body is read: this runs before the
    CSRF check, which reads the form. Django's own limits apply to what is
    read; a proxy in front should cap bodies too (README)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view, args, kwargs):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            raise BadRequest("Content-Length is not a number") from None
        limit = body_limit(view)
        if length > limit:
            return render(request, "413.html", {"limit": filesizeformat(limit)}, status=413)
        return None
