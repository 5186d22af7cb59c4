"""Template context shared by every page of the public site."""

from django.http import HttpRequest

from federation.vocabularies import HubLevel
from hubs.identity import hub_identity


def hub(request: HttpRequest) -> dict[str, object]:  # noqa: ARG001  context processor signature
    """This hub's identity as ``hub`` (name, level, path, ...), with
    ``level_label``: the level as visitors read it in their language."""
    identity = hub_identity()
    labels = dict(HubLevel.choices)
    return {
        "hub": {
            **identity.as_dict(),
            "level_label": labels.get(identity.level, identity.level),
        }
    }
