"""Re-export for old migrations: see ``cms.vocabularies``."""

from federation.vocabularies.catalogue import EuDataTheme

__all__ = ["EuDataTheme"]
