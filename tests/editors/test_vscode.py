"""The VS Code extension (``editors/vscode``): its manifest, its launcher, its ``.vsix``.

The launcher and packaging tests need Node.js and the extension's npm packages; they skip
with a message when those are missing (install them with ``npm ci --prefix editors/vscode``).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import pytest

import blueprintc
from blueprintc.editors.textmate import SCOPE_NAME

ROOT = Path(__file__).resolve().parent.parent.parent
EXTENSION = ROOT / "editors" / "vscode"
INSTALL = "npm ci --prefix editors/vscode"
# What the .vsix must hold besides the production dependencies, relative to extension/.
SHIPPED = {
    "package.json",
    "extension.js",
    "language-configuration.json",
    "syntaxes/cxb.tmLanguage.json",
    "README.md",
    "LICENSE",
}


def manifest() -> dict[str, Any]:
    data: dict[str, Any] = json.loads((EXTENSION / "package.json").read_text(encoding="utf-8"))
    return data


# -- the manifest --------------------------------------------------------------------------


def test_language_and_file_association() -> None:
    [language] = manifest()["contributes"]["languages"]
    assert language["id"] == "cxb"
    assert language["extensions"] == [".cxb"]
    assert "CXB" in language["aliases"]
    assert (EXTENSION / language["configuration"]).is_file()


def test_grammar_is_contributed_for_the_language() -> None:
    [grammar] = manifest()["contributes"]["grammars"]
    assert grammar == {
        "language": "cxb",
        "scopeName": SCOPE_NAME,
        "path": "./syntaxes/cxb.tmLanguage.json",
    }
    assert (EXTENSION / grammar["path"]).is_file()


def test_language_configuration() -> None:
    config = json.loads((EXTENSION / "language-configuration.json").read_text(encoding="utf-8"))
    assert config["comments"] == {"lineComment": "//", "blockComment": ["/*", "*/"]}
    assert config["brackets"] == [["{", "}"], ["(", ")"]]
    pairs = {(pair["open"], pair["close"]) for pair in config["autoClosingPairs"]}
    assert {("{", "}"), ("(", ")"), ('"', '"')} <= pairs
    assert re.fullmatch(config["wordPattern"], "shrinkage")
    assert re.fullmatch(config["wordPattern"], "38_000")


def test_settings_are_declared_with_their_defaults() -> None:
    properties = manifest()["contributes"]["configuration"]["properties"]
    assert properties["blueprintc.path"]["default"] == "blueprintc"
    assert properties["blueprintc.args"]["default"] == ["lsp"]
    assert properties["blueprintc.debounce"]["default"] == 0.15
    assert properties["blueprintc.idleSize"]["default"] == 1.0
    assert properties["blueprintc.trace.server"]["enum"] == ["off", "messages", "verbose"]
    for name, spec in properties.items():
        assert spec.get("markdownDescription"), name
    readme = (EXTENSION / "README.md").read_text(encoding="utf-8")
    for name in properties:
        assert f"`{name}`" in readme, f"{name} is not documented in the extension's README"


def test_version_and_pins() -> None:
    data = manifest()
    assert data["version"] == blueprintc.__version__
    assert data["name"] == "blueprintc-cxb"
    assert data["main"] == "./extension.js"
    assert data["license"] == "MIT"
    # Exact versions: the same packages in CI and on every developer's machine.
    for section in ("dependencies", "devDependencies"):
        for package, version in data[section].items():
            assert re.fullmatch(r"[0-9]+\.[0-9]+\.[0-9]+", version), (package, version)
    lock = json.loads((EXTENSION / "package-lock.json").read_text(encoding="utf-8"))
    assert lock["packages"][""]["dependencies"] == data["dependencies"]
    assert lock["packages"][""]["devDependencies"] == data["devDependencies"]


def test_extension_ships_a_license() -> None:
    assert "MIT License" in (EXTENSION / "LICENSE").read_text(encoding="utf-8")


# -- the launcher --------------------------------------------------------------------------


def node_or_skip() -> str:
    node = shutil.which("node")
    if node is None:
        pytest.skip("the VS Code extension checks need Node.js (`node` is not on PATH)")
    if not (EXTENSION / "node_modules" / "vscode-languageclient" / "package.json").is_file():
        pytest.skip(f"the VS Code extension checks need the npm packages: run `{INSTALL}`")
    return node


def activate(settings: dict[str, Any], workspace: str = "/work/space") -> dict[str, Any]:
    """What the extension does on activation, a restart and a change of settings."""
    result = subprocess.run(
        [node_or_skip(), str(EXTENSION / "test" / "activate.js"), json.dumps(settings), workspace],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    report: dict[str, Any] = json.loads(result.stdout)
    return report


def clients(report: dict[str, Any]) -> list[dict[str, Any]]:
    return [event["client"] for event in report["events"] if isinstance(event, dict)]


def test_launcher_runs_blueprintc_lsp_over_stdio_by_default() -> None:
    report = activate({})
    first = clients(report)[0]
    assert first["id"] == "blueprintc"
    # No transport named: vscode-languageclient talks to the process over stdin/stdout.
    assert first["serverOptions"] == {"command": "blueprintc", "args": ["lsp"]}
    assert first["clientOptions"]["documentSelector"] == [{"scheme": "file", "language": "cxb"}]
    assert first["clientOptions"]["initializationOptions"] == {"debounce": 0.15, "idleSize": 1.0}
    assert report["commands"] == ["blueprintc.restartServer"]


def test_launcher_follows_the_settings() -> None:
    report = activate(
        {
            "blueprintc.path": "/opt/bp/bin/python",
            "blueprintc.args": ["-m", "blueprintc.lsp"],
            "blueprintc.debounce": 0.5,
            "blueprintc.idleSize": None,
        }
    )
    first = clients(report)[0]
    assert first["serverOptions"] == {
        "command": "/opt/bp/bin/python",
        "args": ["-m", "blueprintc.lsp"],
    }
    assert first["clientOptions"]["initializationOptions"] == {"debounce": 0.5, "idleSize": None}


def test_relative_path_is_taken_from_the_workspace_folder() -> None:
    report = activate({"blueprintc.path": ".venv/bin/blueprintc"}, workspace="/home/c/bank")
    assert clients(report)[0]["serverOptions"]["command"] == "/home/c/bank/.venv/bin/blueprintc"


def test_restart_and_settings_change_start_a_new_server() -> None:
    events = [e if isinstance(e, str) else "client" for e in activate({})["events"]]
    assert events == [
        *("client", "start", "activated"),
        *("stop", "client", "start", "restarted"),  # the restart command
        *("stop", "client", "start"),  # blueprintc.path changed
        "configured",  # an unrelated setting changed: nothing happens
        "stop",  # deactivation
    ]


def test_a_server_that_cannot_start_is_reported() -> None:
    report = activate({"failStart": True, "blueprintc.path": "nowhere"})
    errors = [event["error"] for event in report["events"] if "error" in event]
    assert errors and "nowhere lsp" in errors[0] and "blueprintc.path" in errors[0]


# -- the package ---------------------------------------------------------------------------


def vsce(*args: str, cwd: Path = EXTENSION) -> subprocess.CompletedProcess[str]:
    node_or_skip()
    tool = EXTENSION / "node_modules" / "@vscode" / "vsce" / "vsce"
    if not tool.is_file():
        pytest.skip(f"packaging needs @vscode/vsce: run `{INSTALL}`")
    return subprocess.run(
        [shutil.which("node") or "node", str(tool), *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=300,
    )


def test_vsce_lists_exactly_the_extension_files() -> None:
    result = vsce("ls")
    assert result.returncode == 0, result.stderr
    listed = set(result.stdout.split())
    ours = {name for name in listed if not name.startswith("node_modules/")}
    assert ours == SHIPPED
    packages = {name.split("/")[1] for name in listed - ours}
    assert "vscode-languageclient" in packages
    # Test-only packages stay out of the extension.
    assert not packages & {"vscode-textmate", "vscode-oniguruma", "@vscode"}


def test_packaged_vsix_holds_the_extension(tmp_path: Path) -> None:
    result = vsce("package", "--allow-missing-repository", "--out", f"{tmp_path}/")
    assert result.returncode == 0, result.stdout + result.stderr
    vsix = tmp_path / f"blueprintc-cxb-{blueprintc.__version__}.vsix"
    assert vsix.is_file(), list(tmp_path.iterdir())
    with zipfile.ZipFile(vsix) as archive:
        assert archive.testzip() is None
        names = set(archive.namelist())
        assert "extension.vsixmanifest" in names
        for name in ("package.json", "extension.js", "language-configuration.json"):
            assert f"extension/{name}" in names
        assert "extension/syntaxes/cxb.tmLanguage.json" in names
        assert "extension/node_modules/vscode-languageclient/node.js" in names
        assert not [name for name in names if name.startswith("extension/test/")]
        packaged = json.loads(archive.read("extension/package.json"))
        grammar = archive.read("extension/syntaxes/cxb.tmLanguage.json").decode("utf-8")
        vsixmanifest = archive.read("extension.vsixmanifest").decode("utf-8")
    assert packaged["contributes"] == manifest()["contributes"]
    assert grammar == (EXTENSION / "syntaxes" / "cxb.tmLanguage.json").read_text(encoding="utf-8")
    assert 'Id="blueprintc-cxb"' in vsixmanifest
    assert f'Version="{blueprintc.__version__}"' in vsixmanifest
    assert 'Publisher="blueprintc"' in vsixmanifest
