"""The API's entry in the site's navigation (see core.menu)."""

from django.utils.translation import gettext_lazy as _

from alliance.core.menu import MenuEntry

MENU = [MenuEntry(_("API"), "apitokens:tokens", "api.token.create", section="account", order=15)]
