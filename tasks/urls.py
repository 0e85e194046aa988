from django.urls import path

import tasks.urging_views as urging_views
from tasks import comment_views, handover_views, notification_views, review_views, views, workflow_views
from tasks.targets import views as target_views

app_name = "tasks"
urlpatterns = [
    path("", views.TaskListView.as_view(), name="list"),
    path("mine/", views.my_tasks, name="mine"),
    path("review/", review_views.review_queue, name="review_queue"),
    path("review/decide/", review_views.decide, name="review_decide"),
    path("review/decide-many/", review_views.decide_many, name="review_decide_many"),
    path("handover/", handover_views.handover, name="handover"),
    path("urge/", urging_views.urge, name="urge"),
    path("urge/notices/", urging_views.notice_list, name="urging_list"),
    path("urge/<int:pk>/", urging_views.notice_detail, name="urging_notice"),
    path("urge/<int:pk>/letter.docx", urging_views.letter, name="urging_letter"),
    path("<int:pk>/", views.task_detail, name="detail"),
    path("<int:pk>/deadline/", views.edit_deadline, name="edit_deadline"),
    path("<int:pk>/report/", workflow_views.report, name="report"),
    path("<int:pk>/contribute/", workflow_views.contribute, name="contribute"),
    path("<int:pk>/status/", workflow_views.set_status, name="set_status"),
    path("<int:pk>/review/", workflow_views.review, name="review"),
    path("<int:pk>/extension/", workflow_views.request_extension, name="request_extension"),
    path("<int:pk>/comment/", comment_views.comment, name="comment"),
    path("comments/<int:pk>/withdraw/", comment_views.withdraw_comment, name="withdraw_comment"),
    path("extensions/<int:pk>/", workflow_views.decide_extension, name="decide_extension"),
    path("evidence/<int:pk>/", workflow_views.evidence_file, name="evidence"),
    path("<int:pk>/indicators/", target_views.edit_indicators, name="edit_indicators"),
    path("targets/<int:pk>/", target_views.target_detail, name="target"),
    path("targets/<int:pk>/edit/", target_views.target_edit, name="target_edit"),
    path("targets/<int:pk>/report/", target_views.report_value, name="target_report"),
    path("targets/new/<int:plan_pk>/", target_views.target_create, name="target_create"),
    path("targets/reports/<int:pk>/review/", target_views.review_value, name="target_review"),
    path("targets/reports/<int:pk>/evidence/", target_views.evidence, name="target_evidence"),
    path("notifications/", notification_views.notification_list, name="notifications"),
    path("notifications/<int:pk>/read/", notification_views.mark_read, name="notification_read"),
    path("notifications/read-all/", notification_views.mark_all_read, name="notifications_read_all"),
]
