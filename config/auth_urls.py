"""The account pages under ``accounts/``: Django's log-in, log-out and password pages (the password
pages only while local log-in is on) and the single sign-on start and return."""

from django.contrib.auth import views as auth_views
from django.urls import path

from agencies import sso_views
from config import views

local = views.local_login_only

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password_change/", local(auth_views.PasswordChangeView.as_view()), name="password_change"),
    path(
        "password_change/done/",
        local(auth_views.PasswordChangeDoneView.as_view()),
        name="password_change_done",
    ),
    path("password_reset/", local(views.PasswordResetView.as_view()), name="password_reset"),
    path(
        "password_reset/done/", local(auth_views.PasswordResetDoneView.as_view()), name="password_reset_done"
    ),
    path(
        "reset/<uidb64>/<token>/",
        local(auth_views.PasswordResetConfirmView.as_view()),
        name="password_reset_confirm",
    ),
    path(
        "reset/done/", local(auth_views.PasswordResetCompleteView.as_view()), name="password_reset_complete"
    ),
    path("sso/start/", sso_views.SignOnStartView.as_view(), name="sso_start"),
    path("sso/return/", sso_views.SignOnReturnView.as_view(), name="sso_return"),
]
