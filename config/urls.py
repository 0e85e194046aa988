from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from config import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/", include("config.auth_urls")),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("plans/", include("plans.urls")),
    path("tasks/", include("tasks.urls")),
    path("agencies/", include("agencies.urls")),
    path("reports/", include("reports.urls")),
    path("api/v1/", include("config.api.urls")),
    path("admin/", admin.site.urls),
]
