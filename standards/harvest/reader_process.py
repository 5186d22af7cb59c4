"""The page reader process of a harvest run (``standards.harvest.read_ahead``):
Django set up, then the pages it is asked for, one frame each on its stdout."""

import os
import sys

if __name__ == "__main__":
    # The frames go to a copy of stdout; whatever else writes to stdout (a
    # library's print) goes to stderr.
    frames = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    import django

    django.setup()
    from standards.harvest.read_ahead import child_main

    sys.exit(child_main(frames))
