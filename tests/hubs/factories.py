"""Factories for the hubs app."""

import factory

from hubs.models import Neighbour, NeighbourRole
from hubs.services import token_hash


class NeighbourFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Neighbour

    slug = factory.Sequence(lambda n: f"hub-{n}")
    name = factory.LazyAttribute(lambda o: f"Hub {o.slug}")
    role = NeighbourRole.CHILD
    endpoint_url = factory.LazyAttribute(lambda o: f"http://127.0.0.1:1/{o.slug}")
    outbound_token = factory.Sequence(lambda n: f"outbound-token-{n:032d}")
    inbound_token_hash = factory.Sequence(
        lambda n: token_hash(f"inbound-token-{n:032d}")
    )
    inbound_token_hint = "inboun"
