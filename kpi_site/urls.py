from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path

from goals.views.home import home

# Accounts: log in, log out, change one's own password. There is no reset by
# e-mail: the institution's network may send none; an administrator sets a
# forgotten password in the admin.
accounts = [
    path("login/", login_not_required(auth_views.LoginView.as_view()), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", auth_views.PasswordChangeView.as_view(
        template_name="registration/password_change.html"), name="password_change"),
    path("password/done/", auth_views.PasswordChangeDoneView.as_view(
        template_name="registration/password_changed.html"), name="password_change_done"),
]

urlpatterns = [
    path("", home, name="home"),
    path("accounts/", include(accounts)),
    path("admin/", admin.site.urls),
    path("reports/", include("reports.urls")),
    path("", include("goals.urls")),
]
