from django.apps import AppConfig


class HubnetConfig(AppConfig):
    """The composition root: registers the system checks of the whole hub."""

    name = "hubnet"
    verbose_name = "hubnet"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_login_failed
        from django.core.signals import request_finished

        from hubnet import checks  # noqa: F401 - registers the checks
        from hubnet.logs import request_context_clear
        from hubnet.throttles import login_failure_record

        user_login_failed.connect(
            login_failure_record, dispatch_uid="hubnet.login_failure_record"
        )
        request_finished.connect(
            request_context_clear, dispatch_uid="hubnet.request_context_clear"
        )
