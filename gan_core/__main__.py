"""`python -m gan_core`: the command line (gan_core/cli/main.py)."""
import sys

from gan_core.cli.main import main

if __name__ == "__main__":
    sys.exit(main())
