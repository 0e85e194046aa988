from django.urls import path

from reports import views

app_name = "reports"
urlpatterns = [
    path("", views.province_overview, name="overview"),
    path("ranking/", views.agency_ranking, name="ranking"),
    path("late-tasks/", views.late_agency_tasks, name="late_tasks"),
    path("export.<str:fmt>", views.export, name="export"),
    path("plans/<int:pk>/", views.plan_progress, name="plan"),
    path("plans/<int:pk>/export.<str:fmt>", views.export, name="plan_export"),
    path("documents/", views.document_list, name="documents"),
    path("documents/new/", views.document_create, name="document_create"),
    path("documents/<int:pk>/", views.document_detail, name="document"),
    path("documents/<int:pk>/submit/", views.document_submit, name="document_submit"),
    path("documents/<int:pk>/export.<str:fmt>", views.document_export, name="document_export"),
    path("exports/<int:pk>/", views.pdf_export, name="pdf_export"),
    path("exports/<int:pk>/file.<str:fmt>", views.pdf_export_file, name="pdf_export_file"),
]
