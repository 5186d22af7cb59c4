"""Template context shared by every page of the public site."""

from django.http import HttpRequest

from hubs.identity import hub_identity


def hub(request: HttpRequest) -> dict[str, object]:  # noqa: ARG001  context processor signature
    """This hub's identity as ``hub`` (name, level, path, ...)."""
    return {"hub": hub_identity().as_dict()}
