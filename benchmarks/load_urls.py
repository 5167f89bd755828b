"""The app's URLs and the load test's floor (benchmarks/load_settings.py)."""

from django.http import HttpResponse
from django.urls import include, path


def trivial(request):
    """A logged-in page that does nothing: what any page costs at least."""
    return HttpResponse(f"ok {request.user.get_username()}")


urlpatterns = [
    path("benchmark/trivial/", trivial, name="benchmark_trivial"),
    path("", include("kpi_site.urls")),
]
