"""`python -m quiz` runs the quiz command, exactly like the console script."""

import sys

from quiz.entry import main

sys.exit(main())
