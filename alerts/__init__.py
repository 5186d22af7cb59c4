"""Saved searches with e-mail digests, and webhooks for outside systems."""
