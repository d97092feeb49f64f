"""Shared measurement's entries in the site's navigation (see core.menu)."""

from django.utils.translation import gettext_lazy as _

from alliance.core.menu import MenuEntry

MENU = [
    MenuEntry(_("Dashboards"), "measure:dashboards", "measure.dashboards.view", order=30),
    MenuEntry(_("Data"), "measure:datasets", "measure.datasets.view", order=83),
]
