from django.urls import path

from messaging.views import chat

app_name = "messaging"

urlpatterns = [
    path("", chat.chat, name="chat"),
    path("unread/", chat.unread_total, name="unread"),
    path("rooms/<int:room_id>/", chat.chat, name="room"),
    path("rooms/<int:room_id>/send/", chat.send, name="send"),
    path("direct/", chat.start_direct, name="start_direct"),
    path("groups/", chat.start_group, name="start_group"),
]
