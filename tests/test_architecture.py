"""The shape of the project (docs/architecture.md), held by a test: every import,
template link and URL include points down the layers, never up or sideways-back.

    demo → reports → voting → documents → meetings → ecabinet

Inside reports, follow-up may use minutes and measurement; those two use
neither each other nor follow-up. ``ecabinet`` knows the apps only through its
wiring (``urls.py``, ``asgi.py``, the settings).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LAYERS = ["ecabinet", "meetings", "documents", "voting", "reports", "demo"]
# within reports: what each subject may use
REPORTS = {"minutes": set(), "measurement": set(), "followup": {"minutes", "measurement"}}
WIRING = {"ecabinet/urls.py", "ecabinet/asgi.py", "ecabinet/settings.py", "ecabinet/wsgi.py"}
NAMESPACES = {
    "meetings": "meetings",
    "meetings_api": "meetings",
    "documents": "documents",
    "documents_api": "documents",
    "voting": "voting",
    "voting_api": "voting",
    "reports": "reports",
    "reports_api": "reports",
}
URL = re.compile(r"""\{%\s*url\s+['"]([\w-]+):""")
TEMPLATE = re.compile(r"""\{%\s*(?:include|extends)\s+['"]([\w/.-]+)['"]""")


def layer(path: str) -> int | None:
    top = path.split("/", 1)[0]
    return LAYERS.index(top) if top in LAYERS else None


def subject(path: str) -> str | None:
    parts = path.split("/")
    return parts[1] if parts[0] == "reports" and len(parts) > 2 and parts[1] in REPORTS else None


def sources(suffix: str) -> list[Path]:
    return [
        p
        for top in LAYERS
        for p in sorted((ROOT / top).rglob(f"*{suffix}"))
        if "migrations" not in p.parts and "__pycache__" not in p.parts
    ]


def imported(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module))
        elif isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
    return found


def upward_imports() -> list[str]:
    wrong = []
    for path in sources(".py"):
        rel = path.relative_to(ROOT).as_posix()
        if rel in WIRING:
            continue
        mine, my_subject = layer(rel), subject(rel)
        for line, module in imported(path):
            target = module.replace(".", "/") + "/"
            theirs = layer(target)
            if theirs is None or mine is None:
                continue
            if theirs > mine:
                wrong.append(f"{rel}:{line} imports {module} (a layer above)")
            their_subject = subject(target + "x")
            if (
                my_subject
                and their_subject
                and their_subject != my_subject
                and their_subject not in REPORTS[my_subject]
            ):
                wrong.append(f"{rel}:{line} imports {module} (reports.{their_subject} is not below it)")
    return wrong


def upward_template_links() -> list[str]:
    wrong = []
    for path in sources(".html"):
        rel = path.relative_to(ROOT).as_posix()
        mine = layer(rel)
        text = path.read_text(encoding="utf-8")
        for namespace in URL.findall(text):
            owner = NAMESPACES.get(namespace)
            if owner is not None and mine is not None and LAYERS.index(owner) > mine:
                wrong.append(f"{rel} links to {namespace}: (a layer above)")
        for name in TEMPLATE.findall(text):
            owners = [top for top in LAYERS if any((ROOT / top).glob(f"**/templates/{name}"))]
            if owners and mine is not None and min(LAYERS.index(o) for o in owners) > mine:
                wrong.append(f"{rel} uses {name} (of {owners[0]}, a layer above)")
    return wrong


def test_imports_point_down_the_layers() -> None:
    assert upward_imports() == []


def test_templates_link_only_down_the_layers() -> None:
    assert upward_template_links() == []


def test_the_project_includes_one_urls_and_one_api_urls_per_app_with_their_namespaces() -> None:
    from django.urls import get_resolver

    resolver = get_resolver()
    namespaces = set(resolver.namespace_dict) | {
        n for p in resolver.url_patterns if hasattr(p, "url_patterns") for n in p.namespace_dict
    }
    assert set(NAMESPACES) <= namespaces
    text = (ROOT / "ecabinet/urls.py").read_text(encoding="utf-8")
    includes = re.findall(r'include\("([\w.]+)"\)', text)
    ours = [i for i in includes if i.split(".")[0] in LAYERS]
    assert sorted(ours) == sorted(
        [f"{app}.urls" for app in LAYERS[1:5]]
        + [f"{app}.api_urls" for app in LAYERS[1:5]]
        + ["ecabinet.verify"]
    )
    # and no app's URLs include another app's
    for app in LAYERS[1:]:
        for path in (ROOT / app).rglob("*urls.py"):
            assert "include(" not in path.read_text(encoding="utf-8"), path


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("meetings/x.py", "from documents.models import Paper\n"),
        ("reports/minutes/x.py", "from reports.followup.access import access_task\n"),
    ],
)
def test_an_upward_import_is_caught(tmp_path, monkeypatch, source: str, expected: str) -> None:  # type: ignore[no-untyped-def]
    # the check run on a tree with one wrong import in it
    wrong = tmp_path / source
    wrong.parent.mkdir(parents=True)
    wrong.write_text(expected)
    for top in LAYERS:
        (tmp_path / top).mkdir(exist_ok=True)
    monkeypatch.setattr(f"{__name__}.ROOT", tmp_path)
    assert len(upward_imports()) == 1


def test_an_upward_template_link_is_caught(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    page = tmp_path / "meetings/templates/meetings/x.html"
    page.parent.mkdir(parents=True)
    page.write_text("<a href=\"{% url 'reports:dashboard' %}\">x</a>")
    for top in LAYERS:
        (tmp_path / top).mkdir(exist_ok=True)
    monkeypatch.setattr(f"{__name__}.ROOT", tmp_path)
    assert upward_template_links() == ["meetings/templates/meetings/x.html links to reports: (a layer above)"]


# --- every write audited ----------------------------------------------------------------


def unaudited_actions(path: Path) -> set[str]:
    """The ``do_…`` functions of an actions module that write no audit row,
    directly or through a function of the same module they call."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    functions = {n.name: n for n in tree.body if isinstance(n, ast.FunctionDef)}
    memo: dict[str, bool] = {}

    def audits(name: str, seen: frozenset[str] = frozenset()) -> bool:
        if name in memo:
            return memo[name]
        result = False
        for node in ast.walk(functions[name]):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            if (
                isinstance(func, ast.Attribute)
                and func.attr in {"record", "record_change"}
                and getattr(func.value, "id", "") == "audit"
            ):
                result = True
            elif isinstance(func, ast.Name) and func.id in functions and func.id not in seen | {name}:
                result = result or audits(func.id, seen | {name})
        memo[name] = result
        return result

    return {name for name in functions if name.startswith("do_") and not audits(name)}


def test_every_action_writes_its_audit_row() -> None:
    found = {
        str(p.relative_to(ROOT)): unaudited_actions(p)
        for p in sources("actions.py")
        if p.name == "actions.py"
    }
    # every do_… writes its row, or calls something of its module that does
    assert {path: names for path, names in found.items() if names} == {}


def test_an_action_without_its_audit_row_is_caught(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "actions.py"
    path.write_text(
        "def _audit(): audit.record('x')\n"
        "def do_a(): _audit()\n"
        "def do_b(): do_a()\n"
        "def do_c(): pass\n"
        "def do_d(): do_d()\n",
        encoding="utf-8",
    )
    assert unaudited_actions(path) == {"do_c", "do_d"}
