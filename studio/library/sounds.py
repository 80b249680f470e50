"""Sound library: built-in music beds and sound effects (assets/sounds, made by
tools/gen_sounds, CC0), then the user's own sounds.

The manifest assets/sounds/library.json lists every sound with its duration,
tempo and beat grid (seconds) so the editor can snap cuts to the music without
analysing audio. The manifest is read on every call (it is small); callers
that want to hold on to it use `SoundLibrary`.

User sounds live in the user data folder (studio.library.userdata), one
`<name>.json` per sound (the same fields as a manifest entry, its beat grid
measured by studio.library.beats when it was imported) next to its audio file,
with ids 'my_<name>'. Decoding the file a user brings is the media layer's
work, which sits above this one: `studio.library_listing.import_sound` does it
and hands the result to `save_user_sound` here.
"""

from __future__ import annotations

import json
import os
import re
import uuid
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
    # where it came from: "library" (built in), "audio" (a user's audio file), "video" (the sound
    # of a user's video: credited as an original sound)
    origin: str = "library"
    source_name: str = ""  # the name of the file a user sound was imported from

    @property
    def user(self) -> bool:
        return self.origin != "library"


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
        origin=str(entry.get("origin", "library")), source_name=str(entry.get("source_name", "")),
    )


class SoundLibrary:
    """The sounds under `root` (a folder holding library.json), then the user's own sounds (those
    in `user_root`; by default the user data folder's, when `root` is the built-in library).
    User sounds are looked at again whenever their folder changed, so every holder of a
    SoundLibrary sees a sound imported after it was made."""

    def __init__(self, root: Path | None = None, user_root: Path | None = None) -> None:
        self.root = Path(root) if root is not None else assets_dir() / "sounds"
        self.manifest_path = self.root / "library.json"
        self._builtin = self._load()
        if user_root is None and root is None:
            user_root = user_sounds_dir()
        self.user_root = Path(user_root) if user_root is not None else None
        self._user_key: object = None
        self._user: list[Sound] = []

    @property
    def _sounds(self) -> list[Sound]:
        if self.user_root is None:
            return self._builtin
        key = _folder_key(self.user_root)
        if key != self._user_key:
            taken = {s.id for s in self._builtin}
            self._user = [s for s in _load_user_sounds(self.user_root) if s.id not in taken]
            self._user_key = key
        return self._builtin + self._user

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


# ------------------------------------------------------------------ the user's own sounds

USER_PREFIX = "my_"
MAX_NAME = 64  # characters of an imported sound's name
MAX_SOUND_SECONDS = 600.0  # longer files are refused: a short's sound, not an album
USER_LICENCE = "user media"
ORIGINAL_SOUND = "original sound"  # TikTok's credit for the sound of a video
USER_ORIGINS = ("audio", "video")


def user_sounds_dir() -> Path:
    from .userdata import user_data_dir

    return user_data_dir() / "sounds"


def _folder_key(folder: Path) -> object:
    """What changes when a user sound is added, replaced or removed (names, sizes and times of the
    .json files): a directory listing, microseconds for a small folder."""
    try:
        with os.scandir(folder) as entries:
            return frozenset((e.name, e.stat().st_mtime_ns, e.stat().st_size) for e in entries
                             if e.name.endswith(".json") and not e.name.startswith("."))
    except OSError:
        return None


def _load_user_sounds(folder: Path) -> list[Sound]:
    """The user sounds in `folder`, by name. A file that is not a readable sound (hand-edited,
    half-copied, its audio deleted) is left out rather than breaking the library."""
    sounds = []
    for meta in sorted(folder.glob("*.json")):
        if meta.name.startswith("."):
            continue
        try:
            entry = json.loads(meta.read_text(encoding="utf-8"))
            audio = str(entry["file"])
            if Path(audio).name != audio or not (folder / audio).is_file():
                continue  # the audio must sit in the folder itself
            sound = _sound_from_entry(entry, folder)
        except (OSError, ValueError, KeyError, TypeError):
            continue
        if sound.id == f"{USER_PREFIX}{meta.stem}" and sound.origin in USER_ORIGINS:
            sounds.append(sound)
    return sounds


def user_sound_stem(name: str | None, source: Path) -> str:
    """The file stem (and id after 'my_') of a sound imported from `source`; a given name must be
    1..MAX_NAME letters, digits, spaces, '-' or '_'."""
    if name is not None:
        if len(name) > MAX_NAME:
            raise LibraryError(f"sound name is {len(name)} characters long; use at most {MAX_NAME}")
        if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9 _-]*", name):
            raise LibraryError("sound name: use ASCII letters, digits, spaces, '-' and '_', "
                               "starting with a letter or digit")
    stem = re.sub(r"[^a-z0-9_]+", "_", (name or source.stem).lower()).strip("_") or "sound"
    if len(stem) > MAX_NAME:
        raise LibraryError(f"{source.name[:40]}...: file name too long for a sound name ({len(stem)} characters, "
                           f"at most {MAX_NAME}); give a shorter one with --name")
    return stem


def check_user_sound_free(stem: str, replace: bool) -> None:
    """Refuse to import over an existing user sound unless `replace`."""
    if not replace and (user_sounds_dir() / f"{stem}.json").exists():
        raise LibraryError(f"a sound named '{USER_PREFIX}{stem}' already exists; use --replace to overwrite it "
                           f"or --name to choose another name")


def free_user_sound_stem(source: Path) -> str:
    """A name for a sound imported from `source` that no user sound has yet: the file's, else the
    file's with _2, _3, ... (the window imports a dropped file without asking for a name)."""
    stem = user_sound_stem(None, source)
    folder = user_sounds_dir()
    candidate, n = stem, 1
    while (folder / f"{candidate}.json").exists():
        n += 1
        candidate = f"{stem[:MAX_NAME - 1 - len(str(n))]}_{n}"
    return candidate


def user_audio_target(stem: str, suffix: str) -> Path:
    """A fresh path in the user sounds folder for the audio of sound `stem` (created folder; the
    file name is new on every import, so replacing a sound never touches the audio it had)."""
    folder = user_sounds_dir()
    folder.mkdir(parents=True, exist_ok=True)
    suffix = suffix.lower() if re.fullmatch(r"\.[A-Za-z0-9]{1,5}", suffix) else ".audio"
    return folder / f"{stem}.{uuid.uuid4().hex[:10]}{suffix}"


def _publish(tmp: Path, target: Path, replace: bool) -> None:
    if replace:
        os.replace(tmp, target)
        return
    try:
        os.link(tmp, target)  # atomic and exclusive: fails if another import took the name meanwhile
    except FileExistsError:
        raise
    except OSError:  # a file system without hard links
        if target.exists():
            raise FileExistsError(str(target)) from None
        os.replace(tmp, target)


def save_user_sound(stem: str, audio: Path, *, title: str, artist: str, origin: str, source_name: str,
                    duration: float, bpm: float | None, beats: tuple[float, ...] | list[float],
                    replace: bool = False) -> Sound:
    """Record a user sound whose audio is already at `audio` (from `user_audio_target`). The .json
    is written to a temporary name and renamed: a sound is listed whole or not at all. With
    `replace`, the sound of that name before is replaced and its audio removed."""
    if origin not in USER_ORIGINS:
        raise ValueError(f"origin must be one of {USER_ORIGINS}, not {origin!r}")
    folder = user_sounds_dir()
    if audio.parent != folder:
        raise ValueError(f"{audio}: the audio must be in {folder}")
    target = folder / f"{stem}.json"
    old_audio = None
    if target.exists() and replace:
        try:
            old_audio = folder / Path(str(json.loads(target.read_text(encoding="utf-8"))["file"])).name
        except (OSError, ValueError, KeyError, TypeError):
            old_audio = None
    music = bpm is not None or duration >= 10.0
    tags = ["my sounds", "imported"] + ([ORIGINAL_SOUND] if origin == "video" else [])
    entry = {
        "id": f"{USER_PREFIX}{stem}", "title": title, "artist": artist, "licence": USER_LICENCE,
        "kind": "music" if music else "effect", "file": audio.name, "duration": round(float(duration), 3),
        "bpm": None if bpm is None else round(float(bpm), 2), "beats": [round(float(b), 3) for b in beats],
        "mood": "", "tags": tags, "origin": origin, "source_name": source_name,
    }
    tmp = folder / f".{stem}.json.{os.getpid()}.{uuid.uuid4().hex[:6]}.tmp"
    try:
        tmp.write_text(json.dumps(entry, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        _publish(tmp, target, replace)
    except FileExistsError:
        audio.unlink(missing_ok=True)
        check_user_sound_free(stem, replace)  # says so
        raise
    except OSError:
        audio.unlink(missing_ok=True)
        raise
    finally:
        tmp.unlink(missing_ok=True)
    if old_audio is not None and old_audio != audio and old_audio.is_file():
        old_audio.unlink(missing_ok=True)
    return _sound_from_entry(entry, folder)


def list_sounds(kind: str | None = None) -> list[Sound]:
    return SoundLibrary().list(kind)


def get_sound(sound_id: str) -> Sound:
    return SoundLibrary().get(sound_id)


def search_sounds(query: str) -> list[Sound]:
    return SoundLibrary().search(query)
