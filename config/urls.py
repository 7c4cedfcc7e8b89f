from django.contrib import admin
from django.urls import include, path

from config import health

handler500 = "config.health.server_error"

admin.site.site_header = "Convene administration"
admin.site.site_title = "Convene"

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("events/", include("events.urls")),
    path("chat/", include("messaging.urls")),
    path("discussions/", include("messaging.discussions.urls")),
    path("", include("network.urls")),
]
