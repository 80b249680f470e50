"""Templates to projects and back: fill a template's slots with media, swap one slot's medium,
and turn any project into a template."""
from __future__ import annotations

import dataclasses
from fractions import Fraction
from pathlib import Path
from collections.abc import Mapping, Sequence

from studio.library.errors import LibraryError
from studio.model import Clip, Project, TextItem, Timeline, is_library_ref, kind_of

from .errors import TemplateError
from .fill import check_media, fill_slot, plan_parts, replace_item, used_range, without_ken_burns
from .format import PLACEHOLDER, SlotSpec, Template, TextSlot
from .liveliness import MediaAnalyzer
from .store import (USER_PREFIX, check_user_template_free, user_template_stem, user_templates_dir,
                    write_user_template)


def _analyzer(analyzer: MediaAnalyzer | None) -> tuple[MediaAnalyzer, bool]:
    return (analyzer, False) if analyzer is not None else (MediaAnalyzer(), True)


def check_texts(template: Template, texts: Mapping[str, str] | None) -> dict[str, str]:
    """`texts` checked against the template's text slots (TemplateError naming an unknown slot)."""
    known = {t.id for t in template.texts}
    result = {}
    for slot, text in (texts or {}).items():
        if slot not in known:
            names = ", ".join(t.id for t in template.texts) or "none"
            raise TemplateError(f"template '{template.id}' has no text slot '{slot}' (its text slots: {names})")
        if not isinstance(text, str):
            raise TemplateError(f"text for '{slot}' must be text")
        problem = kind_of(TextItem).field("content").problem(text)  # the rules a text item's content obeys
        if problem:
            raise TemplateError(f"text for '{slot}' {problem}")
        result[slot] = text
    return result


def apply_template(template: Template, media_paths: Sequence[str], texts: Mapping[str, str] | None = None, *,
                   analyzer: MediaAnalyzer | None = None) -> Project:
    """A project made from `template`: each slot filled with one of `media_paths` (slot.medium picks
    which; with fewer media they cycle, and a video used again shows another part), each text slot
    in `texts` (slot id -> words) replaced; an empty text removes that text. Everything else (timing,
    effects, looks, stickers, the sound) is the template's. Slot clips keep the slot ids.
    Raises TemplateError (unknown text slot, no media) or MediaError (a file that cannot be used)."""
    texts = check_texts(template, texts)
    analyzer, own = _analyzer(analyzer)
    try:
        media = check_media(list(media_paths), analyzer)
        fps = template.project.fps
        timeline = template.project.timeline
        order = sorted(template.slots, key=lambda s: (template.slot_clip(s.id).start, s.id))
        groups: dict[str, list[SlotSpec]] = {}
        for slot in order:
            groups.setdefault(media[slot.medium % len(media)], []).append(slot)
        for source, slots in groups.items():  # a medium's slots get their parts chosen together
            clips = [template.slot_clip(s.id) for s in slots]
            for use, (clip, start) in enumerate(zip(clips, plan_parts(source, clips, fps, analyzer))):
                timeline = replace_item(timeline, fill_slot(clip, source, fps, analyzer, use=use, start=start))
        for slot, text in texts.items():
            item = timeline.get(slot)
            if text.strip():
                timeline = replace_item(timeline, dataclasses.replace(item, content=text))
            else:
                timeline = _without(timeline, slot)
    finally:
        if own:
            analyzer.close()
    return dataclasses.replace(template.project, name=template.title, timeline=timeline)


def _without(timeline: Timeline, item_id: str) -> Timeline:
    tracks = [dataclasses.replace(t, items=tuple(i for i in t.items if i.id != item_id)) for t in timeline.tracks]
    return Timeline(tuple(tracks))


def swap_slot(project: Project, slot_id_or_clip_id: str, media_path: str, *,
              analyzer: MediaAnalyzer | None = None) -> Project:
    """The project with one clip (a template slot, or any clip) showing another medium: same place,
    length, effects, fit and volume; a video's liveliest part that no other clip of the project
    shows from the same video; a photo gets the gentle zoom."""
    try:
        clip = project.timeline.get(slot_id_or_clip_id)
    except KeyError:
        raise TemplateError(f"no slot or clip '{slot_id_or_clip_id}' in the project") from None
    if not isinstance(clip, Clip):
        raise TemplateError(f"'{slot_id_or_clip_id}' is not a clip (only clips show media)")
    analyzer, own = _analyzer(analyzer)
    try:
        [source] = check_media([media_path], analyzer)
        others = [c for c in project.timeline.all_items()
                  if isinstance(c, Clip) and c.source == source and c.id != clip.id]
        avoid = tuple(used_range(c, project.fps) for c in others if c.source_frames is not None)
        new = fill_slot(clip, source, project.fps, analyzer, use=len(others), avoid=avoid)
    finally:
        if own:
            analyzer.close()
    return dataclasses.replace(project, timeline=replace_item(project.timeline, new))


def template_from_project(project: Project, template_id: str, title: str, *, origin: str = "user") -> Template:
    """`project` as a template: every clip becomes a slot ('slot-1'... in order of time, the main
    track first; clips showing the same file share a medium), every text a text slot with its
    words as the placeholder; stickers, effects (looks), sounds and timing stay as they are."""
    clips = sorted(((ti, c) for ti, t in enumerate(project.timeline.tracks) if t.kind == "video" for c in t.items),
                   key=lambda tc: (tc[0], tc[1].start))
    if not clips:
        raise TemplateError(f"project '{project.name}' has no clips to turn into slots")
    media: dict[str, int] = {}
    renamed: dict[str, str] = {}
    slots = []
    for n, (_, clip) in enumerate(clips, start=1):
        renamed[clip.id] = f"slot-{n}"
        medium = media.setdefault(clip.source, len(media))
        slots.append(SlotSpec(f"slot-{n}", f"Clip {n}", "", medium))
    taken = {i.id for i in project.timeline.all_items()} - set(renamed)
    if taken & set(renamed.values()):  # another item already carries a slot id: free it
        raise TemplateError(f"project '{project.name}': an item other than a clip is named "
                            f"'{sorted(taken & set(renamed.values()))[0]}'; rename it first")
    tracks = []
    for track in project.timeline.tracks:
        items = []
        for item in track.items:
            if isinstance(item, Clip):
                item = dataclasses.replace(item, id=renamed[item.id], source=PLACEHOLDER, source_in=0,
                                           speed=Fraction(1), source_frames=None,
                                           effects=without_ken_burns(item.effects))
            items.append(item)
        tracks.append(dataclasses.replace(track, items=tuple(items)))
    texts = tuple(TextSlot(i.id, _label(i.content)) for i in project.timeline.all_items()
                  if isinstance(i, TextItem) and i.content.strip())
    sounds = [i.source for i in project.timeline.all_items() if getattr(i, "role", "") == "sound"]
    sound = next((s for s in sounds if is_library_ref(s)), None)
    shaped = dataclasses.replace(project, timeline=Timeline(tuple(tracks)))
    return Template(id=template_id, title=title, project=shaped, slots=tuple(slots), texts=texts,
                    description=f"made from the project '{project.name}'", category="mine", sound=sound,
                    origin=origin)


def _label(content: str) -> str:
    words = " ".join(content.split())
    return words if len(words) <= 30 else words[:29] + "…"


def save_template(project: Project, name: str, *, replace: bool = False, preview: bool = True) -> Template:
    """Keep `project` as the user's template `name` (ids 'my_<name>', in the user data folder,
    beside imported looks and sounds); returns it as `get_template` will find it. Refuses an
    existing name unless `replace`. With `preview`, its animated preview is rendered beside it
    (a few seconds: the window calls this off its UI thread); a project whose preview cannot be
    rendered (a sticker file gone) is saved without one."""
    stem = user_template_stem(name)
    template = template_from_project(project, f"{USER_PREFIX}{stem}", name.strip())
    check_user_template_free(stem, replace)  # before the preview's seconds of work
    picture = user_templates_dir() / f"{stem}.webp"
    if preview:
        template = _with_preview(template, picture)
    else:
        picture.unlink(missing_ok=True)  # a replaced template's preview would show the old one
    path = write_user_template(template, stem, replace)
    return dataclasses.replace(template, path=path)


def _with_preview(template: Template, target: Path) -> Template:
    from studio.effects.errors import EffectError
    from studio.media.errors import MediaError

    from .preview import make_preview

    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        return dataclasses.replace(template, preview=make_preview(template, target))
    except (MediaError, LibraryError, EffectError):
        return template


__all__ = ["apply_template", "check_texts", "save_template", "swap_slot", "template_from_project"]
