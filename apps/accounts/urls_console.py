"""Pages of identity on the console (mounted at akun/ before allauth's own)."""

from django.urls import path

from apps.accounts import views

urlpatterns = [
    path("undangan/<str:token>/", views.invitation_accept, name="invitation-accept"),
    path("token/", views.api_tokens, name="accounts-tokens"),
    path("dukungan/", views.support_console, name="support-console"),
]
