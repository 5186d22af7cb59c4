"""Re-export for old migrations: see ``cms.vocabularies``."""

from federation.vocabularies.spdx import licence_choices

__all__ = ["licence_choices"]
