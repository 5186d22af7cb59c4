"""The alerts app: saved searches, digests and webhooks."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AlertsConfig(AppConfig):
    """Registers the app's system checks."""

    name = "alerts"
    verbose_name = _("Alerts")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from alerts import checks  # noqa: F401  registers the system checks
