from django.apps import AppConfig


class ProvisioningConfig(AppConfig):
    name = "provisioning"
    verbose_name = "Siklus hidup daerah"

    def ready(self) -> None:
        from django.core.signals import got_request_exception, request_started

        from provisioning import beat, metrics

        # Request counting is instrumentation, not business logic: no DB access on this path.
        request_started.connect(metrics.on_request_started, dispatch_uid="operations-requests")
        request_started.connect(beat.on_request_started, dispatch_uid="operations-beat")
        got_request_exception.connect(
            metrics.on_request_exception, dispatch_uid="operations-errors"
        )
