"""Federation's part of the GraphQL API: the peer change feed, the public
catalogue, the hub.

``operations`` holds the Query and Mutation types (composed into the one schema
in ``hubnet.graphql``, committed as ``hubnet/schema.graphql``), ``views`` the
endpoint, ``limits`` the page caps and the depth and cost rules.
"""
