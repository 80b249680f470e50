"""Caption lines: words grouped the way creators caption a short.

A line holds 1 to 3 words and at most ~32 characters, never spans a pause longer than half a
second, and ends at the end of a sentence or clause (. ! ? , ; : in a script). Between those
breaks the words are shared out evenly ("a b c d" is "a b" / "c d", not "a b c" / "d"). A line is
timed to its words (start of its first, end of its last) and keeps them, so a word-by-word style
can light up the word being said.
"""
from __future__ import annotations

from dataclasses import dataclass

from .script import ends_clause
from .words import Word

MAX_WORDS = 3
MAX_CHARS = 32
MAX_PAUSE = 0.5            # seconds of silence that always end a line


@dataclass(frozen=True)
class CaptionLine:
    text: str
    start: float
    end: float
    words: tuple[Word, ...] = ()

    @property
    def duration(self) -> float:
        return self.end - self.start

    @classmethod
    def of(cls, words: list[Word] | tuple[Word, ...]) -> "CaptionLine":
        return cls(" ".join(w.text for w in words), words[0].start, words[-1].end, tuple(words))

    def to_dict(self) -> dict:
        return {"text": self.text, "start": round(self.start, 3), "end": round(self.end, 3),
                "words": [w.to_dict() for w in self.words]}

    @classmethod
    def from_dict(cls, data: dict) -> "CaptionLine":
        words = tuple(Word.from_dict(w) for w in data.get("words", ()))
        return cls(str(data["text"]), float(data["start"]), float(data["end"]), words)


def _runs(words: list[Word], max_pause: float) -> list[list[Word]]:
    """Stretches that no line may cross: split at long pauses and clause ends."""
    runs: list[list[Word]] = []
    for w in words:
        if runs and runs[-1] and (w.start - runs[-1][-1].end <= max_pause and not ends_clause(runs[-1][-1].text)):
            runs[-1].append(w)
        else:
            runs.append([w])
    return runs


def _length(words: list[Word]) -> int:
    return sum(len(w.text) for w in words) + len(words) - 1


def _balanced(run: list[Word], max_words: int, max_chars: int) -> list[list[Word]]:
    """Fewest lines within the limits, then the most even lengths (least sum of squared lengths)."""
    n = len(run)
    best: list[tuple[int, int, int]] = [(0, 0, 0)] + [(n + 1, 0, 0)] * n  # (lines, cost, start of last line)
    for end in range(1, n + 1):
        for start in range(max(0, end - max_words), end):
            size = _length(run[start:end])
            if size > max_chars and end - start > 1:
                continue  # one word longer than the limit still gets its own line
            lines, cost, _ = best[start]
            candidate = (lines + 1, cost + size * size, start)
            if candidate[:2] < best[end][:2]:
                best[end] = candidate
    cuts, end = [], n
    while end > 0:
        start = best[end][2]
        cuts.append(run[start:end])
        end = start
    return cuts[::-1]


def group_lines(words: list[Word], max_words: int = MAX_WORDS, max_chars: int = MAX_CHARS,
                max_pause: float = MAX_PAUSE) -> list[CaptionLine]:
    """Caption lines from timed words (in time order)."""
    if max_words < 1 or max_chars < 1:
        raise ValueError("a caption line holds at least one word and one character")
    ordered = sorted((w for w in words if w.text.strip()), key=lambda w: (w.start, w.end))
    return [CaptionLine.of(line) for run in _runs(ordered, max_pause)
            for line in _balanced(run, max_words, max_chars)]


def plain_text(lines: list[CaptionLine]) -> str:
    return " ".join(line.text for line in lines)
