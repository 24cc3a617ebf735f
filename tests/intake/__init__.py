"""Tests of the intake: pure functions, no database.

Messages are `gettext_lazy` templates, rendered with Django's translation machinery, so
Django is set up here when the tests run without pytest-django (`-p no:django`); with it,
this changes nothing. Nothing here touches the database.
"""

import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mandate_tracker.settings")
django.setup()
