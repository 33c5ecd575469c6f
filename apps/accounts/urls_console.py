"""Pages of identity on the console (mounted at akun/ before allauth's own)."""

from django.urls import path

from apps.accounts import views

urlpatterns = [
    path("undangan/<str:token>/", views.invitation_accept, name="invitation-accept"),
    path("token/", views.api_tokens, name="accounts-tokens"),
    path("dukungan/", views.support_console, name="support-console"),
    path(
        "dukungan/<uuid:grant_id>/akhiri/",
        views.support_grant_end_own,
        name="support-grant-end-own",
    ),
    path("staf/", views.staff_invitations, name="staff-invitations"),
    path(
        "staf/undangan/<int:invitation_id>/batal/",
        views.staff_invitation_revoke,
        name="staff-invitation-revoke",
    ),
]
