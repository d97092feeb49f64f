"""The network's entries in the site's navigation (see core.menu)."""

from django.utils.translation import gettext_lazy as _

from alliance.core.menu import MenuEntry

MENU = [
    MenuEntry(_("Directory"), "network:directory", "network.directory.view", order=10),
    MenuEntry(_("Your newcomers"), "network:newcomers", "network.newcomers.view", order=20),
    MenuEntry(_("Import"), "network:import", "network.people.import", order=80),
    MenuEntry(_("Duplicates"), "network:duplicates", "network.people.merge", order=81),
    MenuEntry(_("Welcome"), "network:welcome-template", "network.welcome.edit", order=82),
    MenuEntry(_("Admin"), "admin:index", "network.admin.view", order=99),
    MenuEntry(_("My profile"), "network:profile", "network.profile.edit", section="account", order=10),
    MenuEntry(_("Join"), "network:join", "network.account.login", section="account", order=20, prominent=True),
    MenuEntry(_("Log in"), "account_login", "network.account.login", section="account", order=30),
]
