from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CmsConfig(AppConfig):
    """Record pages, their vocabularies, validation and workflow, and publishing
    them into the catalogue."""

    name = "cms"
    verbose_name = _("Content")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from cms.signals import signals_connect

        signals_connect()
