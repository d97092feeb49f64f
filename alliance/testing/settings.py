"""Settings of the test suite: the site's own, plus a throwaway app that shows an app can plug in
(a menu entry, a rule, a demo part, a merge handler) without any edit of core or network."""

from alliance.settings import *  # noqa: F403 - the site's settings, unchanged but for the two below
from alliance.settings import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "alliance.testing.sample_app"]
ROOT_URLCONF = "alliance.testing.urls"
