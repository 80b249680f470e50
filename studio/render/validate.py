"""Check everything a project refers to before spending minutes on an export: media that probes,
library items that exist, effects with valid parameters. Each problem raises a one-line error.
Each item kind says what it refers to (its `check` in render.kinds); the checks of the built-in
kinds are here."""
from __future__ import annotations

from studio.effects.chain import EffectChain
from studio.library.sounds import get_sound
from studio.library.stickers import get_sticker
from studio.library.styles import get_style
from studio.media.probe import MediaInfo, probe
from studio.model import Clip, Project, SoundItem, StickerItem, TextItem, is_library_ref

from .errors import ExportError
from .kinds import render_kind


class References:
    """What the check has seen so far: each media file is probed once, each effect list built once."""

    def __init__(self):
        self.infos: dict[str, MediaInfo] = {}
        self.checked_effects: set[str] = set()

    def probe(self, path: str) -> MediaInfo:
        if path not in self.infos:
            self.infos[path] = probe(path)
        return self.infos[path]


def check_references(project: Project) -> dict[str, MediaInfo]:
    """Probe every media file once; returns path -> MediaInfo. Raises MediaError, LibraryError,
    EffectError or ExportError."""
    refs = References()
    if project.duration <= 0:
        raise ExportError(f"project '{project.name}' is empty: add a clip, text or sticker first")
    for item in project.timeline.all_items():
        check = render_kind(item).check
        if check is not None:
            check(item, refs)
    return refs.infos


def check_clip(item: Clip, refs: References) -> None:
    refs.probe(item.source)
    if item.effects and repr(item.effects) not in refs.checked_effects:
        EffectChain(item.effects).close()  # validates ids, params and triggers
        refs.checked_effects.add(repr(item.effects))
    check_effect_keys(item)


def check_effect_keys(item) -> None:
    """Keys on effect params ('beauty.smooth') name a number the effect declares animatable (the
    model checked that the item carries the effect; only the effect registry knows its params)."""
    from studio.effects.registry import default_registry

    registry = None
    for key in getattr(item, "keys", ()):
        if "." not in key.param:
            continue
        registry = registry or default_registry()
        effect_id, name = key.param.split(".", 1)
        params = {p.name: p for p in registry.get(effect_id).params}
        param = params.get(name)
        if param is None or not param.animatable or param.type != "float":
            keyable = ", ".join(p.name for p in params.values() if p.animatable and p.type == "float") or "nothing"
            raise ExportError(f"item '{item.id}': key '{key.param}' does not name a keyable param of effect "
                              f"'{effect_id}' (it keys {keyable})")


def check_sound(item: SoundItem, refs: References) -> None:
    if is_library_ref(item.source):
        get_sound(item.source)
    elif item.source not in refs.infos:
        info = probe(item.source)
        if not info.has_audio:
            raise ExportError(f"{item.source}: sound item '{item.id}' has no audio stream")
        refs.infos[item.source] = info


def check_sticker(item: StickerItem, refs: References) -> None:
    get_sticker(item.sticker)


def check_text(item: TextItem, refs: References) -> None:
    get_style(item.style)
