"""Signals the federation sends for other apps (which federation may not import)
and for its own later steps (the store does not call them).

``catalogue_changed`` is sent after a transaction that changed the catalogue store
commits (own publish or tombstone, applied peer records), with ``source``: the
slug of the neighbour the records came from, or "" for this hub's own change.
Receivers (search's drain, federation's pokes) must only hand off work (enqueue
a task); the change itself is already durable.
"""

from django.dispatch import Signal

catalogue_changed = Signal()
