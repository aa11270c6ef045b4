"""
The layers of docs/architecture.md, read from the code: a package imports only packages of a
lower layer, so no app imports the project package and no two apps import each other.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Higher imports lower, never the other way, never sideways.
LAYERS = {
    "backandneck": 3,  # the project package: settings, root urls, wsgi, what composes the apps
    "people": 2,
    "newsletter": 2,
    "search": 2,
    "blog": 1,
    "siteconfig": 0.5,
    "stafflogin": 0.5,
    "pagecache": 0,
    "prepared_statements": 0,
    "ratelimits": 0,
}


def imports_of(path):
    """The top-level packages `path` imports (absolute imports only; relative stay inside)."""
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            yield from (alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module.split(".")[0]


def layer_breaches():
    for package, layer in LAYERS.items():
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" in path.parts:  # History: they name the app a model once lived in.
                continue
            for imported in set(imports_of(path)):
                if imported in LAYERS and imported != package and LAYERS[imported] >= layer:
                    yield f"{path.relative_to(ROOT)} imports {imported}"


def test_every_package_is_in_a_layer():
    packages = {
        path.parent.name
        for path in ROOT.glob("*/__init__.py")
        if path.parent.name not in {"tests", "bench", "deploy"}
    }
    assert packages == set(LAYERS)


def test_packages_import_only_the_layers_beneath_them():
    assert list(layer_breaches()) == []


def test_the_check_sees_an_import_that_goes_up(tmp_path, monkeypatch):
    (tmp_path / "blog").mkdir()
    (tmp_path / "blog" / "models.py").write_text("from search.models import Synonym\n")
    (tmp_path / "search").mkdir()
    (tmp_path / "search" / "views.py").write_text("from blog.models import Post\n")
    monkeypatch.setattr(f"{__name__}.ROOT", tmp_path)
    monkeypatch.setattr(f"{__name__}.LAYERS", {"search": 2, "blog": 1})
    assert list(layer_breaches()) == [f"{Path('blog/models.py')} imports search"]
