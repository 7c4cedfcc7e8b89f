from django.urls import path

from messaging.discussions import views

app_name = "discussions"

urlpatterns = [
    path("", views.boards, name="boards"),
    path("search/", views.search, name="search"),
    path("b/<slug:slug>/", views.board, name="board"),
    path("b/<slug:slug>/new/", views.new_thread, name="new_thread"),
    path("b/<slug:slug>/follow/", views.board_follow, name="board_follow"),
    path("b/<slug:slug>/members/", views.board_members, name="board_members"),
    path("b/<slug:slug>/mute/", views.board_mute, name="board_mute"),
    path("t/<int:pk>/", views.thread, name="thread"),
    path("t/<int:pk>/updates/", views.thread_updates, name="thread_updates"),
    path("t/<int:pk>/reply/", views.reply, name="reply"),
    path("t/<int:pk>/follow/", views.thread_follow, name="thread_follow"),
    path("t/<int:pk>/moderate/", views.thread_moderate, name="thread_moderate"),
    path("p/<int:pk>/", views.post, name="post"),
    path("p/<int:pk>/edit/", views.post_edit, name="post_edit"),
    path("p/<int:pk>/delete/", views.post_delete, name="post_delete"),
    path("p/<int:pk>/history/", views.post_history, name="post_history"),
    path("p/<int:pk>/react/", views.react, name="react"),
    path("p/<int:pk>/report/", views.report, name="report"),
    path("p/<int:pk>/hide/", views.post_hide, name="post_hide"),
    path("moderation/", views.queue, name="queue"),
    path("moderation/reports/<int:pk>/", views.report_resolve, name="report_resolve"),
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/<int:pk>/read/", views.notification_read, name="notification_read"),
    path("notifications/read/", views.notifications_read_all, name="notifications_read_all"),
    path("notifications/count/", views.bell, name="bell"),
    path("notifications/settings/", views.preferences, name="preferences"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
