"""Campaign variants: one project, many versions of it, each a row of a table (CSV or JSON).

Columns (every one but `name` optional; an empty cell keeps what the project has):

    name        the variant's name, used in output names (PROJECT-VARIANT-PRESET.mp4)
    hook        new content of the opening text (the earliest text that is not a caption)
    text:ID     new content of the text item ID (a template's text slots keep their slot ids)
    caption     the post's caption (may carry #hashtags, as in the window)
    hashtags    more hashtags, separated by spaces or commas, '#' optional
    title       the video's title tag
    sound       a library sound id or an audio file: plays instead of the project's music
                (every sound item of role "sound"), or under the whole video when it has none
    look        a library look id or a .cube file, on every clip (instead of its look)
    cover       the cover's time in seconds
    captions    an .srt, .vtt or captions .json file: the Captions track replaced by its lines
    language    the language of those captions (en, de, ...): the soft subtitle track's tag

Files are found relative to the variants file. Every problem is one line naming the file, row
and column, found before anything renders (`check_variants`)."""
from __future__ import annotations

import csv
import dataclasses
import io
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

from studio.library.errors import LibraryError
from studio.model import Clip, EffectRef, Project, SoundItem, TextItem, Timeline, is_library_ref
from studio.model import edits

COLUMNS = ("name", "hook", "caption", "hashtags", "title", "sound", "look", "cover", "captions", "language")
TEXT_PREFIX = "text:"
CAPTIONS_TRACK = "Captions"  # studio.captions.timeline.TRACK_NAME
UNDER_CLIP_AUDIO_DB = -10.0  # a sound added under clips that have their own audio (as `studio quick` does)
_SAFE = re.compile(r"[^A-Za-z0-9_-]+")


class VariantError(LibraryError):
    """A variants table that cannot be used: one line naming the file, row and column."""


@dataclass(frozen=True)
class Variant:
    name: str
    hook: str | None = None
    caption: str | None = None
    hashtags: tuple[str, ...] | None = None
    title: str | None = None
    sound: str | None = None
    look: str | None = None
    cover: float | None = None
    captions: str | None = None
    language: str | None = None
    texts: tuple[tuple[str, str], ...] = ()  # (text item id, content)
    row: int = 0           # where it came from, for messages (1: the first row under the header)
    source: str = ""       # the file's name

    @property
    def slug(self) -> str:
        return slug(self.name)

    def where(self, column: str) -> str:
        place = f"{self.source}: " if self.source else ""
        return f"{place}row {self.row} ({self.name!r}), column '{column}'"

    def to_row(self) -> dict[str, str]:
        """The variant as a table row (strings; '' for what it leaves as is)."""
        row = {"name": self.name, "hook": self.hook or "", "caption": self.caption or "",
               "hashtags": " ".join(f"#{t}" for t in self.hashtags) if self.hashtags else "",
               "title": self.title or "", "sound": self.sound or "", "look": self.look or "",
               "cover": "" if self.cover is None else f"{self.cover:g}", "captions": self.captions or "",
               "language": self.language or ""}
        row.update({f"{TEXT_PREFIX}{item}": text for item, text in self.texts})
        return row


def slug(name: str) -> str:
    return _SAFE.sub("_", name.strip()).strip("_") or "variant"


# ------------------------------------------------------------------ reading and writing tables

def read_variants(path: str | os.PathLike) -> list[Variant]:
    """A .csv (header row, one variant a row) or .json (a list of objects with the same keys, or
    {"variants": [...]}) file. Relative file names in it are made absolute against its folder."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise VariantError(f"{path}: cannot read the variants file ({exc.strerror})") from None
    except UnicodeDecodeError:
        raise VariantError(f"{path.name}: not a UTF-8 text file") from None
    if path.suffix.lower() == ".json":
        try:
            data = json.loads(text)
        except ValueError as exc:
            raise VariantError(f"{path.name}: not valid JSON ({exc})") from None
        if isinstance(data, dict):
            data = data.get("variants")
        if not isinstance(data, list) or not all(isinstance(r, dict) for r in data):
            raise VariantError(f"{path.name}: give a list of variants, each an object with a 'name'")
        rows = []
        for r in data:
            flat = {k: v for k, v in r.items() if k != "texts"}
            for item, content in (r.get("texts") or {}).items():
                flat[f"{TEXT_PREFIX}{item}"] = content
            rows.append(flat)
    elif path.suffix.lower() == ".csv":
        rows = rows_from_csv(text, path.name)
    else:
        raise VariantError(f"{path.name}: variants come in a .csv or .json file")
    return variants_from_rows(rows, path.name, base=path.parent)


def rows_from_csv(text: str, source: str = "") -> list[dict[str, str]]:
    reader = csv.DictReader(io.StringIO(text))
    if not reader.fieldnames:
        raise VariantError(f"{source}: empty; the first row names the columns (name, hook, caption, ...)")
    return [row for row in reader if any((v or "").strip() for v in row.values() if isinstance(v, str))]


def variants_from_rows(rows: list[dict], source: str = "", base: Path | None = None) -> list[Variant]:
    variants: list[Variant] = []
    seen: dict[str, int] = {}
    for number, row in enumerate(rows, 1):
        where = f"{source + ': ' if source else ''}row {number}"
        if None in row:  # csv: more cells than the header has columns
            raise VariantError(f"{where}: more cells than the header has columns")
        values = {str(k).strip(): ("" if v is None else str(v)).strip() for k, v in row.items()}
        for column in values:
            if column not in COLUMNS and not (column.startswith(TEXT_PREFIX) and len(column) > len(TEXT_PREFIX)):
                raise VariantError(f"{where}, column '{column}': not a variant column (use {', '.join(COLUMNS)} "
                                   f"or text:ITEM_ID)")
        name = values.get("name", "")
        if not name:
            raise VariantError(f"{where}, column 'name': every variant needs a name")
        if slug(name) in seen:
            raise VariantError(f"{where}, column 'name': {name!r} gives the same file names as row {seen[slug(name)]}")
        seen[slug(name)] = number
        cover = None
        if values.get("cover"):
            try:
                cover = float(values["cover"])
            except ValueError:
                cover = -1.0
            if not cover >= 0:
                raise VariantError(f"{where} ({name!r}), column 'cover': {values['cover']!r} is not a time in seconds")

        def file_value(column: str) -> str | None:
            value = values.get(column) or None
            if value and base is not None and not (column in ("sound", "look") and is_library_ref(value)):
                value = str((base / value).resolve()) if not os.path.isabs(value) else value
            return value

        tags = None
        if values.get("hashtags"):
            tags = tuple(t.lstrip("#") for t in re.split(r"[\s,]+", values["hashtags"]) if t.lstrip("#"))
        variants.append(Variant(
            name=name, hook=values.get("hook") or None, caption=values.get("caption") or None, hashtags=tags,
            title=values.get("title") or None, sound=file_value("sound"), look=file_value("look"), cover=cover,
            captions=file_value("captions"), language=values.get("language") or None,
            texts=tuple((k[len(TEXT_PREFIX):].strip(), v) for k, v in values.items()
                        if k.startswith(TEXT_PREFIX) and v),
            row=number, source=source))
    if not variants:
        raise VariantError(f"{source}: no variants in it")
    return variants


def variants_csv(variants: list[Variant]) -> str:
    """The table as CSV: the known columns, then one text:ID column per item any variant sets."""
    text_columns = []
    for v in variants:
        for item, _ in v.texts:
            if f"{TEXT_PREFIX}{item}" not in text_columns:
                text_columns.append(f"{TEXT_PREFIX}{item}")
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=[*COLUMNS, *text_columns], lineterminator="\n")
    writer.writeheader()
    for v in variants:
        writer.writerow(v.to_row())
    return out.getvalue()


# ------------------------------------------------------------------ checking against a project

def opening_text(project: Project) -> TextItem | None:
    """The hook: the earliest text item that is not a caption (the topmost track first on a tie)."""
    found = [(item.start, -ti, item) for ti, track in enumerate(project.timeline.tracks)
             if track.name != CAPTIONS_TRACK for item in track.items if isinstance(item, TextItem)]
    return min(found, key=lambda f: f[:2])[2] if found else None


def check_variants(project: Project, variants: list[Variant]) -> None:
    """Every variant checked against `project` (ids, files, library names); raises VariantError
    naming the first problem's row and column."""
    from studio.library.looks import get_look
    from studio.library.sounds import get_sound

    texts = {item.id for item in project.timeline.all_items() if isinstance(item, TextItem)}
    for v in variants:
        if v.hook is not None and opening_text(project) is None:
            raise VariantError(f"{v.where('hook')}: the project has no text to replace (add a title first)")
        for item, _ in v.texts:
            if item not in texts:
                known = ", ".join(sorted(texts)) or "none"
                raise VariantError(f"{v.where(TEXT_PREFIX + item)}: no text item '{item}' in the project "
                                   f"(its texts: {known})")
        if v.sound:
            if is_library_ref(v.sound):
                try:
                    get_sound(v.sound)
                except LibraryError:
                    raise VariantError(f"{v.where('sound')}: no sound '{v.sound}' in the library "
                                       f"(see `studio library sounds`)") from None
            elif not Path(v.sound).is_file():
                raise VariantError(f"{v.where('sound')}: {v.sound}: no such file")
        if v.look:
            try:
                get_look(v.look)
            except LibraryError as exc:
                raise VariantError(f"{v.where('look')}: {exc}") from None
        if v.cover is not None and v.cover >= float(project.duration_seconds):
            raise VariantError(f"{v.where('cover')}: {v.cover:g} s is past the end of the video "
                               f"({float(project.duration_seconds):.2f} s)")
        if v.captions:
            from studio.captions.subtitles import read_subtitles

            if not Path(v.captions).is_file():
                raise VariantError(f"{v.where('captions')}: {v.captions}: no such file")
            try:
                if not read_subtitles(v.captions):
                    raise VariantError(f"{v.where('captions')}: {Path(v.captions).name}: no caption lines in it")
            except LibraryError as exc:
                raise VariantError(f"{v.where('captions')}: {exc}") from None
        if v.language and not re.fullmatch(r"[A-Za-z]{2,3}(-[A-Za-z0-9]+)?", v.language):
            raise VariantError(f"{v.where('language')}: {v.language!r} is not a language code (en, de, pt-BR)")


# ------------------------------------------------------------------ applying

def apply_variant(project: Project, v: Variant) -> Project:
    """`project` as the variant makes it (the project itself is not changed)."""
    replacements = dict(v.texts)
    if v.hook is not None:
        hook = opening_text(project)
        if hook is not None:
            replacements.setdefault(hook.id, v.hook)
    timeline = project.timeline
    if replacements:
        timeline = _map_items(timeline, lambda i: dataclasses.replace(i, content=replacements[i.id], words=())
                              if isinstance(i, TextItem) and i.id in replacements else i)
    if v.look:
        timeline = _map_items(timeline, lambda i: _with_look(i, v.look) if isinstance(i, Clip) else i)
    if v.sound:
        timeline = _with_sound(timeline, project, v.sound)
    meta = project.metadata
    changes = {}
    if v.caption is not None:
        changes["caption"] = v.caption
    if v.hashtags is not None:
        changes["hashtags"] = v.hashtags
    if v.title is not None:
        changes["title"] = v.title
    if v.cover is not None:
        changes["cover_frame"] = min(int(round(v.cover * project.fps)), max(project.duration - 1, 0))
    project = dataclasses.replace(project, timeline=timeline, metadata=dataclasses.replace(meta, **changes))
    if v.captions:
        from studio.captions.edits import import_subtitles

        project = import_subtitles(project, v.captions)
    return project


def _map_items(timeline: Timeline, fn) -> Timeline:
    return Timeline(tuple(dataclasses.replace(t, items=tuple(fn(i) for i in t.items)) for t in timeline.tracks))


def _with_look(clip: Clip, look: str) -> Clip:
    kept = tuple(e for e in clip.effects if e.id != "look")
    old = next((e for e in clip.effects if e.id == "look"), None)
    params = {**(old.params if old else {"intensity": 1.0}), "name": look}
    return dataclasses.replace(clip, effects=(*kept, EffectRef("look", params)))


def _with_sound(timeline: Timeline, project: Project, sound: str) -> Timeline:
    music = [i for i in timeline.all_items() if isinstance(i, SoundItem) and i.role == "sound"]
    if music:
        return _map_items(timeline, lambda i: dataclasses.replace(i, source=sound, source_in=0)
                          if isinstance(i, SoundItem) and i.role == "sound" else i)
    total = project.duration
    ids = {i.id for i in timeline.all_items()}
    n = 1
    while f"sound-{n}" in ids:
        n += 1
    clip_audio = any(isinstance(i, Clip) and i.volume > 0 for i in timeline.all_items())
    fade = min(int(project.fps), total // 4)
    return edits.add_item(timeline, SoundItem(f"sound-{n}", sound, 0, total,
                                              volume_db=UNDER_CLIP_AUDIO_DB if clip_audio else 0.0,
                                              fade_in=fade // 2, fade_out=fade))


__all__ = ["COLUMNS", "TEXT_PREFIX", "Variant", "VariantError", "apply_variant", "check_variants",
           "opening_text", "read_variants", "rows_from_csv", "slug", "variants_csv", "variants_from_rows"]
