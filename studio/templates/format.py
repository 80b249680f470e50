"""What a template is, and its file format.

A template is an ordinary Studio project (the same JSON a project file holds, under "project")
whose clips are slots, plus a little about the slots and texts:

    {"schema": "studio.template", "version": 1,
     "id": "beat-montage", "title": "...", "description": "...", "category": "montage", "tags": [...],
     "sound": "neon-drive",            # library sound id, also on the project's audio track (or null)
     "cut_beats": [0, 2, 4, ...],      # beat index (in the sound's grid) of each slot boundary, or []
     "preview": "beat-montage.webp",   # animated preview beside the file (or null)
     "slots": [{"id": "slot-1", "label": "Shot 1", "hint": "...", "medium": 0}, ...],
     "texts": [{"id": "title", "label": "Title"}, ...],
     "project": {"schema": "studio.project", ...}}

- A slot is a clip of the project whose `source` is the placeholder "slot"; its start, duration,
  effects, fit and volume are the slot's. Its id ("slot-1", ...) stays the clip's id in every
  project made from the template, so a later swap knows the slot.
- `medium` says which of the creator's media fills the slot (0 = the first one given); slots
  sharing a medium get different parts of it (a reaction cuts back to the same video).
- A text slot is a text item of the project (its id is the slot's name on the command line); the
  item's content is the placeholder the creator replaces.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any

from studio.model import Clip, Project, ProjectError, TextItem, project_from_dict, project_to_dict

from .errors import TemplateError

SCHEMA = "studio.template"
VERSION = 1
PLACEHOLDER = "slot"  # the `source` of a slot's clip in a template's project
MAX_FILE_BYTES = 4 * 1024 * 1024  # a template is a small project


@dataclass(frozen=True)
class SlotSpec:
    id: str  # the clip id, in the template and in every project made from it
    label: str = ""
    hint: str = ""  # what to put there ("your messy room")
    medium: int = 0  # which of the media given fills it (0-based; fewer media cycle)


@dataclass(frozen=True)
class TextSlot:
    id: str  # the text item's id
    label: str = ""


@dataclass(frozen=True)
class Template:
    id: str
    title: str
    project: Project  # slots are clips with source PLACEHOLDER
    slots: tuple[SlotSpec, ...]
    texts: tuple[TextSlot, ...] = ()
    description: str = ""
    category: str = ""
    tags: tuple[str, ...] = ()
    sound: str | None = None
    cut_beats: tuple[int, ...] = ()
    preview: Path | None = None
    origin: str = "library"  # "library" (built in) or "user"
    path: Path | None = field(default=None, compare=False)

    @property
    def user(self) -> bool:
        return self.origin == "user"

    @property
    def fps(self) -> Fraction:
        return self.project.fps

    @property
    def duration(self) -> int:
        """Frames."""
        return self.project.duration

    @property
    def duration_seconds(self) -> float:
        return float(self.project.duration_seconds)

    @property
    def media_count(self) -> int:
        """How many different media the template asks for (fewer are repeated)."""
        return max((s.medium for s in self.slots), default=-1) + 1

    def slot_clip(self, slot_id: str) -> Clip:
        return self.project.timeline.get(slot_id)

    def placeholder(self, text_id: str) -> str:
        """The words a text slot shows until the creator replaces them."""
        return self.project.timeline.get(text_id).content

    @property
    def cut_frames(self) -> tuple[int, ...]:
        """Timeline frames where one slot ends and the next begins (the cuts), in order."""
        starts = sorted({self.slot_clip(s.id).start for s in self.slots})
        return tuple(f for f in starts if f > 0)

    def describe(self) -> dict:
        """Plain data for listings (`studio template list --json`, the window's gallery)."""
        return {
            "id": self.id, "title": self.title, "description": self.description, "category": self.category,
            "tags": list(self.tags), "origin": self.origin, "duration": round(self.duration_seconds, 3),
            "sound": self.sound, "media": self.media_count,
            "slots": [{"id": s.id, "label": s.label, "hint": s.hint, "medium": s.medium,
                       "start": self.slot_clip(s.id).start, "duration": self.slot_clip(s.id).duration}
                      for s in self.slots],
            "texts": [{"id": t.id, "label": t.label, "placeholder": self.placeholder(t.id)} for t in self.texts],
            "cuts": [round(f / float(self.fps), 4) for f in self.cut_frames],
            "preview": str(self.preview) if self.preview else None,
            "file": str(self.path) if self.path else None,
        }


# ------------------------------------------------------------------ writing

def template_to_dict(template: Template) -> dict:
    return {
        "schema": SCHEMA, "version": VERSION, "id": template.id, "title": template.title,
        "description": template.description, "category": template.category, "tags": list(template.tags),
        "sound": template.sound, "cut_beats": list(template.cut_beats),
        "preview": template.preview.name if template.preview else None,
        "slots": [{"id": s.id, "label": s.label, "hint": s.hint, "medium": s.medium} for s in template.slots],
        "texts": [{"id": t.id, "label": t.label} for t in template.texts],
        # no base folder: media paths (a user template's sticker file) are kept as they are
        "project": project_to_dict(template.project),
    }


def template_json(template: Template) -> str:
    return json.dumps(template_to_dict(template), indent=1, ensure_ascii=False) + "\n"


# ------------------------------------------------------------------ reading

def _text(data: dict, key: str, where: str, default: str | None = None) -> str:
    value = data.get(key, default)
    if not isinstance(value, str):
        raise TemplateError(f"{where}.{key}: must be text, got {value!r:.40}")
    return value


def template_from_dict(data: Any, *, origin: str = "library", path: Path | None = None) -> Template:
    """A Template from its JSON data; TemplateError naming the field when it does not hold together."""
    name = path.name if path else "template"
    if not isinstance(data, dict) or data.get("schema") != SCHEMA:
        raise TemplateError(f"{name}: not a Studio template")
    if data.get("version") != VERSION:
        raise TemplateError(f"{name}: template version {data.get('version')!r} (this Studio reads version {VERSION})")
    try:
        project = project_from_dict(data.get("project"))
    except ProjectError as exc:
        raise TemplateError(f"{name}: project.{exc}") from None
    slots, texts = [], []
    for i, entry in enumerate(data.get("slots") or []):
        where = f"{name}: slots[{i}]"
        if not isinstance(entry, dict):
            raise TemplateError(f"{where}: must be an object")
        medium = entry.get("medium", 0)
        if isinstance(medium, bool) or not isinstance(medium, int) or not 0 <= medium < 1000:
            raise TemplateError(f"{where}.medium: must be a whole number from 0, got {medium!r:.40}")
        slot = SlotSpec(_text(entry, "id", where), _text(entry, "label", where, ""), _text(entry, "hint", where, ""),
                        medium)
        try:
            clip = project.timeline.get(slot.id)
        except KeyError:
            raise TemplateError(f"{where}: no clip '{slot.id}' in the template's project") from None
        if not isinstance(clip, Clip) or clip.source != PLACEHOLDER:
            raise TemplateError(f"{where}: '{slot.id}' must be a clip with source '{PLACEHOLDER}'")
        slots.append(slot)
    ids = [s.id for s in slots]
    placeholders = [c.id for c in project.timeline.all_items() if isinstance(c, Clip) and c.source == PLACEHOLDER]
    if not slots or sorted(ids) != sorted(placeholders):
        raise TemplateError(f"{name}: every placeholder clip must be a slot, once (slots {ids}, clips {placeholders})")
    for i, entry in enumerate(data.get("texts") or []):
        where = f"{name}: texts[{i}]"
        if not isinstance(entry, dict):
            raise TemplateError(f"{where}: must be an object")
        text = TextSlot(_text(entry, "id", where), _text(entry, "label", where, ""))
        try:
            item = project.timeline.get(text.id)
        except KeyError:
            item = None
        if not isinstance(item, TextItem):
            raise TemplateError(f"{where}: no text item '{text.id}' in the template's project")
        texts.append(text)
    cut_beats = data.get("cut_beats") or []
    if not isinstance(cut_beats, list) or not all(isinstance(b, int) and not isinstance(b, bool) for b in cut_beats):
        raise TemplateError(f"{name}: cut_beats: must be a list of beat numbers")
    sound = data.get("sound")
    if sound is not None and not isinstance(sound, str):
        raise TemplateError(f"{name}: sound: must be a sound id or null")
    preview = data.get("preview")
    if preview is not None and (not isinstance(preview, str) or Path(preview).name != preview or not preview):
        raise TemplateError(f"{name}: preview: must be a file name beside the template")
    tags = data.get("tags") or []
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        raise TemplateError(f"{name}: tags: must be a list of words")
    return Template(
        id=_text(data, "id", name), title=_text(data, "title", name), project=project, slots=tuple(slots),
        texts=tuple(texts), description=_text(data, "description", name, ""),
        category=_text(data, "category", name, ""), tags=tuple(tags), sound=sound, cut_beats=tuple(cut_beats),
        preview=(path.parent / preview) if (preview and path is not None) else None, origin=origin, path=path)


def read_template_file(path: Path, *, origin: str) -> Template:
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise TemplateError(f"{path.name}: too large for a template ({size // 2**20} MB)")
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise TemplateError(f"{path.name}: no such template file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise TemplateError(f"{path.name}: cannot read the template ({exc.__class__.__name__})") from None
    except (ValueError, RecursionError) as exc:
        raise TemplateError(f"{path.name}: not valid JSON ({' '.join(str(exc).split())[:80]})") from None
    return template_from_dict(data, origin=origin, path=path)
