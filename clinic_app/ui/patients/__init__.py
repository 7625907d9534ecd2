"""The patient list, the patient and delivery dialog and the patient page."""

from __future__ import annotations
