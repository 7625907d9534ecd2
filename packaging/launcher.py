"""Entry script of the desktop bundle: the same ``main`` as ``python -m clinic_app``.

PyInstaller freezes this file; everything else is found through the ``clinic_app`` package.
"""

from __future__ import annotations

import multiprocessing
import sys

from clinic_app.cli.main import main

if __name__ == "__main__":
    # Report batches run in worker processes; a frozen executable must hand them over here.
    multiprocessing.freeze_support()
    sys.exit(main())
