"""Plain, standard-library-only domain objects and the values derived from them.

Nothing here knows about Qt, databases or PDFs; every other layer builds on these types.
"""

from __future__ import annotations
