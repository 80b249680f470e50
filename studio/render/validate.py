"""Check everything a project refers to before spending minutes on an export: media that probes,
library items that exist, effects with valid parameters. Each problem raises a one-line error."""
from __future__ import annotations

from studio.effects.chain import EffectChain
from studio.library.sounds import get_sound
from studio.library.stickers import get_sticker
from studio.library.styles import get_style
from studio.media.probe import MediaInfo, probe
from studio.model import Clip, Project, SoundItem, StickerItem, TextItem, is_library_ref

from .errors import ExportError


def check_references(project: Project) -> dict[str, MediaInfo]:
    """Probe every media file once; returns path -> MediaInfo. Raises MediaError, LibraryError,
    EffectError or ExportError."""
    infos: dict[str, MediaInfo] = {}
    checked_effects: set[str] = set()
    if project.duration <= 0:
        raise ExportError(f"project '{project.name}' is empty: add a clip, text or sticker first")
    for item in project.timeline.all_items():
        if isinstance(item, Clip):
            if item.source not in infos:
                infos[item.source] = probe(item.source)
            if item.effects and repr(item.effects) not in checked_effects:
                EffectChain(item.effects).close()  # validates ids, params and triggers
                checked_effects.add(repr(item.effects))
        elif isinstance(item, SoundItem):
            if is_library_ref(item.source):
                get_sound(item.source)
            elif item.source not in infos:
                info = probe(item.source)
                if not info.has_audio:
                    raise ExportError(f"{item.source}: sound item '{item.id}' has no audio stream")
                infos[item.source] = info
        elif isinstance(item, StickerItem):
            get_sticker(item.sticker)
        elif isinstance(item, TextItem):
            get_style(item.style)
    return infos
