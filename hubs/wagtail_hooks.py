"""Wagtail admin hooks: the neighbour acts of the audit log."""

from __future__ import annotations

from wagtail import hooks

from hubs.audit import audit_actions_register

hooks.register("register_log_actions", audit_actions_register)
