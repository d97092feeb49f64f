"""Core knows no domain: no app, page, action or role of another app is named in core's code."""

import ast
from pathlib import Path

CORE = Path(__file__).resolve().parents[1]
DOMAIN_APPS = ("network", "comms", "measure", "assets", "rubric", "influence", "launch", "agenda", "workgroups")


def _core_files(*suffixes: str):
    for path in CORE.rglob("*"):
        if path.suffix in suffixes and "tests" not in path.relative_to(CORE).parts:
            yield path


def test_it_imports_no_domain_app():
    for path in _core_files(".py"):
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            for name in names:
                assert not name.startswith(tuple(f"alliance.{app}" for app in DOMAIN_APPS)), f"{path} imports {name}"


def test_its_templates_name_no_page_of_a_domain_app():
    for path in _core_files(".html", ".txt"):
        text = path.read_text()
        for app in DOMAIN_APPS:
            assert f"'{app}:" not in text and f'"{app}:' not in text, f"{path} names a page of {app}"
            assert f'"{app}.' not in text, f"{path} names an action of {app}"
