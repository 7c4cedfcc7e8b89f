from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from config import health

handler403 = "network.views.errors.permission_denied"
handler500 = "config.health.server_error"

admin.site.site_header = "Convene administration"
admin.site.site_title = "Convene"

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    # The admin's own login would skip MFA, the throttle and the lockout: it signs in through
    # allauth like everyone else, and RequireMFAMiddleware asks the session to have passed MFA.
    path(
        "admin/login/",
        RedirectView.as_view(pattern_name="account_login", query_string=True),
        name="admin_login",
    ),
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("events/", include("events.urls")),
    path("chat/", include("messaging.urls")),
    path("discussions/", include("messaging.discussions.urls")),
    path("announcements/", include("messaging.announcements.urls")),
    path("", include("network.urls")),
]
