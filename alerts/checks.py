"""System checks of the alerts: mail needs an SMTP server in production."""

from django.conf import settings
from django.core.checks import CheckMessage, Tags, Warning, register


@register(Tags.compatibility, deploy=True)
def check_mail_server(app_configs, **kwargs) -> list[CheckMessage]:  # noqa: ARG001  Django system check signature
    """Without EMAIL_HOST confirmation and digest mail cannot leave the hub."""
    if settings.EMAIL_BACKEND.endswith("smtp.EmailBackend") and settings.EMAIL_HOST:
        return []
    return [
        Warning(
            "EMAIL_HOST is not set: saved-search confirmations and digests are "
            "not sent.",
            hint="Set EMAIL_HOST (and EMAIL_PORT, EMAIL_HOST_USER, ...) to the "
            "SMTP server of the hub.",
            id="alerts.W001",
        )
    ]
