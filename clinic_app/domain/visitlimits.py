"""The limits a visit file must keep to, in one place (README "Visit file format" lists them).

A visit file comes from outside the clinic database: another workstation, an exchange bundle, a
script, or a mistake (``/dev/zero``, a log file, a file of a hundred thousand visits). The reader
refuses anything beyond these limits with a message before it does much work, so a hostile or
broken file costs well under a second and a bounded amount of memory. Each limit sits far above
what a real visit needs: a complete visit with every battery filled is about 5.5 kB and 60 JSON
objects.
"""

from __future__ import annotations

MAX_FILE_BYTES = 4 * 1024 * 1024
"""Largest visit file read (4 MiB). Reading stops one byte past it, so ``/dev/zero`` costs 4 MiB."""

MAX_TEXT_CHARS = MAX_FILE_BYTES
"""Longest visit document accepted as text (characters), for callers that pass a ``str``."""

MAX_JSON_OBJECTS = 50_000
"""JSON objects in one file; decoding stops at the next one (bounds memory: ~100 bytes each)."""

MAX_DEPTH = 8
"""Nesting levels of a visit document (root → previous_visits → visit → results → form → field →
side → list); deeper documents are not visit files."""

MAX_PREVIOUS_VISITS = 200
"""Earlier visits in one file: four years of weekly visits, far more than a return-to-run course."""

MAX_LIST_ITEMS = 100
"""Items of any other list (the options ticked in a multiple-choice field; the forms offer ≤ 10)."""

MAX_STRING_CHARS = 2_000
"""Longest text value anywhere in the file (free-text notes; the forms allow the same)."""

MAX_NAME_CHARS = 200
"""Longest name or identifier (patient and clinician names, ids, record number, profession)."""

MAX_KEY_CHARS = 64
"""Longest object key (form and field ids are at most 29 characters)."""

MAX_NUMBER_CHARS = 40
"""Longest number literal (digits, sign, point, exponent); longer ones are not measurements and
would cost quadratic time to convert."""

MAX_ERRORS = 100
"""Problems listed for one file; a file with more is broken as a whole, and the list says so."""
