"""``python -m failurelog``."""

import sys

from failurelog.cli import main

sys.exit(main())
