"""Generate ``docs/diagnostics.md`` from the code catalogue, so the two never disagree.

Run ``python -m blueprintc.diagnostics.reference > docs/diagnostics.md``; a test fails when
the committed file is stale.
"""

from __future__ import annotations

from blueprintc.diagnostics.codes import CODES

_GROUPS = {
    "00": "Files",
    "01": "Syntax",
    "02": "Modules",
    "03": "Names",
    "04": "Fields and values",
    "05": "Alignment",
    "09": "Internal",
}

_INTRO = """\
# Diagnostics

Every finding of the compiler has a stable code (`CXB0301`) and a name (`unknown-name`);
both work with `blueprintc explain`, and codes are never renumbered or reused. On the
terminal a diagnostic reads

```
examples/bank.cxb:12:15: error[CXB0301]: no segment named `premeir`
   |
12 |   segments premeir, mass
   |            ^^^^^^^
   = help: did you mean `premier`?
```

Lines and columns count from 1; columns count characters. `--format json` prints the same
findings as JSON (schema `blueprintc.diagnostics`, version 1): each with `code`, `name`,
`severity`, `message`, `span` (`file`, `line`, `column`, `end_line`, `end_column`, and
0-based character `offset`/`end_offset`; `null` for a finding about no place, such as a
bad command line), `labels`, `notes` and `help`. Every command with `--format json`
prints exactly one JSON document, whatever happens, with its diagnostics inside (see
[Machine-readable answers](api.md#10-machine-readable-answers---format-json)).

Errors stop the compilation (exit code 1, nothing is written); warnings do not, unless
`--werror` is given.

Each example shows only the lines that cause the finding; the rest of the blueprint is
taken to be complete and aligned, like the small blueprint that
[the alignment rules](alignment.md#7-the-alignment-rules) start from, with the example's
declarations in place of those of the same name. Examples that are a command line run in
a folder holding `bank.cxb`. Every example is compiled by the test suite, which checks
that it produces its code.

This page is generated from the compiler's catalogue
(`python -m blueprintc.diagnostics.reference`).
"""


def render_reference() -> str:
    """The whole ``docs/diagnostics.md`` page."""
    parts = [_INTRO]
    group = None
    for code in sorted(CODES.values(), key=lambda c: c.id):
        if code.id[3:5] != group:
            group = code.id[3:5]
            parts.append(f"\n## {_GROUPS.get(group, group)}\n")
        parts.append(f"\n### {code.id} `{code.name}` — {code.title}\n")
        parts.append(f"\nSeverity: **{code.severity.value}**\n\n{code.explanation}\n")
        if code.example:
            parts.append(f"\nExample:\n\n```\n{code.example}\n```\n")
        if code.help:
            parts.append(f"\nWhat to do: {code.help}\n")
    return "".join(parts)


if __name__ == "__main__":
    print(render_reference(), end="")
