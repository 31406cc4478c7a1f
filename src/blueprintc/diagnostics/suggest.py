"""'Did you mean' suggestions ranked by edit distance."""

from __future__ import annotations

from collections.abc import Iterable

MAX_SUGGEST_LENGTH = 64
"""Words longer than this get no suggestion: no name is that long, and no distance is
computed for them (see the limits in docs/language.md)."""


def edit_distance(a: str, b: str) -> int:
    """Optimal string alignment distance: insertions, deletions, substitutions, transpositions."""
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        prev2, prev = prev, cur
    return prev[-1]


def suggest(word: str, candidates: Iterable[str], limit: int = 3) -> list[str]:
    """Close candidates, best first: case-insensitive equality, then small edit distance.

    The distance is at least the difference in length, so a candidate much longer or
    shorter than the word is skipped without computing it: a long or frequent unknown
    word costs time in proportion to its length, not to its length times each candidate's.
    A word longer than ``MAX_SUGGEST_LENGTH`` gets no suggestion at all.
    """
    if len(word) > MAX_SUGGEST_LENGTH:
        return []
    lowered = word.lower()
    allowed = max(1, min(3, len(word) // 3))
    scored = []
    for cand in set(candidates):
        if cand == word:
            continue
        other = cand.lower()
        if len(word) >= 3 and other.startswith(lowered):
            scored.append((len(other) - len(lowered), cand))  # the distance of a prefix
        elif abs(len(other) - len(lowered)) <= allowed:
            distance = edit_distance(lowered, other)
            if distance <= allowed:
                scored.append((distance, cand))
    return [cand for _, cand in sorted(scored)[:limit]]


def did_you_mean(word: str, candidates: Iterable[str]) -> str | None:
    """A help line such as "did you mean `premier`?" or None when nothing is close."""
    found = suggest(word, candidates)
    if not found:
        return None
    if len(found) == 1:
        return f"did you mean `{found[0]}`?"
    return "did you mean " + ", ".join(f"`{f}`" for f in found[:-1]) + f" or `{found[-1]}`?"
