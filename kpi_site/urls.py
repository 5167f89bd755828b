from django.contrib import admin
from django.contrib.auth.views import LoginView
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path

from goals.views.home import home

urlpatterns = [
    path("", home, name="home"),
    path("accounts/login/", login_not_required(LoginView.as_view()), name="login"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
    path("reports/", include("reports.urls")),
    path("", include("goals.urls")),
]
