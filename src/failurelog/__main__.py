"""``python -m failurelog``."""

import sys

from failurelog.cli.main import main

sys.exit(main())
