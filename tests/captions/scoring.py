"""Word error rate, for the captions tests and benchmarks/captions_wer.py: edit distance between
normalised word lists (case, punctuation and numbers-as-digits do not count as errors)."""
from __future__ import annotations

import re

from studio.captions.script import spoken_words


def normalise(text: str) -> list[str]:
    """Lower-case spoken words: "3 budget mics!" -> ["three", "budget", "mics"] (numbers spelled
    out as they are said, hashtags and emoji dropped, apostrophes kept: "i'm")."""
    return [re.sub(r"[^\w']", "", w) for written in text.split() for w in spoken_words(written)
            if re.sub(r"[^\w']", "", w)]


def edit_counts(ref: list[str], hyp: list[str]) -> tuple[int, int, int]:
    """(substitutions, deletions, insertions) of the cheapest edit from ref to hyp."""
    rows = [(j, 0, 0, j) for j in range(len(hyp) + 1)]  # (cost, subs, dels, ins)
    for i, r in enumerate(ref, 1):
        new = [(i, 0, i, 0)]
        for j, h in enumerate(hyp, 1):
            diag = rows[j - 1]
            options = [
                (diag[0] + (r != h), diag[1] + (r != h), diag[2], diag[3]),
                (rows[j][0] + 1, rows[j][1], rows[j][2] + 1, rows[j][3]),      # r deleted
                (new[j - 1][0] + 1, new[j - 1][1], new[j - 1][2], new[j - 1][3] + 1),  # h inserted
            ]
            new.append(min(options))
        rows = new
    return rows[-1][1], rows[-1][2], rows[-1][3]


def word_error_rate(ref: list[str], hyp: list[str]) -> float:
    if not ref:
        return float(bool(hyp))
    return sum(edit_counts(ref, hyp)) / len(ref)
