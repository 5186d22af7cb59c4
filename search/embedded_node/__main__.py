"""``python -m search.embedded_node start|stop|status|build [...]``."""

import sys

from search.embedded_node.cli import main

if __name__ == "__main__":
    sys.exit(main())
