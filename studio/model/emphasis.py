"""Keyword emphasis in a text's words: a style with an emphasis colour draws words wrapped in
`*asterisks*` in that colour. This toggles the wrapping around a selection, so the inspector's
"Emphasise" action and a creator typing asterisks produce the same text."""
from __future__ import annotations

import re

SPAN = re.compile(r"\*(\S(?:[^*\n]*?\S)?)\*")  # as studio.render.word_styles.KEYWORD finds them


def _word_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """The selection widened to whole words (a bare cursor takes the word it is in)."""
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    while end < len(text) and not text[end].isspace():
        end += 1
    while start < end and text[start].isspace():  # a selection that began or ended on a space
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def toggle_emphasis(text: str, start: int, end: int) -> tuple[str, int, int]:
    """Wraps the words from `start` to `end` (character positions, either order) in asterisks, or
    unwraps them when they already are; returns the new text and the words' new span (asterisks
    included when wrapped). Nothing to wrap (only spaces) leaves the text as it was."""
    start, end = sorted((max(0, min(start, len(text))), max(0, min(end, len(text)))))
    for span in SPAN.finditer(text):  # inside (or over) emphasised words: unwrap them
        a, b = span.span()
        if (a <= start <= b) if start == end else (start < b and end > a):
            inner = text[a + 1:b - 1]
            return text[:a] + inner + text[b:], a, a + len(inner)
    start, end = _word_bounds(text, start, end)
    if start >= end:
        return text, start, end
    cleaned = text[start:end].replace("*", "")  # a stray asterisk is replaced, not doubled
    if not cleaned.strip():
        return text, start, end
    wrapped = f"*{cleaned}*"
    return text[:start] + wrapped + text[end:], start, start + len(wrapped)
