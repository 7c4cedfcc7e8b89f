from django.urls import path

from network import views

app_name = "network"

urlpatterns = [
    path("", views.home, name="home"),
    path("cohorts/", views.cohort_list, name="cohorts"),
    path("cohorts/<slug:slug>/", views.cohort_detail, name="cohort"),
    path("invitations/<str:token>/", views.invitation, name="invitation"),
]
