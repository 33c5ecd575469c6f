from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "apps.accounts"
    label = "accounts"
    verbose_name = "Akun"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        import apps.accounts.schema  # noqa: F401  (registers the OpenAPI auth extension)
        from apps.accounts.signals import session_bind_schema

        user_logged_in.connect(session_bind_schema, dispatch_uid="accounts.session_bind_schema")
