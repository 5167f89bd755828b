"""Where a request comes from, for the login lockout."""

from django.conf import settings


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
