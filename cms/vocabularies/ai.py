"""Re-export for old migrations: see ``cms.vocabularies``."""

from federation.vocabularies.ai import PolicyArea

__all__ = ["PolicyArea"]
