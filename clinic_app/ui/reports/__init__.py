"""Reports in the window: preview (Qt PDF), print through the system dialog, save, and batches.

Entry points for the main window: :func:`clinic_app.ui.reports.preview.show_report_preview` and
:func:`clinic_app.ui.reports.batch.run_report_batch`. They live in their modules (not re-exported
here) so that importing the window does not load Qt PDF before a report is first shown.
"""
