"""Entry point: ``python -m clinic_app [command]`` (see ``--help``)."""

from __future__ import annotations

import sys

from clinic_app.cli.main import main

if __name__ == "__main__":
    sys.exit(main())
