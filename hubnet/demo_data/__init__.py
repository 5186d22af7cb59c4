"""The real public data ``hubnet demo`` seeds from (see README.md here)."""
