"""``hubnet demo``: a real European hub network on one machine, seeded with real
public data (see ``hubnet.demo.run``)."""

from collections.abc import Sequence


def demo_main(argv: Sequence[str]) -> int:
    """Run the demo (imported lazily: the seeding command imports this package)."""
    from hubnet.demo.run import demo_main as run

    return run(argv)
