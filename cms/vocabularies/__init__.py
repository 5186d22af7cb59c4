"""Names that old migrations of ``cms`` import by their former path.

The vocabularies live in ``federation.vocabularies`` (the record contract owns its
codes); these modules only re-export what the migration files name, so applying
them keeps working. New code imports ``federation.vocabularies``.
"""
