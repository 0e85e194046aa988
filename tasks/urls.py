from django.urls import path

from tasks import views

app_name = "tasks"
urlpatterns = [
    path("", views.TaskListView.as_view(), name="list"),
    path("<int:pk>/", views.task_detail, name="detail"),
    path("<int:pk>/deadline/", views.edit_deadline, name="edit_deadline"),
]
