"""Pronunciations for words the dictionary does not have ("tiktok", "vlogging", a name).

The forced aligner needs the phones of every word it places. A word missing from the dictionary is
first built from dictionary words it is made of ("tiktok" = "tick" + "tock" sounds, "unboxing" =
"un" + "boxing"), and what is left is spelled out by English letter-to-sound rules. The result is
approximate, but an aligner only needs the right kind and number of sounds to find where a word
sits between its neighbours. Phones are CMU ARPAbet, as in pocketsphinx's en-US model.
"""
from __future__ import annotations

from typing import Callable

# Letter groups, longest first within each letter, with their sounds. "^" = at the start of the
# word only, "$" = at the end only.
_GROUPS: list[tuple[str, str]] = [
    ("tion", "SH AH N"), ("sion", "ZH AH N"), ("ture", "CH ER"), ("ough", "AO"), ("augh", "AO"),
    ("eigh", "EY"), ("tch", "CH"), ("sch", "S K"), ("igh", "AY"), ("dge", "JH"),
    ("ph", "F"), ("sh", "SH"), ("ch", "CH"), ("th", "TH"), ("wh", "W"), ("ck", "K"), ("ng", "NG"),
    ("qu", "K W"), ("^kn", "N"), ("^wr", "R"), ("^gn", "N"), ("gh", "G"),
    ("ee", "IY"), ("ea", "IY"), ("oo", "UW"), ("ou", "AW"), ("ow", "OW"), ("oi", "OY"), ("oy", "OY"),
    ("ai", "EY"), ("ay", "EY"), ("au", "AO"), ("aw", "AO"), ("ei", "EY"), ("ey$", "IY"), ("ey", "EY"),
    ("ie$", "IY"), ("ie", "AY"), ("ue", "UW"), ("ew", "UW"), ("oa", "OW"),
    ("er", "ER"), ("ir", "ER"), ("ur", "ER"), ("or", "AO R"), ("ar", "AA R"),
    ("y$", "IY"), ("^y", "Y"),
]
_LETTERS = {"a": "AE", "b": "B", "c": "K", "d": "D", "e": "EH", "f": "F", "g": "G", "h": "HH", "i": "IH",
            "j": "JH", "k": "K", "l": "L", "m": "M", "n": "N", "o": "AA", "p": "P", "q": "K", "r": "R",
            "s": "S", "t": "T", "u": "AH", "v": "V", "w": "W", "x": "K S", "y": "IH", "z": "Z"}
_LONG = {"a": "EY", "e": "IY", "i": "AY", "o": "OW", "u": "UW", "y": "AY"}
_VOWELS = set("aeiouy")


def letters_to_sounds(word: str) -> str:
    """English letter-to-sound rules: a rough ARPAbet pronunciation of a word of a-z letters
    ("vlog" -> "V L AA G", "grape" -> "G R EY P")."""
    w = "".join(c for c in word.lower() if c.isascii() and c.isalpha())
    if not w:
        return ""
    # a final silent e lengthens the vowel before the last consonant: "bake", "vibe", "code"
    magic = len(w) > 3 and w.endswith("e") and w[-2] not in _VOWELS and w[-3] in _VOWELS and w[-3] != "e"
    if magic:
        w = w[:-1]
    phones: list[str] = []
    i = 0
    while i < len(w):
        for group, sounds in _GROUPS:
            anchored_start, anchored_end = group.startswith("^"), group.endswith("$")
            g = group.strip("^$")
            if (w.startswith(g, i) and (not anchored_start or i == 0)
                    and (not anchored_end or i + len(g) == len(w))):
                phones.append(sounds)
                i += len(g)
                break
        else:
            c = w[i]
            if i > 0 and c == w[i - 1] and c not in _VOWELS:
                i += 1  # doubled consonant: one sound ("vlogging")
                continue
            if c == "c" and i + 1 < len(w) and w[i + 1] in "eiy":
                phones.append("S")
            elif c == "e" and i == len(w) - 1 and len(w) > 2:
                pass  # a final e is mostly silent
            elif magic and i == len(w) - 2 and c in _LONG:
                phones.append(_LONG[c])
            else:
                phones.append(_LETTERS[c])
            i += 1
    return " ".join(phones)


class Pronouncer:
    """Pronunciations: the dictionary's (`lookup(word) -> phones or None`), else built from
    dictionary words and letter-to-sound rules. Remembers what it built."""

    def __init__(self, lookup: Callable[[str], str | None]):
        self._lookup = lookup
        self._made: dict[str, str | None] = {}

    def known(self, word: str) -> bool:
        return self._lookup(word) is not None

    def phones(self, word: str) -> str | None:
        """Phones of a lower-case word, or None when it has no Latin letters to sound out."""
        found = self._lookup(word)
        if found is not None:
            return found
        if word not in self._made:
            self._made[word] = self._build(word)
        return self._made[word]

    def _build(self, word: str) -> str | None:
        letters = "".join(c for c in word if c.isascii() and (c.isalpha() or c == "'"))
        plain = letters.replace("'", "")
        if not plain:
            return None
        if letters != word:
            found = self._lookup(letters)
            if found is not None:
                return found
        return " ".join(p for p in self._pieces(plain) if p)

    def _pieces(self, w: str) -> list[str]:
        """Cheapest cover of `w` by dictionary words (three letters or more) and runs spelled by rule:
        a dictionary piece costs 1, a spelled run 2 plus a little per letter, so whole words win."""
        n = len(w)
        best: list[tuple[float, int, bool]] = [(0.0, 0, False)] + [(float("inf"), 0, False)] * n
        for end in range(1, n + 1):
            for start in range(max(0, end - 20), end):
                piece = w[start:end]
                if len(piece) >= 3 and self._lookup(piece) is not None:
                    cost = best[start][0] + 1.0
                    if cost < best[end][0]:
                        best[end] = (cost, start, True)
                cost = best[start][0] + 2.0 + 0.25 * len(piece)
                if cost < best[end][0]:
                    best[end] = (cost, start, False)
        pieces: list[str] = []
        end = n
        while end > 0:
            _, start, in_dict = best[end]
            piece = w[start:end]
            pieces.append(self._lookup(piece) if in_dict else letters_to_sounds(piece))
            end = start
        return pieces[::-1]
