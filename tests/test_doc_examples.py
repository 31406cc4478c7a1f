"""Every command and code example in the docs runs, and the docs cite nothing outside the
repository.

Rules, per kind of fenced block in ``docs/*.md`` and ``README.md``:

- ```` ```cxb ````: a whole blueprint (it has a ``blueprint "..."`` block) compiles with no
  error. A fragment is checked with :data:`HEADER` prepended, up to the check stage (parse,
  modules, names, fields, units), tolerating what a fragment leaves to the rest of its
  blueprint: names declared elsewhere (CXB0301), fields it does not show (CXB0403), and
  files of its own project (``use "./..."``, CXB0201). A block meant to show an error
  says so in a comment, ``// error: ... (CXB0405)``: each code so marked must be reported,
  and every other error still fails.
- ```` ```python ````: the blocks of a page run in order in one namespace; ``>>>`` blocks
  as doctests (the output must match), the others as scripts; what a script prints must
  be the block that follows it.
- ```` ```sh ````: every line runs (``blueprintc`` in-process through
  ``blueprintc.cli.main``, ``pygmentize`` through Pygments, the rest with bash) and must
  exit 0, or with the code its comment gives (``# exit 1``); a comment ``# prints: X``
  is checked too. The lines that cannot run in a test are listed in :data:`NOT_RUN` with
  the reason.
- ``json`` must parse. ``text`` blocks are output or synopses; ``make``, ``lua`` and
  ``elisp`` are configuration for other programs, which a test here cannot start.

Everything runs in a sandbox: a copy of ``examples/`` and ``tests/cases/`` in a fresh git
repository. Placeholders in command lines (``FILE``, ``F``, ``OLD``, ``NEW``, ``DIR``,
``D``) and the generic ``bank.cxb`` name :data:`BANK`, the first worked example of
docs/language.md, committed twice so that ``HEAD~1:bank.cxb`` exists. A ``.cxb`` file a
page tells the reader to save (``tiny_center.cxb``, ``example.cxb``, ``harbor.cxb``) is the
page's last ``cxb`` block before the command or script that names it.
"""

from __future__ import annotations

import contextlib
import doctest
import io
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import attrs
import pytest

from blueprintc import cli
from blueprintc.driver import compile as compile_blueprint

ROOT = Path(__file__).resolve().parent.parent
PAGES = [*sorted((ROOT / "docs").glob("*.md")), ROOT / "README.md"]
HEADER = 'blueprint "T" { currency USD; exchange EUR 1.08; start 2027-01; horizon 3 years }\n'
FRAGMENT_TOLERATES = {"CXB0301", "CXB0403", "CXB0201"}
PLACEHOLDERS = {"FILE...": "bank.cxb", "FILE": "bank.cxb", "F": "bank.cxb", "OLD": "bank.cxb"}
PLACEHOLDERS |= {"NEW": "bank.cxb", "DIR": "build/", "D": "build/"}
NOT_RUN = {
    "blueprintc lsp": "starts the language server, which serves an editor until it exits "
    "(tests/lsp drives it over stdio)",
    "python -m blueprintc.lsp": "the same language server",
    "--watch": "rebuilds until interrupted (tests/cli/test_build.py runs the watch loop)",
    "python3 -m venv": "installs blueprintc into a new virtual environment and, for the "
    "second line, runs the whole test suite: what CI does (.ci/run)",
    "npm ci": "builds the VS Code extension from the npm registry: CI builds it (.ci/run)",
    "code --install-extension": "installs the extension into the user's VS Code",
    "python -m pytest": "runs tests of this suite, or a fuzzing run of up to an hour",
    "python -m tests.bench.scale": "compiles a center of 100 times the example, a manual "
    "measurement of a minute or more (tests/bench/test_bench_scale.py runs the same path)",
    "python -m tests.bench.cpu_ratio": "times the import floor and four commands seven "
    "times each, a manual measurement of a minute (tests/bench/test_cpu_ratio.py runs it once)",
}


@attrs.frozen
class Block:
    """One fenced block of a page: its language, text and first line."""

    page: str
    language: str
    text: str
    line: int

    @property
    def id(self) -> str:
        return f"{self.page}:{self.line}"


def blocks_of(path: Path) -> list[Block]:
    text = path.read_text(encoding="utf-8")
    return [
        Block(path.name, m.group(1), m.group(2), text.count("\n", 0, m.start()) + 1)
        for m in re.finditer(r"^```(\w*)\n(.*?)^```", text, re.S | re.M)
    ]


def all_blocks(language: str) -> list[Block]:
    return [b for page in PAGES for b in blocks_of(page) if b.language == language]


def write_saved_file(folder: Path, name: str, page: str, before_line: int) -> None:
    """Write ``name`` into ``folder`` if the page asks the reader to save a file of that
    name (``Save this as `name```): as the page's last ``cxb`` block before the line."""
    path = ROOT / _page_path(page)
    if (folder / name).exists() or not re.search(
        rf"[Ss]aved? (?:the blueprint |this )?as `{re.escape(name)}`", path.read_text("utf-8")
    ):
        return
    earlier = [b for b in blocks_of(path) if b.language == "cxb" and b.line < before_line]
    (folder / name).write_text(earlier[-1].text, encoding="utf-8")


def _page_path(page: str) -> str:
    return page if page == "README.md" else f"docs/{page}"


BANK = next(b for b in blocks_of(ROOT / "docs/language.md") if b.language == "cxb").text


def _git(folder: Path, *words: str) -> None:
    identity = ["-c", "user.name=docs", "-c", "user.email=docs@example.com"]
    subprocess.run(["git", *identity, *words], cwd=folder, check=True, capture_output=True)


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the examples and test cases, with ``bank.cxb`` committed twice in git."""
    folder = tmp_path_factory.mktemp("docs")
    shutil.copytree(ROOT / "examples", folder / "examples")
    shutil.copytree(ROOT / "tests/cases", folder / "tests/cases")
    _git(folder, "init", "-q")
    first = BANK.replace("volume 20_000/month", "volume 18_000/month")
    assert first != BANK
    (folder / "bank.cxb").write_text(first, encoding="utf-8")
    _git(folder, "add", "bank.cxb")
    _git(folder, "commit", "-qm", "first")
    (folder / "bank.cxb").write_text(BANK, encoding="utf-8")
    _git(folder, "commit", "-qam", "second")
    return folder


# -- nothing outside the repository ------------------------------------------------------

_NOTES = "DOMAIN" + ".md"  # spelt in two so that this file does not mention it
_OUTSIDE = [_NOTES, "../" + "shared", "domain" + " notes", "our" + " notes"]
# An absolute path, except the operating-system paths that docs/language.md names as
# what `use` refuses to read (devices, /proc, /sys).
_ABSOLUTE = re.compile(r"(?:^|[\s`\"'(])(/(?!dev/|proc\b|sys\b)[A-Za-z][\w.-]*/[\w./-]*)", re.M)
_WINDOWS = re.compile(r"\b[A-Z]:\\\w")
_LINK = re.compile(r"\]\(([^)#\s]+)(?:#[^)]*)?\)")


def _project_files() -> list[Path]:
    folders = ["docs", "stdlib", "examples", "src", "tests", "grammar"]
    files = [p for f in folders for p in (ROOT / f).rglob("*") if p.is_file()]
    files = [p for p in files if "__pycache__" not in p.parts and p.suffix != ".xlsx"]
    return [*files, ROOT / "README.md", ROOT / "pyproject.toml"]


def test_nothing_cites_files_outside_the_repository() -> None:
    found = []
    for path in _project_files():
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
        found += [f"{path.relative_to(ROOT)}: {word}" for word in _OUTSIDE if word in text]
    assert not found


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_docs_have_no_absolute_paths_and_links_stay_inside(page: Path) -> None:
    text = page.read_text(encoding="utf-8")
    assert not _ABSOLUTE.findall(text)
    assert not _WINDOWS.findall(text)
    for target in _LINK.findall(text):
        if "://" in target or target.startswith("mailto:"):
            continue
        resolved = (page.parent / target).resolve()
        assert resolved.is_relative_to(ROOT) and resolved.exists(), target


# -- cxb ---------------------------------------------------------------------------------

_MARKED = re.compile(r"//\s*error\b[^\n]*")


@pytest.mark.parametrize("block", all_blocks("cxb"), ids=lambda b: b.id)
def test_cxb_block_compiles(block: Block, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    marked = {c for m in _MARKED.findall(block.text) for c in re.findall(r"CXB\d{4}", m)}
    whole = re.search(r'^\s*blueprint\s+"', block.text, re.M) is not None
    text = block.text if whole else HEADER + block.text
    until = "size" if whole else "check"
    result = compile_blueprint(text, name=block.id, root=tmp_path, until=until)
    reported = {d.code.id for d in result.diagnostics}
    assert marked <= reported, f"marked but not reported: {sorted(marked - reported)}"
    tolerated = marked if whole else marked | FRAGMENT_TOLERATES
    errors = [
        f"{d.code.id} {d.message}"
        for d in result.diagnostics
        if d.is_error and d.code.id not in tolerated
    ]
    assert not errors


# -- python ------------------------------------------------------------------------------

_NAMED_CXB = re.compile(r"""compile\(["']([\w-]+\.cxb)["']\)""")


@pytest.mark.parametrize(
    "page",
    [p for p in PAGES if any(b.language == "python" for b in blocks_of(p))],
    ids=lambda p: p.name,
)
def test_python_blocks_run(page: Path, sandbox: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(sandbox)
    namespace: dict[str, object] = {}
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    blocks = blocks_of(page)
    for index, block in enumerate(blocks):
        if block.language != "python":
            continue
        for name in _NAMED_CXB.findall(block.text):
            write_saved_file(sandbox, name, block.page, block.line)
        if ">>>" in block.text:
            parser = doctest.DocTestParser()
            test = parser.get_doctest(block.text, namespace, block.id, block.id, block.line)
            runner.run(test, clear_globs=False)
            namespace = test.globs
        else:
            printed = io.StringIO()
            with contextlib.redirect_stdout(printed):
                exec(compile(block.text, block.id, "exec"), namespace)
            if printed.getvalue():  # the page shows what a script prints right after it
                assert printed.getvalue().strip() == blocks[index + 1].text.strip(), block.id
    assert runner.failures == 0, f"{runner.failures} example(s) of {page.name} fail (see above)"


# -- sh ----------------------------------------------------------------------------------


@attrs.frozen
class Command:
    """One line of a ``sh`` block."""

    block: Block
    text: str

    @property
    def id(self) -> str:
        return f"{self.block.id}: {self.text.split('#')[0].strip()}"


def all_commands() -> Iterator[Command]:
    for block in all_blocks("sh"):
        for line in block.text.replace("\\\n", " ").splitlines():  # continued lines
            if line.strip():
                yield Command(block, line)


def _not_run(command: Command) -> str | None:
    return next((why for key, why in NOT_RUN.items() if key in command.text), None)


def _expected_exit(comment: str) -> int:
    found = re.search(r"\bexit (\d)\b", comment)
    return int(found.group(1)) if found else 0


def _run_in_process(words: list[str]) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    if words[0] == "blueprintc":
        return cli.main(words[1:], out, err), out.getvalue()
    assert words[0] == "pygmentize", words
    from pygments.cmdline import main as pygmentize

    binary = io.TextIOWrapper(io.BytesIO(), encoding="utf-8")  # Pygments writes bytes
    with contextlib.redirect_stdout(binary), contextlib.redirect_stderr(err):
        code = pygmentize(words)
    binary.flush()
    return code, binary.buffer.getvalue().decode("utf-8")  # type: ignore[attr-defined]


@pytest.mark.parametrize("command", list(all_commands()), ids=lambda c: c.id)
def test_sh_line_runs(command: Command, sandbox: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    reason = _not_run(command)
    if reason is not None:
        pytest.skip(f"not run in a test: {reason}")
    monkeypatch.chdir(sandbox)
    line, _, comment = command.text.partition("#")
    words = [PLACEHOLDERS.get(w, w) for w in shlex.split(line)]
    for word in words:
        if word.endswith(".cxb"):
            write_saved_file(sandbox, word, command.block.page, command.block.line)
    if words[0] in ("blueprintc", "pygmentize"):
        target = None
        if ">" in words:
            words, target = words[: words.index(">")], words[words.index(">") + 1]
        code, printed = _run_in_process(words)
        if target is not None:
            (sandbox / target).write_text(printed, encoding="utf-8")
    else:
        # The `blueprintc` of the Python running the tests, activated or not.
        scripts = str(Path(sys.executable).parent)
        env = {**os.environ, "PATH": scripts + os.pathsep + os.environ.get("PATH", "")}
        done = subprocess.run(
            ["bash", "-c", line], cwd=sandbox, env=env, capture_output=True, text=True, check=False
        )
        code, printed = done.returncode, done.stdout
    assert code == _expected_exit(comment), printed
    prints = re.search(r"prints: (\S+)", comment)
    if prints:
        assert printed.strip() == prints.group(1)


# -- json --------------------------------------------------------------------------------


def test_json_blocks_parse() -> None:
    for block in all_blocks("json"):
        try:
            json.loads(block.text)
        except ValueError as error:
            pytest.fail(f"{block.id}: {error}")
