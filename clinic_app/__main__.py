"""Entry point: ``python -m clinic_app [command]`` (see ``--help``)."""

from __future__ import annotations

import time

STARTED = time.monotonic()
"""When the entry point began, before any of the app is imported: ``--start-probe``'s first stamp."""

import sys  # noqa: E402 (the stamp comes first)

from clinic_app.cli.main import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main())
