"""Re-export for old migrations: see ``cms.vocabularies``."""

from federation.vocabularies.learning import Language, TargetGroup

__all__ = ["Language", "TargetGroup"]
