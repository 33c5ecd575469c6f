"""API routes of identity: `urlpatterns` on the console and in regions, plus the region admin's."""

from django.urls import path

from apps.accounts import apis

urlpatterns = [
    path("saya/", apis.MeApi.as_view(), name="accounts-me"),
    path("token/", apis.ApiTokenListCreateApi.as_view(), name="accounts-token-list"),
    path("token/<int:token_id>/", apis.ApiTokenRevokeApi.as_view(), name="accounts-token-revoke"),
]

region_urlpatterns = [
    *urlpatterns,
    path("pengguna/", apis.UserListApi.as_view(), name="accounts-user-list"),
    path(
        "pengguna/<int:user_id>/peran/", apis.UserRolesSetApi.as_view(), name="accounts-user-roles"
    ),
    path(
        "pengguna/<int:user_id>/nonaktifkan/",
        apis.UserDeactivateApi.as_view(),
        name="accounts-user-deactivate",
    ),
    path("undangan/", apis.InvitationCreateApi.as_view(), name="accounts-invitation-create"),
]
