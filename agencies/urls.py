from django.urls import path

from agencies import views

app_name = "agencies"
urlpatterns = [
    path("", views.AgencyListView.as_view(), name="list"),
    path("<int:pk>/", views.agency_detail, name="detail"),
    path("me/", views.profile, name="profile"),
    path("me/calendar-link/", views.calendar_link, name="calendar_link"),
    path("calendar/<str:token>.ics", views.calendar_feed, name="calendar"),
]
