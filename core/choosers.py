"""Wagtail's chooser widgets look up the posted id to redraw a refused form; an id
that is not a number (a tampered or broken request) made that lookup raise
ValueError and the form answered 500 instead of showing its own error
("select a valid choice"). Found by the form fuzz tests (tests/test_fuzz_forms.py).
"""

from django.core.exceptions import ValidationError
from wagtail.admin.widgets.chooser import BaseChooser

_get_instance = BaseChooser.get_instance


def _get_instance_or_none(self, value):
    try:
        return _get_instance(self, value)
    except (ValueError, TypeError, ValidationError):
        return None  # the form field reports the invalid choice


def install():
    BaseChooser.get_instance = _get_instance_or_none
