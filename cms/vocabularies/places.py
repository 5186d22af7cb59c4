"""Re-export for old migrations: see ``cms.vocabularies``."""

from federation.vocabularies.places import country_choices

__all__ = ["country_choices"]
