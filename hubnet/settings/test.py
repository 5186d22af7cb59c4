"""Settings for the test suite: the same parts as production, quicker hashing."""

import os

from hubnet.env import env
from hubnet.settings.base import *  # noqa: F403
from hubnet.settings.base import DATABASES, HUB_VAR_DIR

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # A file, not memory: worker processes started by tests must see the test DB.
    # One file per test run, so parallel runs never share (and delete) each other's.
    DATABASES["default"]["TEST"] = {
        "NAME": str(HUB_VAR_DIR / f"test-db-{os.getpid()}.sqlite3")
    }
    HUB_VAR_DIR.mkdir(parents=True, exist_ok=True)
STATIC_ROOT = HUB_VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# Harvest runs read their pages in process; the tests of the page reader
# process turn it on (its start would cost each run a second of CPU).
HARVEST_READ_AHEAD = env.bool("HARVEST_READ_AHEAD", False)
# Test neighbours listen on 127.0.0.1; tests of the address rules turn this off.
NEIGHBOUR_ALLOW_PRIVATE_ADDRESSES = env.bool("NEIGHBOUR_ALLOW_PRIVATE_ADDRESSES", True)
