from django.urls import path

from agencies import credential_views, views, webhook_views

app_name = "agencies"
urlpatterns = [
    path("", views.AgencyListView.as_view(), name="list"),
    path("<int:pk>/", views.agency_detail, name="detail"),
    path("me/", views.profile, name="profile"),
    path("me/calendar-link/", views.calendar_link, name="calendar_link"),
    path("me/tokens/", credential_views.create_token, name="create_token"),
    path("me/tokens/<int:pk>/revoke/", credential_views.revoke_token, name="revoke_token"),
    path("api-keys/", credential_views.api_keys, name="api_keys"),
    path("api-keys/<int:pk>/revoke/", credential_views.revoke_api_key, name="revoke_api_key"),
    path("webhooks/", webhook_views.webhook_list, name="webhooks"),
    path("webhooks/<int:pk>/", webhook_views.webhook_detail, name="webhook"),
    path("webhooks/<int:pk>/toggle/", webhook_views.webhook_toggle, name="webhook_toggle"),
    path("webhooks/<int:pk>/delete/", webhook_views.webhook_delete, name="webhook_delete"),
    path("webhooks/<int:pk>/ping/", webhook_views.webhook_ping, name="webhook_ping"),
    path("calendar/<str:token>.ics", views.calendar_feed, name="calendar"),
]
