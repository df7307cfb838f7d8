"""PyInstaller entry script: the same `butik` command as the installed console script."""

import sys

from core.cli.main import main

if __name__ == "__main__":
    sys.exit(main())
