"""WebSocket routes: one socket per tab at /ws/, multiplexing rooms."""

from django.urls import path

from messaging.consumers import ChatConsumer

websocket_urlpatterns = [path("ws/", ChatConsumer.as_asgi())]
