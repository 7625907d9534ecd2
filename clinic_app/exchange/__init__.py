"""Export and import files from plain data: the native bundle, FHIR R4B, research CSV, encryption.

Nothing here opens a database or a window: storage streams records in, the services decide what is
written where (DESIGN.md). Every reader here treats its input as hostile until checked.
"""
