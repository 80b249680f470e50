"""SRT and WebVTT: writing captions out, and reading real-world files back in.

Written: SRT (numbered cues, `HH:MM:SS,mmm`) and WebVTT (`WEBVTT` header, `HH:MM:SS.mmm`; with
`words=True` each word's start as an inline timestamp, `<00:00:01.200>word`, which players use
for karaoke-style captions and which `read_subtitles` reads back as word times).

Read, tolerantly: a UTF-8 byte-order mark, CRLF or CR line ends, no blank line at the end, cue
numbers missing or wrong, hours left out (`01:02.500`), a comma or a dot before the
milliseconds, cue settings after the times, VTT NOTE/STYLE/REGION blocks, styling tags
(`<i>`, `<font ...>`, `<c.red>`, `<v Name>`, `{\\an8}`) and HTML entities. A file that is not text,
a time range that does not parse or ends before it starts, or a file with no cue, is a one-line
CaptionError naming the file and the line. Written with the standard library alone: the formats
are small, and the tolerance and the error lines are ours to choose.
"""
from __future__ import annotations

import html
import json
import os
import re
import tempfile
from pathlib import Path

from .errors import CaptionError
from .lines import CaptionLine
from .words import Word

SUBTITLE_SUFFIXES = (".srt", ".vtt")
_TIME = r"(?:(\d+):)?(\d{1,2}):(\d{1,2})(?:[.,:](\d{1,3}))?"
_RANGE = re.compile(rf"^\s*{_TIME}\s*-->\s*{_TIME}(?:\s+.*)?$")
_INLINE_TIME = re.compile(rf"<{_TIME}>")
_VTT_TAGS = re.compile(r"<[^<>]*>")  # in WebVTT a "<" that is text is written &lt;: any tag is markup
# in SRT only the tags players know are markup ("3 <mics>" may be text)
_SRT_TAGS = re.compile(r"</?(?:i|b|u|s|font|c|v|span|ruby|rt|lang)(?:[\s.][^<>]*)?>|\{\\[^{}]*\}", re.IGNORECASE)
_BLOCKS = ("NOTE", "STYLE", "REGION")
_MAX_BYTES = 50 * 1024 * 1024


# ------------------------------------------------------------------ writing

def format_time(seconds: float, sep: str = ",") -> str:
    ms = max(0, int(round(seconds * 1000)))
    h, rest = divmod(ms, 3_600_000)
    m, rest = divmod(rest, 60_000)
    s, ms = divmod(rest, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}{sep}{ms:03d}"


def _cue_lines(text: str) -> list[str]:
    # a blank line would end the cue, and "-->" would read as a time range
    return [line.replace("-->", "->") for line in text.splitlines() if line.strip()] or ["…"]


def srt_text(lines: list[CaptionLine]) -> str:
    cues = []
    for n, line in enumerate(lines, start=1):
        cues.append("\n".join([str(n), f"{format_time(line.start)} --> {format_time(line.end)}",
                               *_cue_lines(line.text)]))
    return "\n\n".join(cues) + "\n"


def _vtt_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def vtt_text(lines: list[CaptionLine], words: bool = False) -> str:
    cues = ["WEBVTT"]
    for line in lines:
        text = line.text
        if words and len(line.words) > 1:
            parts = [_vtt_escape(line.words[0].text)]
            parts += [f"<{format_time(w.start, '.')}>{_vtt_escape(w.text)}" for w in line.words[1:]]
            body = [" ".join(parts)]
        else:
            body = [_vtt_escape(t) for t in _cue_lines(text)]
        cues.append("\n".join([f"{format_time(line.start, '.')} --> {format_time(line.end, '.')}", *body]))
    return "\n\n".join(cues) + "\n"


def captions_json(lines: list[CaptionLine], **extra) -> str:
    return json.dumps({**extra, "lines": [line.to_dict() for line in lines]}, indent=2, ensure_ascii=False) + "\n"


def write_text_atomically(path: Path, text: str) -> Path:
    """Write next to the target and rename: a failed write leaves no half file behind."""
    path = Path(path)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent or ".")
    except OSError as exc:
        raise CaptionError(f"{path}: cannot write here ({exc.strerror or exc})") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
            try:  # the rights the file had, else the usual ones (mkstemp makes it private)
                os.fchmod(fd, path.stat().st_mode & 0o777)
            except FileNotFoundError:
                os.fchmod(fd, 0o644)
            f.write(text)
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise CaptionError(f"{path.name}: could not be written ({exc.strerror or exc})") from None
    return path


def write_subtitles(lines: list[CaptionLine], path: str | os.PathLike, words: bool = False, **extra) -> Path:
    """Write .srt, .vtt (`words`: inline word times) or .json (lines with their words), by suffix."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".srt":
        return write_text_atomically(path, srt_text(lines))
    if suffix == ".vtt":
        return write_text_atomically(path, vtt_text(lines, words))
    if suffix == ".json":
        return write_text_atomically(path, captions_json(lines, **extra))
    raise CaptionError(f"{path.name}: captions are written as .srt, .vtt or .json")


# ------------------------------------------------------------------ reading

def _seconds(groups: tuple) -> float:
    h, m, s, frac = groups
    if int(s) >= 60 or (h is not None and int(m) >= 60):
        raise ValueError("minutes and seconds go up to 59")
    fraction = int(frac) / 10 ** len(frac) if frac else 0.0
    return int(h or 0) * 3600 + int(m) * 60 + int(s) + fraction


def _clean_text(text: str, vtt: bool = False) -> str:
    text = (_VTT_TAGS if vtt else _SRT_TAGS).sub("", text)
    return " ".join(html.unescape(text).replace("\u00a0", " ").split())


def _estimated_words(text: str, start: float, end: float) -> tuple[Word, ...]:
    """Words spread over the cue by length (a file without word times): approximate, marked so."""
    from .alignment import ESTIMATED

    parts = text.split()
    if not parts:
        return ()
    weights = [len(p) + 1 for p in parts]
    total, at, out = sum(weights), start, []
    for p, w in zip(parts, weights):
        nxt = at + (end - start) * w / total
        out.append(Word(p, round(at, 3), round(nxt, 3), ESTIMATED))
        at = nxt
    return tuple(out)


def _timed_words(raw: str, start: float, end: float) -> tuple[Word, ...] | None:
    """Words of a cue with inline timestamps (`a <00:00:01.200>b`: what lies between two times is
    one word, emoji riding along included), or None when it has none."""
    if not _INLINE_TIME.search(raw):
        return None
    pieces: list[tuple[float, str]] = []
    at, pos = start, 0
    for m in _INLINE_TIME.finditer(raw):
        pieces.append((at, raw[pos:m.start()]))
        at, pos = _seconds(m.groups()), m.end()
    pieces.append((at, raw[pos:]))
    said = [(t, _clean_text(piece, vtt=True)) for t, piece in pieces]
    said = [(t, text) for t, text in said if text]
    return tuple(Word(text, round(t, 3), round(max(t, min(nxt, end)), 3))
                 for (t, text), nxt in zip(said, [u for u, _ in said[1:]] + [end]))


def _decode(path: Path, data: bytes) -> str:
    if b"\x00" in data[:4096]:
        raise CaptionError(f"{path.name}: not a subtitle file (binary data)")
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def parse_subtitles(text: str, name: str = "captions") -> list[CaptionLine]:
    """Cues of an SRT or WebVTT text (told apart by content), in time order."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff").split("\n")
    cues: list[list] = []       # [start, end, [text lines], line number]
    vtt = lines[0].strip().startswith("WEBVTT")
    in_block = False            # inside a VTT header, NOTE, STYLE or REGION block
    after_blank = True
    for number, line in enumerate(lines, start=1):
        stripped = line.strip()
        if number == 1 and stripped.startswith("WEBVTT"):
            in_block = True
            continue
        if not stripped:
            in_block, after_blank = False, True
            continue
        if in_block:
            continue
        if after_blank and stripped.split(" ")[0] in _BLOCKS and "-->" not in stripped:
            in_block = True
            continue
        if "-->" in stripped:
            m = _RANGE.match(stripped)
            if not m:
                raise CaptionError(f"{name}: line {number}: {stripped[:60]!r} is not a time range "
                                   f"(like 00:00:01,000 --> 00:00:02,500)")
            try:
                start, end = _seconds(m.groups()[:4]), _seconds(m.groups()[4:])
            except ValueError as exc:
                raise CaptionError(f"{name}: line {number}: {stripped[:60]!r}: {exc}") from None
            if end < start:
                raise CaptionError(f"{name}: line {number}: the cue ends ({format_time(end)}) before it starts "
                                   f"({format_time(start)})")
            if cues and cues[-1][2] and not after_blank and re.fullmatch(r"\d+", cues[-1][2][-1].strip()):
                cues[-1][2].pop()  # no blank line before this cue: that number was its index
            cues.append([start, end, [], number])
            after_blank = False
            continue
        if after_blank and re.fullmatch(r"\d+", stripped) and _next_is_range(lines, number):
            continue  # a cue number (or a VTT cue id) before its time range
        if after_blank and not cues:
            if _next_is_range(lines, number):
                continue  # a VTT cue identifier
            raise CaptionError(f"{name}: line {number}: {stripped[:60]!r} comes before any time range: "
                               f"not an SRT or WebVTT file")
        if not cues:
            continue
        if after_blank and _next_is_range(lines, number):
            continue  # a cue identifier
        cues[-1][2].append(line)
        after_blank = False
    if not cues:
        raise CaptionError(f"{name}: no captions in it (no time ranges like 00:00:01,000 --> 00:00:02,500)")
    out = []
    for start, end, text_lines, _ in cues:
        raw = " ".join(text_lines)
        text = _clean_text(raw, vtt)
        if not text:
            continue  # an empty cue shows nothing
        words = (_timed_words(raw, start, end) if vtt else None) or _estimated_words(text, start, end)
        out.append(CaptionLine(text, round(start, 3), round(end, 3), words))
    if not out:
        raise CaptionError(f"{name}: its cues have no text")
    return sorted(out, key=lambda c: (c.start, c.end))


def _next_is_range(lines: list[str], number: int) -> bool:
    """Is the line after line `number` (1-based) a time range?"""
    return number < len(lines) and "-->" in lines[number]


def read_subtitles(path: str | os.PathLike) -> list[CaptionLine]:
    """Caption lines of an .srt, .vtt or Studio captions .json file."""
    p = Path(path)
    try:
        if p.is_dir():
            raise CaptionError(f"{p.name}: is a folder, not a subtitle file")
        size = p.stat().st_size
        if size > _MAX_BYTES:
            raise CaptionError(f"{p.name}: too big for a subtitle file ({size // 1_000_000} MB)")
        data = p.read_bytes()
    except FileNotFoundError:
        raise CaptionError(f"{p.name}: file not found") from None
    except OSError as exc:
        raise CaptionError(f"{p.name}: cannot be read ({exc.strerror or exc})") from None
    text = _decode(p, data)
    if p.suffix.lower() == ".json":
        return _from_json(p, text)
    return parse_subtitles(text, p.name)


def _from_json(p: Path, text: str) -> list[CaptionLine]:
    try:
        data = json.loads(text)
        lines = [CaptionLine.from_dict(d) for d in (data["lines"] if isinstance(data, dict) else data)]
    except json.JSONDecodeError as exc:
        raise CaptionError(f"{p.name}: line {exc.lineno}: not valid JSON ({exc.msg})") from None
    except (KeyError, TypeError, ValueError) as exc:
        raise CaptionError(f"{p.name}: not a Studio captions file (lines with text, start, end: {exc})") from None
    for line in lines:
        if line.end < line.start:
            raise CaptionError(f"{p.name}: the line {line.text[:30]!r} ends before it starts")
    return sorted(lines, key=lambda c: (c.start, c.end))
