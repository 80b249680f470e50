"""`studio library KIND`: the rows each catalogue lists as plain data, and the import of a user's own
sound (shared by the command line and the window).

Importing a sound decodes media, which the library layer (below studio.media) may not do, so the
import lives here, above both: studio.media probes and decodes the file, studio.library.beats
measures its tempo and beats, studio.library.sounds stores it."""
from __future__ import annotations

import shutil
from dataclasses import asdict
from pathlib import Path

# Audio files kept as they are (no second lossy encode). Anything else (a video's sound, an
# audio-only .mkv or .webm, a file without a known suffix) goes into an .m4a: its packets copied
# when the codec fits MP4, else encoded to AAC.
KEPT_AUDIO_SUFFIXES = frozenset({".mp3", ".m4a", ".aac", ".ogg", ".oga", ".opus", ".flac", ".wav"})
STORE_RATE = 48000
STORE_BITRATE = 192_000
ANALYSIS_RATE = 22050  # the kept copy is decoded at the beat tracker's rate
MIN_SOUND_SECONDS = 0.1
SILENCE_PEAK = 10 ** (-80 / 20)


def list_library(kind: str) -> list[dict]:
    if kind == "sounds":
        from studio.library.sounds import list_sounds
        return [{"id": s.id, "title": s.title, "kind": s.kind, "duration": s.duration, "bpm": s.bpm,
                 "mood": s.mood, "artist": s.artist, "licence": s.licence, "tags": list(s.tags),
                 "beats": len(s.beats), "origin": s.origin, "file": str(s.path)} for s in list_sounds()]
    if kind == "stickers":
        from studio.library.stickers import list_stickers
        return [{"id": s.id, "title": s.title, "category": s.category, "animated": s.animated,
                 "frames": s.frame_count, "alpha": True, "file": str(s.path),
                 "anchor": asdict(s.anchor) if s.anchor else None} for s in list_stickers()]
    if kind == "styles":
        from studio.library.styles import list_styles
        return [{"id": s.id, "title": s.title, "font": s.font_path.name, "size": s.font_size} for s in list_styles()]
    if kind == "looks":
        from studio.library.looks import list_looks
        return [{"id": look.id, "title": look.title, "file": str(look.path)} for look in list_looks()]
    if kind == "effects":
        from studio.effects.registry import default_registry
        rows = []
        for effect in default_registry().list():
            rows.append({"id": effect.id, "title": effect.title, "category": effect.category,
                         "needs": sorted(effect.needs),
                         "params": [{"name": p.name, "type": p.type, "default": p.default, "min": p.min,
                                     "max": p.max, "choices": list(p.choices)} for p in effect.params]})
        return rows
    raise ValueError(kind)


def clock(seconds: float) -> str:
    """m:ss, as a sound's length is shown."""
    whole = int(round(seconds))
    return f"{whole // 60}:{whole % 60:02d}"


def _tags(path: Path) -> dict[str, str]:
    """The file's title and artist tags (container and audio stream, as Ogg keeps them there),
    one line each; empty when there are none or they cannot be read."""
    from studio.media.errors import MediaError
    from studio.media.tags import read_tags

    found: dict[str, str] = {}
    try:
        tags = read_tags(path)
    except MediaError:
        return found
    for meta in (tags.container, tags.audio):
        for key, value in meta.items():
            key = key.lower()
            if key in ("title", "artist") and key not in found:
                text = " ".join(str(value).split())[:120]
                if text and text.isprintable():
                    found[key] = text
    return found


def import_sound(path: str | Path, name: str | None = None, replace: bool = False, keep_both: bool = False):
    """Add an audio or video file to the user's sounds: its audio is kept in the user data folder
    (an audio file copied as it is, a video's sound copied out of it, or encoded to AAC where
    its codec cannot go in an .m4a), so the sound plays when the original moves; the kept copy is
    decoded to measure its tempo and beats. A video's sound is credited as an original sound.
    Returns the new Sound (id 'my_<name>', `name` defaulting to the file's); a bad file raises
    MediaError or LibraryError with one line naming it, and leaves nothing behind. A name already
    taken is refused, replaced with `replace`, or with `keep_both` (the window's drops) the file's
    name gets _2, _3, ..."""
    import numpy as np

    from studio.library import sounds as lib
    from studio.library.beats import track_beats
    from studio.library.errors import LibraryError
    from studio.media.audio import load_audio
    from studio.media.audio_files import copy_audio_to_m4a, write_m4a
    from studio.media.errors import MediaError, MediaWriteError
    from studio.media.probe import probe

    source = Path(path)
    stem = lib.free_user_sound_stem(source) if keep_both and name is None else lib.user_sound_stem(name, source)
    lib.check_user_sound_free(stem, replace)
    limit = lib.MAX_SOUND_SECONDS
    info = probe(source)  # missing, empty, not media, truncated: one line
    if info.kind == "image":
        raise MediaError(source, "is a picture; a sound comes from an audio or video file")
    if not info.has_audio:
        raise MediaError(source, "is a video with no audio track; there is no sound to import")
    too_long = f"is too long for a sound ({{}}; at most {clock(limit)})"
    if info.duration > limit + 0.5:
        raise MediaError(source, too_long.format(clock(info.duration)))
    keep = info.kind == "audio" and source.suffix.lower() in KEPT_AUDIO_SUFFIXES
    tags = _tags(source)
    if info.kind == "audio":
        origin, title = "audio", name or tags.get("title") or source.stem
    else:  # TikTok's convention for the sound of a video
        origin, title = "video", f"{lib.ORIGINAL_SOUND} - {name or source.stem}"
    artist = tags.get("artist") or "unknown"

    final = part = None
    try:
        final = lib.user_audio_target(stem, source.suffix if keep else ".m4a")
        part = final.with_name(f".{final.name}.part")  # hidden until the sound is complete
        if keep:
            shutil.copyfile(source, part)
        elif not copy_audio_to_m4a(source, part):  # a video's sound copied out as it is, else encoded
            # decode at most a little past the limit: a file whose header understates its
            # length cannot fill the memory
            write_m4a(load_audio(source, STORE_RATE, duration=limit + 1.0, pad=False), STORE_RATE, part,
                      STORE_BITRATE)
        try:
            samples = load_audio(part, ANALYSIS_RATE, duration=limit + 1.0, pad=False)
        except MediaError as exc:  # say it of the user's file, not of the copy
            raise MediaError(source, exc.problem) from None
        seconds = len(samples) / ANALYSIS_RATE
        if seconds > limit + 0.5:
            raise MediaError(source, too_long.format(f"over {clock(limit)}"))
        if seconds < MIN_SOUND_SECONDS:
            raise MediaError(source, f"its audio is too short ({seconds * 1000:.0f} ms)")
        if float(np.max(np.abs(samples))) < SILENCE_PEAK:
            raise MediaError(source, "its audio is silent")
        track = track_beats(samples, ANALYSIS_RATE)
        del samples
        part.rename(final)
        return lib.save_user_sound(stem, final, title=title, artist=artist, origin=origin,
                                   source_name=source.name, duration=seconds, bpm=track.bpm, beats=track.beats,
                                   replace=replace)
    except BaseException as exc:
        for leftover in (part, final):
            if leftover is not None:
                leftover.unlink(missing_ok=True)
        if isinstance(exc, (OSError, MediaWriteError)) and not isinstance(exc, FileExistsError):
            # a full or read-only disk, a quota
            reason = (exc.reason if isinstance(exc, MediaWriteError) else getattr(exc, "strerror", None) or str(exc)) \
                or type(exc).__name__
            raise LibraryError(f"{source.name}: cannot keep a copy in {lib.user_sounds_dir()} ({reason})") from None
        raise
