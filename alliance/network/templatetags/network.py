"""Presentation of the network's stored English texts in the reader's language."""

from django import template

from alliance.network.import_reasons import field_display, labels_display, reason_display

register = template.Library()

register.filter("import_reason", reason_display)
register.filter("import_field", field_display)
register.filter("import_labels", labels_display)
