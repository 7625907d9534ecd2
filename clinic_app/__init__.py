"""RunReady Clinic: return-to-run assessment for postpartum patients.

The package is layered (see ``docs`` and ``../shared/DESIGN.md``): ``domain`` holds plain data,
``assessment`` the declarative forms, ``readiness`` the protocol engine, ``reporting`` the PDF
builders, ``storage`` the database, ``services`` the use cases, and ``cli``/``ui`` the front ends.
"""

from __future__ import annotations

__version__ = "0.1.0"
