from django.urls import path

from messaging.announcements import views

app_name = "announcements"

urlpatterns = [
    path("", views.announcement_list, name="list"),
    path("new/", views.announcement_new, name="new"),
    path("<int:pk>/", views.announcement_detail, name="detail"),
    path("<int:pk>/edit/", views.announcement_edit, name="edit"),
    path("<int:pk>/withdraw/", views.announcement_withdraw, name="withdraw"),
    path("<int:pk>/dismiss/", views.announcement_dismiss, name="dismiss"),
]
