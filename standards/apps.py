from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StandardsConfig(AppConfig):
    """Open standards in and out of the catalogue: DCAT-AP 3 catalogues and the
    Dutch algorithm register; mappings only, the record stays the one contract."""

    name = "standards"
    verbose_name = _("Open standards")
    default_auto_field = "django.db.models.BigAutoField"
