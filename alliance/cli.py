"""The `alliance` command: `alliance demo`, `alliance serve`, `alliance worker`, `alliance import-people FILE`,
and every Django management command (`alliance migrate`, `alliance createsuperuser`, ...)."""

import os
import sys

ALIASES = {"serve": "serve", "import-people": "import_people", "load-dataset": "load_dataset", "demo-data": "demo_data"}


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alliance.settings")
    from django.core.management import execute_from_command_line

    argv = list(sys.argv)
    argv[0] = "alliance"
    if len(argv) > 1:
        argv[1] = ALIASES.get(argv[1], argv[1])
    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
