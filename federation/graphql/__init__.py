"""The GraphQL API of a hub: the peer change feed, the public catalogue, the hub.

``schema`` holds the live schema (committed as ``federation/schema.graphql``),
``views`` the endpoint, ``limits`` the page caps and the depth and cost rules.
"""
