"""Signals the federation sends for other apps (which federation may not import).

``catalogue_changed`` is sent after a transaction that changed the catalogue store
commits (own publish or tombstone, applied peer records). Receivers must only
hand off work (enqueue a task); the change itself is already durable.
"""

from django.dispatch import Signal

catalogue_changed = Signal()
