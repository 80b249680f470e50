"""Sound library: built-in music beds and sound effects (assets/sounds, made by
tools/gen_sounds, CC0).

The manifest assets/sounds/library.json lists every sound with its duration,
tempo and beat grid (seconds) so the editor can snap cuts to the music without
analysing audio. The manifest is read on every call (it is small); callers
that want to hold on to it use `SoundLibrary`.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from .errors import LibraryError
from .paths import assets_dir

KINDS = ("music", "effect")
# A query like "120bpm", "120 bpm" or a bare number matches tempos within this many BPM.
BPM_TOLERANCE = 5.0
_BPM_QUERY = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(?:bpm)?\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class Sound:
    id: str
    title: str
    artist: str
    licence: str
    kind: str  # "music" | "effect"
    path: Path
    duration: float  # seconds, measured from the encoded file
    bpm: float | None  # None for effects
    beats: tuple[float, ...]  # beat times in seconds from the start of the file
    mood: str
    tags: tuple[str, ...]


def _sound_from_entry(entry: dict, base: Path) -> Sound:
    kind = entry["kind"]
    if kind not in KINDS:
        raise ValueError(f"sound '{entry.get('id')}': kind must be one of {KINDS}, got {kind!r}")
    bpm = entry.get("bpm")
    return Sound(
        id=str(entry["id"]), title=str(entry["title"]), artist=str(entry["artist"]),
        licence=str(entry["licence"]), kind=kind, path=base / entry["file"],
        duration=float(entry["duration"]), bpm=None if bpm is None else float(bpm),
        beats=tuple(float(b) for b in entry.get("beats", ())), mood=str(entry.get("mood", "")),
        tags=tuple(str(t) for t in entry.get("tags", ())),
    )


class SoundLibrary:
    """The sounds under `root` (a folder holding library.json)."""

    def __init__(self, root: Path | None = None) -> None:
        self.root = Path(root) if root is not None else assets_dir() / "sounds"
        self.manifest_path = self.root / "library.json"
        self._sounds = self._load()

    def _load(self) -> list[Sound]:
        path = self.manifest_path
        try:
            entries = json.loads(path.read_text(encoding="utf-8"))["sounds"]
            sounds = [_sound_from_entry(e, self.root) for e in entries]
        except (OSError, ValueError, KeyError, TypeError) as exc:
            reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            raise LibraryError(f"{path}: cannot read sound manifest ({reason})") from None
        ids = [s.id for s in sounds]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            raise LibraryError(f"{path}: duplicate sound id '{dupes[0]}'")
        return sounds

    def list(self, kind: str | None = None) -> list[Sound]:
        if kind is not None and kind not in KINDS:
            raise LibraryError(f"unknown sound kind '{kind}' (use one of: {', '.join(KINDS)})")
        return [s for s in self._sounds if kind is None or s.kind == kind]

    def get(self, sound_id: str) -> Sound:
        for s in self._sounds:
            if s.id == sound_id:
                return s
        raise LibraryError(f"unknown sound '{sound_id}'; try `studio library sounds`")

    def search(self, query: str) -> list[Sound]:
        """Sounds whose title, id, mood or a tag contains every word of `query`
        (case-insensitive), in manifest order; a number or "NNNbpm" matches
        tempos within BPM_TOLERANCE, nearest tempo first."""
        text = query.strip().lower()
        if not text:
            return list(self._sounds)
        m = _BPM_QUERY.match(text)
        if m:
            target = float(m.group(1))
            hits = [s for s in self._sounds if s.bpm is not None and abs(s.bpm - target) <= BPM_TOLERANCE]
            return sorted(hits, key=lambda s: abs(s.bpm - target))
        words = text.split()
        hits = []
        for s in self._sounds:
            hay = " ".join((s.id, s.title, s.mood, s.kind) + s.tags).lower()
            if all(w in hay for w in words):
                hits.append(s)
        return hits


def list_sounds(kind: str | None = None) -> list[Sound]:
    return SoundLibrary().list(kind)


def get_sound(sound_id: str) -> Sound:
    return SoundLibrary().get(sound_id)


def search_sounds(query: str) -> list[Sound]:
    return SoundLibrary().search(query)
