import sys

from hubnet.cli import main

sys.exit(main())
