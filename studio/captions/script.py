"""A creator's script as caption words: what is shown (as written) and what is said.

"I tried 3 new apps—wow 🔥 #fyp" shows seven words but is said as "i tried three new apps wow":
each written word keeps its punctuation for the caption and gets its spoken form (numbers, symbols
and hyphenated words spelled out as the words a speaker says) for the aligner. Marks that are not
said (emoji, dashes, hashtags) ride along with the word before them.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

_ONES = ("zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
         "sixteen seventeen eighteen nineteen").split()
_TENS = "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()
_ORDINAL = {"one": "first", "two": "second", "three": "third", "five": "fifth", "eight": "eighth",
            "nine": "ninth", "twelve": "twelfth"}
_SYMBOLS = {"&": "and", "+": "plus", "=": "equals", "@": "at", "%": "percent", "$": "dollars", "€": "euros",
            "£": "pounds", "°": "degrees"}
_QUOTES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "`": "'", "“": '"', "”": '"', "„": '"'})
_NUMBER = re.compile(r"^(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?(st|nd|rd|th|s|k|m)?$", re.IGNORECASE)


@dataclass(frozen=True)
class ScriptToken:
    text: str                  # as written, with its punctuation and any unsaid marks after it
    spoken: tuple[str, ...]    # what is said: lower-case words ("3rd" -> ("third",)); () if nothing


def number_words(n: int) -> list[str]:
    """Cardinal number in words: 21 -> twenty one, 1200 -> one thousand two hundred."""
    if n < 20:
        return [_ONES[n]]
    if n < 100:
        tens, ones = divmod(n, 10)
        return [_TENS[tens]] + ([_ONES[ones]] if ones else [])
    if n < 1000:
        hundreds, rest = divmod(n, 100)
        return [_ONES[hundreds], "hundred"] + (number_words(rest) if rest else [])
    for size, name in ((10**9, "billion"), (10**6, "million"), (1000, "thousand")):
        if n >= size:
            high, rest = divmod(n, size)
            return number_words(high) + [name] + (number_words(rest) if rest else [])
    raise AssertionError(n)


def _year_words(n: int) -> list[str] | None:
    """1999 -> nineteen ninety nine, 2024 -> twenty twenty four (how years are said)."""
    if 1100 <= n <= 2099 and not 2000 <= n <= 2009 and n % 1000 >= 10:
        high, low = divmod(n, 100)
        if low == 0:
            return number_words(high) + ["hundred"]
        return number_words(high) + (["oh"] if low < 10 else []) + number_words(low)
    return None


def _ordinal(words: list[str]) -> list[str]:
    last = words[-1]
    if last in _ORDINAL:
        last = _ORDINAL[last]
    elif last.endswith("y"):
        last = last[:-1] + "ieth"
    else:
        last = last + "th"
    return words[:-1] + [last]


def spoken_number(text: str) -> list[str] | None:
    """How a written number is said, or None when `text` is not one: 3 -> three, 2nd -> second,
    3.5 -> three point five, 10,000 -> ten thousand, 2024 -> twenty twenty four, 90s -> nineties,
    10k -> ten k."""
    m = _NUMBER.match(text)
    if not m:
        return None
    whole, decimals, suffix = m.group(1).replace(",", ""), m.group(2), (m.group(3) or "").lower()
    if len(whole) > 12:
        return [_ONES[int(d)] for d in whole]  # a long digit string is read digit by digit
    n = int(whole)
    words = (_year_words(n) if not decimals and "," not in m.group(1) and suffix in ("", "s") else None) \
        or number_words(n)
    if decimals:
        words = words + ["point"] + [_ONES[int(d)] for d in decimals]
    if suffix in ("st", "nd", "rd", "th"):
        words = _ordinal(words)
    elif suffix == "s":  # the 90s, 1990s
        words = words[:-1] + [words[-1][:-1] + "ies" if words[-1].endswith("y") else words[-1] + "s"]
    elif suffix in ("k", "m"):
        words = words + [suffix]
    return words


def _ascii_letters(part: str) -> str:
    """Accents dropped (café -> cafe), letters and apostrophes kept, lower case."""
    plain = unicodedata.normalize("NFKD", part)
    plain = "".join(c for c in plain if not unicodedata.combining(c))
    return re.sub(r"[^a-z']", "", plain.lower()).strip("'")


def _spoken_part(part: str) -> list[str]:
    """The said words of one piece of a written word (no spaces, hyphens or slashes in it)."""
    if not part:
        return []
    lead = [_SYMBOLS[c] for c in part[:1] if c in "$€£"]
    core = part.lstrip("$€£")
    trail = []
    while core and core[-1] in "%°":
        trail.insert(0, _SYMBOLS[core[-1]])
        core = core[:-1]
    core = core.strip(".,;:!?\"()[]{}<>…*_~'")
    if not core:
        return [w for w in lead + trail]
    number = spoken_number(core)
    if number is not None:
        return number + trail + lead  # $5 is said "five dollars"
    if core in _SYMBOLS:
        return [_SYMBOLS[core]]
    if re.fullmatch(r"[A-Za-z]+\d+|\d+[A-Za-z]+", core):  # "iphone15", "4k": letters and digits apart
        pieces = re.findall(r"[A-Za-z]+|\d+", core)
        return [w for p in pieces for w in _spoken_part(p)] + trail
    letters = _ascii_letters(core)
    if letters:
        return lead + [letters] + trail
    if any(unicodedata.category(c).startswith("L") for c in core):
        # a word in another script: said, but not something the English dictionary can spell;
        # the aligner gives it the time between its neighbours
        return lead + [core.lower()] + trail
    return lead + trail


def spoken_words(written: str) -> tuple[str, ...]:
    """What a speaker says for one written word ("well-known," -> ("well", "known"))."""
    written = unicodedata.normalize("NFC", written).translate(_QUOTES)
    if written.startswith(("#", "@")) and len(written) > 1:
        return ()  # hashtags and handles are written for the feed, rarely said
    parts = re.split(r"[-/–—]+", written)
    return tuple(w for part in parts for w in _spoken_part(part))


def tokenize(script: str) -> list[ScriptToken]:
    """Written words with their spoken forms; a written word that says nothing (an emoji, a dash, a
    hashtag) is joined to the word before it (or after it, at the start)."""
    tokens: list[ScriptToken] = []
    pending = ""  # unsaid marks before the first said word
    for written in unicodedata.normalize("NFC", script).split():
        spoken = spoken_words(written)
        if spoken:
            tokens.append(ScriptToken(f"{pending} {written}".strip(), spoken))
            pending = ""
        elif tokens:
            last = tokens[-1]
            tokens[-1] = ScriptToken(f"{last.text} {written}", last.spoken)
        else:
            pending = f"{pending} {written}".strip()
    if pending and tokens:  # only possible when nothing was said at all
        tokens[-1] = ScriptToken(f"{tokens[-1].text} {pending}", tokens[-1].spoken)
    return tokens


_CLAUSE_END = (".", "!", "?", "…", ",", ";", ":")


def ends_clause(written: str) -> bool:
    """A written word ending in . ! ? , ; : (after closing quotes, and before any emoji or hashtag
    riding along: "home! 🔥"): a caption line ends there, and a speaker may pause."""
    said = [p for p in written.split() if any(c.isalnum() for c in p) and not p.startswith("#")]
    return bool(said) and said[-1].rstrip("\"'”’)]»").endswith(_CLAUSE_END)
