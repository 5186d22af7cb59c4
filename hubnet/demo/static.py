"""Static files of the demo: collected once for all hubs (they share
STATIC_ROOT), again only when they changed."""

from __future__ import annotations

import hashlib
from importlib import metadata
from pathlib import Path

from hubnet.demo.progress import say
from hubnet.localnet import TEMPLATE_HUB_SLUG, environment_inherited, hubnet_argv
from hubnet.processes import run_checked


def _static_fingerprint() -> str:
    """What the collected static files depend on: the installed packages and the
    project's own static files."""
    root = Path(__file__).resolve().parents[2]
    digest = hashlib.sha256()
    for name in ("wagtail", "django", "djangorestframework", "drf-spectacular"):
        try:
            digest.update(f"{name}={metadata.version(name)}\n".encode())
        except metadata.PackageNotFoundError:
            continue
    apps = ("hubnet", "hubs", "federation", "search", "cms")
    for path in sorted(p for app in apps for p in root.glob(f"{app}/static/**/*")):
        if path.is_file():
            digest.update(
                f"{path.relative_to(root)}:{path.stat().st_mtime_ns}\n".encode()
            )
    return digest.hexdigest()


def collect_static(var_dir: Path) -> None:
    """Collect static files for all hubs (they share STATIC_ROOT), when they
    changed since the last run."""
    static_root = var_dir / "static"
    marker = static_root / ".collected"
    fingerprint = _static_fingerprint()
    if marker.exists() and marker.read_text() == fingerprint:
        return
    say("Collecting static files ...")
    environ = environment_inherited()
    environ.update(
        {
            "HUB_SLUG": TEMPLATE_HUB_SLUG,
            "HUBNET_VAR_DIR": str(var_dir),
            "STATIC_ROOT": str(static_root),
        }
    )
    run_checked(
        hubnet_argv("collectstatic", "--noinput", "-v", "0"),
        env=environ,
    )
    marker.write_text(fingerprint)
