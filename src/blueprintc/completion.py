"""Shell completion for ``blueprintc``: scripts generated from the argument parser by shtab.

``blueprintc completion bash`` (or ``zsh``) prints a script that completes the commands,
their options, the choices of options such as ``--format`` and ``--only``, and blueprint
files (``*.cxb``) where a command takes one.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence

SHELLS = ("bash", "zsh")
_CXB_BASH = "_blueprintc_cxb_files"

_PREAMBLE_BASH = f"""
# $1=COMP_WORDS[1]: folders, and files ending in .cxb
{_CXB_BASH}() {{
  compgen -d -- $1
  compgen -f -X '!*?.cxb' -- $1
}}
"""


def cxb_files(action: argparse.Action) -> argparse.Action:
    """Mark an argument as a blueprint file: completed with ``*.cxb`` files and folders."""
    action.complete = {"bash": _CXB_BASH, "zsh": "_files -g '*.cxb'"}  # type: ignore[attr-defined]
    return action


def any_files(action: argparse.Action) -> argparse.Action:
    """Mark an argument as any file (an output folder, a depfile)."""
    action.complete = {"bash": "_shtab_compgen_files", "zsh": "_files"}  # type: ignore[attr-defined]
    return action


def words(action: argparse.Action, names: Sequence[str]) -> argparse.Action:
    """Mark an argument that takes one of ``names`` (or a comma-separated list of them)."""
    action.complete = {  # type: ignore[attr-defined]
        "bash": _words_function(names),
        "zsh": "(" + " ".join(names) + ")",
    }
    return action


def option(parser: argparse.ArgumentParser, command: str, flag: str) -> argparse.Action:
    """The action of ``flag`` in ``command``'s subparser (to mark it before :func:`script`)."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction) and command in action.choices:
            subparser: argparse.ArgumentParser = action.choices[command]
            for found in subparser._actions:
                if flag in found.option_strings:
                    return found
    raise KeyError(f"{command} has no option {flag}")


def _words_function(names: Sequence[str]) -> str:
    return "_blueprintc_words_" + "_".join(name.replace("-", "_") for name in names)


def _word_lists(parser: argparse.ArgumentParser) -> dict[str, str]:
    """Every list of words marked in ``parser`` and its subcommands: bash function -> words."""
    found: dict[str, str] = {}
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for subparser in action.choices.values():
                found.update(_word_lists(subparser))
        complete = getattr(action, "complete", None)
        if isinstance(complete, dict) and complete["bash"].startswith("_blueprintc_words_"):
            found[complete["bash"]] = complete["zsh"].strip("()")
    return found


def script(parser: argparse.ArgumentParser, shell: str) -> str:
    """The completion script of ``parser`` for ``shell`` (one of :data:`SHELLS`)."""
    import shtab

    if shell not in SHELLS:
        raise ValueError(f"no completion for {shell!r} (shells: {', '.join(SHELLS)})")
    preamble = ""
    if shell == "bash":
        lists = "".join(
            f"{name}() {{\n  compgen -W '{names}' -- $1\n}}\n"
            for name, names in sorted(_word_lists(parser).items())
        )
        preamble = _PREAMBLE_BASH + lists
    return str(shtab.complete(parser, shell=shell, preamble=preamble))
