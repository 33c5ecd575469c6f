"""Pages of identity in a region (mounted at akun/ before allauth's own)."""

from django.urls import path

from apps.accounts import views

urlpatterns = [
    path("pengguna/", views.users_manage, name="accounts-users"),
    path("pengguna/undang/", views.user_invite, name="accounts-user-invite"),
    path("pengguna/<int:user_id>/peran/", views.user_roles, name="accounts-user-roles-form"),
    path("pengguna/<int:user_id>/status/", views.user_active, name="accounts-user-active"),
    path(
        "undangan/<int:invitation_id>/batal/",
        views.invitation_revoke,
        name="accounts-invitation-revoke",
    ),
    path("undangan/<str:token>/", views.invitation_accept, name="invitation-accept"),
    path("token/", views.api_tokens, name="accounts-tokens"),
    path("dukungan/masuk/", views.support_handoff, name="support-handoff"),
    path("dukungan/keluar/", views.support_exit, name="support-exit"),
    path("dukungan/<uuid:grant_id>/akhiri/", views.support_grant_end, name="support-grant-end"),
]
