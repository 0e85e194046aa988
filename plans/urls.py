from django.urls import path

from plans import export_views, import_views, views

app_name = "plans"
urlpatterns = [
    path("", views.PlanListView.as_view(), name="list"),
    path("<int:pk>/", views.plan_detail, name="detail"),
    path("<int:pk>/settings/", views.plan_settings, name="settings"),
    path("<int:pk>/horizon/", views.plan_horizon, name="horizon"),
    path("<int:pk>/export.<str:fmt>", export_views.export_tasks, name="export"),
    path("import/", import_views.upload, name="import_upload"),
    path("import/<int:pk>/", import_views.detail, name="import_detail"),
    path("import/<int:pk>/progress/", import_views.progress, name="import_progress"),
    path("import/<int:pk>/confirm/", import_views.confirm, name="import_confirm"),
    path("import/<int:pk>/retry/", import_views.retry, name="import_retry"),
    path("import/<int:pk>/source/", import_views.choose_source, name="import_source"),
]
