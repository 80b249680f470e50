"""Check everything a project refers to before spending minutes on an export: media that probes,
library items that exist, effects with valid parameters. Each problem raises a one-line error."""
from __future__ import annotations

import os

from studio.effects.chain import EffectChain
from studio.library.sounds import get_sound
from studio.library.stickers import get_sticker
from studio.library.styles import get_style
from studio.media.errors import MediaError
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
                check_complete(item.source)
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
                check_complete(item.source)
                infos[item.source] = info
        elif isinstance(item, StickerItem):
            get_sticker(item.sticker)
        elif isinstance(item, TextItem):
            get_style(item.style)
    return infos


def check_complete(path: str) -> None:
    """Refuse an MP4/MOV whose boxes claim more bytes than the file holds: a copy or download cut
    short. With the index at the front (faststart) such a file still probes and its first part
    decodes, so without this the export would quietly freeze on the last frame that arrived."""
    try:
        size = os.path.getsize(path)
        with open(path, "rb") as f:
            if f.read(8)[4:8] != b"ftyp":
                return  # not ISO BMFF; other containers are checked by probing
            pos = 0
            while size - pos >= 8:
                f.seek(pos)
                header = f.read(16)
                box = int.from_bytes(header[:4], "big")
                if box == 1 and len(header) == 16:
                    box = int.from_bytes(header[8:16], "big")
                elif box == 0:
                    return  # the last box runs to the end of the file
                if box < 8:
                    raise MediaError(path, "corrupt MP4 structure (a box of impossible size)")
                pos += box
    except OSError as exc:
        raise MediaError(path, f"cannot be read ({exc.strerror or exc})") from None
    if pos > size:
        raise MediaError(path, f"truncated: the file ends {pos - size} bytes before its data does "
                               "(an incomplete copy or download?)")
