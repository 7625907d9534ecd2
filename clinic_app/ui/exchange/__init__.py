"""File → Export… and File → Import…: the exchange services behind dialogs with progress and cancel.

Entry points for the main window's menu: :func:`~clinic_app.ui.exchange.dialogs.export_from_window`
and :func:`~clinic_app.ui.exchange.dialogs.import_into_window`.
"""
