"""The GraphQL endpoint, included by ``hubnet.urls`` at ``/graphql``."""

from django.urls import path

from federation.graphql.views import HubGraphQLView

urlpatterns = [path("", HubGraphQLView.as_view(), name="graphql")]
