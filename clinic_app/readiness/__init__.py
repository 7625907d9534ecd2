"""The return-to-run readiness engine: the protocol as data, explainable decisions, plans, advice.

Plain data in, plain data out: no Qt, no database, no PDF code here.
"""

from __future__ import annotations
