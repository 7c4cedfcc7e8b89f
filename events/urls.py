from django.urls import path

from events import exports, views

app_name = "events"

urlpatterns = [
    path("", views.event_list, name="list"),
    path("past/", views.event_past, name="past"),
    path("month/", views.this_month, name="this_month"),
    path("month/<int:year>/<int:month>/", views.month, name="month"),
    path("new/", views.event_create, name="create"),
    path("<int:pk>/", views.event_detail, name="detail"),
    path("<int:pk>/edit/", views.event_edit, name="edit"),
    path("<int:pk>/cancel/", views.event_cancel, name="cancel"),
    path("<int:pk>/rsvp/", views.event_rsvp, name="rsvp"),
    path("<int:pk>/event.ics", views.event_ics, name="ics"),
    path("<int:pk>/attendance/", views.attendance, name="attendance"),
    path("<int:pk>/check-in/", views.check_in_list, name="check_in"),
    path("<int:pk>/check-in/mark/", views.check_in_mark, name="check_in_mark"),
    path("<int:pk>/attendees.csv", exports.attendees_export, name="attendees_export"),
    path(
        "cohorts/<slug:slug>/attendance.csv",
        exports.cohort_attendance_export,
        name="cohort_attendance_export",
    ),
    path("calendar/", views.calendar_feed_settings, name="calendar"),
    path("feed/<str:token>.ics", views.feed, name="feed"),
    path("polls/new/", views.poll_create, name="poll_create"),
    path("polls/<int:pk>/", views.poll_detail, name="poll"),
    path("polls/<int:pk>/close/", views.poll_close, name="poll_close"),
    path("polls/<int:pk>/remind/", views.poll_remind, name="poll_remind"),
]
