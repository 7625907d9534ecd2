"""Preferences in the window: the declared preferences (``services/preferences.py``) and clinician profiles.

Entry point for the main window: :func:`clinic_app.ui.preferences.dialog.show_preferences`. (Named
``preferences`` so as not to clash with ``ui/settings.py``, the window's geometry store.)
"""
