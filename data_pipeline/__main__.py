"""`python -m data_pipeline demo|prepare|eda`."""

import sys

from data_pipeline.cli import main

sys.exit(main())
