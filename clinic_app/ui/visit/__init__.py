"""The visit editor: battery pages, binder, live proposal panel and decision dialogs."""

from __future__ import annotations
