"""`python -m tui.cli`: the same as the `billfold` script."""
import sys

from tui.cli.run import main

sys.exit(main())
