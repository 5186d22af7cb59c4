#!/usr/bin/env python
"""Django's command line for one hub (the same as ``hubnet manage ...``)."""

import sys

from hubnet.cli import main

if __name__ == "__main__":
    sys.exit(main(["manage", *sys.argv[1:]]))
