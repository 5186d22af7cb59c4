"""Re-export for old migrations: see ``cms.vocabularies``."""

from federation.vocabularies.organisations import EdihService

__all__ = ["EdihService"]
