"""Run the command line: ``python -m perfscore``."""

import sys

from perfscore.cli import main

sys.exit(main())
