"""The network simulation of bench/network_scale.py on a tiny tree: it runs the
real sync rules, so what it reports can be checked exactly."""

import math

import pytest

from bench.network_sim import Hub, Network
from bench.network_tree import child_add, project_body


def _tiny_tree() -> list[Hub]:
    """1 EU, 2 national, 3 regional and 6 local hubs (two locals per region)."""
    eu = Hub("eu", "eu", ("eu",))
    nl, be = child_add(eu, "NL", "national"), child_add(eu, "BE", "national")
    regions = [
        child_add(nl, "NL41", "regional"),
        child_add(nl, "NL42", "regional"),
        child_add(be, "BE21", "regional"),
    ]
    local_hubs = [
        child_add(region, f"{region.slug.upper()}{n}", "local")
        for region in regions
        for n in (1, 2)
    ]
    return [eu, nl, be, *regions, *local_hubs]


def _converged(latency: float = 0.0) -> tuple[Network, dict[str, set[str]]]:
    tree = _tiny_tree()
    network = Network(tree, latency=latency)
    published = {
        hub.slug: set(network.publish(hub, body=project_body(hub, 1), count=3, at=0.0))
        for hub in tree
    }
    network.run()
    return network, published


def test_the_eu_hub_holds_every_record_and_each_hub_its_subtree():
    # given a tiny tree where every hub published three records
    # when the pokes and syncs have run out
    network, published = _converged()
    # then the EU holds all 36, each hub exactly its subtree's, signatures verified
    everything = set().union(*published.values())
    assert set(network.eu.rows) == everything
    assert len(everything) == 36
    for hub in network.hubs.values():
        subtree = {
            record_id
            for slug, ids in published.items()
            if hub.slug in network.hubs[slug].path
            for record_id in ids
        }
        assert set(hub.rows) == subtree
    assert {row.verified for row in network.eu.rows.values() if row.origin != "eu"} == {
        True
    }


def test_a_local_publish_reaches_the_eu_in_exactly_its_depth_in_hops():
    # given a converged tiny network with 0.25 s per hop
    network, _ = _converged(latency=0.25)
    local = network.hubs["nl412"]
    pokes, fetches, cpu = (
        network.traffic.pokes,
        network.traffic.fetches,
        network.cpu,
    )
    start = network.now
    # when one record is published at a local hub
    (record_id,) = network.publish(
        local, body=project_body(local, 2), count=1, at=start
    )
    network.run()
    # then three hops: one poke and one feed request each, the EU holds it, and
    # it took the processing plus three latencies
    assert local.depth == 3
    assert network.traffic.pokes - pokes == 3
    assert network.traffic.fetches - fetches == 3
    assert record_id in network.eu.rows
    assert math.isclose(
        network.arrivals[record_id] - start, network.cpu - cpu + 3 * 0.25
    )


def test_a_regional_publish_takes_two_hops_and_pokes_no_child():
    # given a converged tiny network
    network, _ = _converged()
    region = network.hubs["be21"]
    pokes, fetches = network.traffic.pokes, network.traffic.fetches
    # when the regional hub publishes
    (record_id,) = network.publish(region, body=project_body(region, 2), count=1, at=0)
    network.run()
    # then it went up two hops, and no hub below it pulled anything
    assert (network.traffic.pokes - pokes, network.traffic.fetches - fetches) == (2, 2)
    assert record_id in network.eu.rows
    assert record_id not in network.hubs["be211"].rows


def test_a_record_whose_signature_fails_is_refused_on_the_first_hop():
    # given a converged network, and a local hub whose held record was changed
    # after it was signed
    network, published = _converged()
    local = network.hubs["nl411"]
    row = local.rows[sorted(published["nl411"])[0]]
    row.fields["body"] = {**row.fields["body"], "name": "Forged"}
    row.fields["version"] = 2
    local.seq += 1
    row.seq = local.seq
    local.log.append((row.seq, row.record_id))
    # when it pokes its parent
    network.changed(local, source="", at=network.now)
    # then the parent's verification refuses it (the simulation stops loudly)
    with pytest.raises(AssertionError, match="signature of nl411 does not verify"):
        network.run()
