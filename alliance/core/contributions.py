"""What each installed app contributes to the whole: found by module name, never by a list in core.

An app adds to Alliance by keeping small modules of agreed names beside its models:

- `rules.py`: `RULES`, a dict of policy actions (`app.noun.verb`) to the role codes allowed; and
  optionally `roles_of(user) -> set[str]`, the roles that app grants (see core.policy).
- `menu.py`: `MENU`, a list of `core.menu.MenuEntry` for the site's navigation.
- `demo.py`: `demo_build() -> list[str]`, the app's part of the demo alliance (deterministic, safe
  to run twice), returning lines to print; run in the order of INSTALLED_APPS, so an app's part
  runs after the parts of the apps it stands on.
- `timeline.py`: `TIMELINE`, a dict of event kinds (`app.noun.verb`) to their text in the reader's
  language (see network/timeline.py).

Core imports these modules by name from INSTALLED_APPS; nothing in core names an app.
"""

import functools
from importlib import import_module
from importlib.util import find_spec
from types import ModuleType

from django.apps import apps
from django.core.signals import setting_changed
from django.dispatch import receiver


@functools.cache
def modules(name: str) -> tuple[ModuleType, ...]:
    """The `<app>.<name>` module of every installed app that has one, in INSTALLED_APPS order."""
    found = []
    for config in apps.get_app_configs():
        dotted = f"{config.name}.{name}"
        if find_spec(dotted) is not None:
            found.append(import_module(dotted))
    return tuple(found)


@receiver(setting_changed)
def _forget_on_new_apps(*, setting: str, **kwargs) -> None:
    if setting == "INSTALLED_APPS":
        modules.cache_clear()
