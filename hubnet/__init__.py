"""hubnet: the composition root (settings, urls, Celery app, CLI, health)."""

from hubnet.celery import app as celery_app

__all__ = ["celery_app"]
