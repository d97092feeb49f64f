"""Run the benchmarks: `python -m bench` runs every bench/*.py, `python -m bench people` runs one.

Each benchmark prints JSON lines (see ARCHITECTURE.md, "Benchmarks"); BENCH_SCALE shrinks sizes.
"""

import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).parent


def main(names: list[str]) -> int:
    files = sorted(p for p in HERE.glob("*.py") if not p.name.startswith("_") and p.stem != "common")
    if names:
        files = [p for p in files if p.stem in names]
        if not files:
            print(f"no benchmark named {', '.join(names)}", file=sys.stderr)
            return 2
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "alliance.settings"}
    failed = 0
    for path in files:
        result = subprocess.run([sys.executable, "-m", f"bench.{path.stem}"], env=env, check=False)  # noqa: S603
        failed += result.returncode != 0
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
