from django.urls import path

from network.views import cohorts, console, directory, exports, home, manage, members

app_name = "network"

urlpatterns = [
    path("", home.home, name="home"),
    path("directory/", directory.directory_page, name="directory"),
    path("members/autocomplete/", members.member_autocomplete, name="member_autocomplete"),
    path("members/<int:pk>/", members.profile, name="member"),
    path("members/me/", members.own_profile, name="own_profile"),
    path(
        "members/<int:member_pk>/roles/<int:pk>/predecessor/",
        members.position_predecessor,
        name="position_predecessor",
    ),
    path("members/<int:pk>/picture/", members.avatar, name="avatar"),
    path("profile/", members.profile_edit, name="profile_edit"),
    path("profile/roles/", members.positions, name="positions"),
    path("profile/roles/<int:pk>/", members.position_edit, name="position_edit"),
    path("profile/left-government/", members.left_government, name="left_government"),
    path("profile/my-data.json", members.own_data_download, name="own_data"),
    path("profile/my-data.zip", members.own_data_archive, name="own_data_archive"),
    path("profile/deactivate/", members.deactivate, name="deactivate"),
    path("tags/", members.tag_suggestions, name="tags"),
    path("cohorts/", cohorts.cohort_list, name="cohorts"),
    path("cohorts/new/", cohorts.cohort_create, name="cohort_create"),
    path("cohorts/<slug:slug>/", cohorts.cohort_detail, name="cohort"),
    path("cohorts/<slug:slug>/edit/", cohorts.cohort_edit, name="cohort_edit"),
    path("cohorts/<slug:slug>/manage/", cohorts.cohort_manage, name="cohort_manage"),
    path("cohorts/<slug:slug>/invite/", cohorts.cohort_invite, name="cohort_invite"),
    path("cohorts/<slug:slug>/roster.csv", cohorts.roster_export, name="roster_export"),
    path(
        "cohorts/<slug:slug>/members/<int:pk>/remove/",
        cohorts.membership_remove,
        name="membership_remove",
    ),
    path(
        "cohorts/<slug:slug>/members/<int:pk>/role/",
        cohorts.membership_role,
        name="membership_role",
    ),
    path(
        "cohorts/<slug:slug>/invitations/<int:pk>/resend/",
        cohorts.invitation_resend,
        name="invitation_resend",
    ),
    path(
        "cohorts/<slug:slug>/invitations/<int:pk>/revoke/",
        cohorts.invitation_revoke,
        name="invitation_revoke",
    ),
    path("cohorts/<slug:slug>/imports/<int:pk>/", cohorts.import_status, name="import"),
    path(
        "cohorts/<slug:slug>/imports/<int:pk>/progress/",
        cohorts.import_progress,
        name="import_progress",
    ),
    path(
        "cohorts/<slug:slug>/imports/<int:pk>/retry/",
        cohorts.import_retry,
        name="import_retry",
    ),
    path("cohorts/<slug:slug>/manage/members/", manage.roster, name="roster_manage"),
    path("cohorts/<slug:slug>/manage/members/bulk/", manage.roster_bulk, name="roster_bulk"),
    path(
        "cohorts/<slug:slug>/manage/invitations/",
        manage.invitation_list,
        name="invitations_manage",
    ),
    path(
        "cohorts/<slug:slug>/manage/invitations/bulk/",
        manage.invitations_bulk,
        name="invitations_bulk",
    ),
    path("cohorts/<slug:slug>/console/", console.cohort_console, name="cohort_console"),
    path("cohorts/<slug:slug>/console/nudge-email/", console.nudge_template, name="nudge_template"),
    path("cohorts/<slug:slug>/console/nudge/", console.nudge_send, name="nudge_send"),
    path("cohorts/<slug:slug>/engagement.csv", exports.engagement_export, name="engagement_export"),
    path(
        "cohorts/<slug:slug>/imports/<int:pk>/errors.csv",
        exports.import_errors_export,
        name="import_errors_export",
    ),
    path("programs/<slug:slug>/console/", console.program_console, name="program_console"),
    path("invitations/<str:token>/", home.invitation, name="invitation"),
]
