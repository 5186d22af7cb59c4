"""A migrated hub's bootstrap: what of its identity lives in the database."""

import io
from pathlib import Path

from django.core.management import call_command

from cms.site_identity import site_identity_apply
from hubs.identity import hub_identity


def hub_bootstrap(*, neighbours_file: Path | None = None) -> dict[str, object]:
    """Name the hub's site and home page after HUB_NAME and, given a file, load
    its neighbours; idempotent, so it runs after every ``migrate``."""
    identity = hub_identity()
    result: dict[str, object] = {
        "hub": identity.slug,
        **site_identity_apply(name=identity.name).as_dict(),
    }
    if neighbours_file is not None:
        # The command owns the file's parsing and its error messages.
        call_command("neighbours_load", str(neighbours_file), stdout=io.StringIO())
        result["neighbours"] = "loaded"
    return result
