"""The alerts' services: subscriptions, digests, webhooks."""
