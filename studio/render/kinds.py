"""What rendering does with each item kind, keyed by the kind's name (studio.model.kinds): how an
overlay kind becomes a sprite on the frame, how an audio-making kind is placed in the soundtrack,
what it refers to that an export checks first, and how it travels to other editors (OTIO).

The compositor, the soundtrack, the reference check and the OTIO export ask `render_kind(item)`;
none of them names an item class. A kind with nothing registered here is not drawn and not heard."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from studio.model.kinds import KindRegistry, kind_of

if TYPE_CHECKING:
    from studio.media.mix import AudioPlacement

    from .overlays import OverlayFrame, Placed
    from .soundtrack import SoundCredit
    from .validate import References


@dataclass(frozen=True)
class RenderKind:
    name: str
    # item, frames since the item's start, the frame being drawn -> a placed sprite, or None (nothing shows)
    rasterise: Callable[[Any, int, "OverlayFrame"], "Placed | None"] | None = None
    # item, project rate, probed media (path -> MediaInfo), start and length in samples -> its sound, or None
    audio: Callable[[Any, Any, dict, int, int], "AudioPlacement | None"] | None = None
    credit: Callable[[Any], "SoundCredit"] | None = None      # who made the sound it plays
    check: Callable[[Any, "References"], None] | None = None  # raise if what it refers to is missing or bad
    media_file: Callable[[Any], str] | None = None            # the media file it plays (for interchange)
    display_name: Callable[[Any], str] | None = None          # a short name in other editors
    extra_params: Callable[[Any], dict] | None = None         # more parameters for a generated item (OTIO)

    def name_of(self, item) -> str:
        if self.display_name is not None:
            return self.display_name(item)
        if self.media_file is not None:
            return Path(self.media_file(item)).name
        return item.id


def _builtins() -> tuple[RenderKind, ...]:
    # imported here, not at the top: those modules ask this registry for what they do per kind
    from . import overlays, soundtrack, validate

    return (
        RenderKind("clip", audio=soundtrack.clip_audio, check=validate.check_clip, media_file=lambda clip: clip.source),
        RenderKind("text", rasterise=overlays.rasterise_text, check=validate.check_text,
                   display_name=lambda text: text.content[:40]),
        RenderKind("sticker", rasterise=overlays.rasterise_sticker, check=validate.check_sticker,
                   display_name=lambda sticker: sticker.sticker, extra_params=_sticker_file),
        RenderKind("sound", audio=soundtrack.sound_audio, credit=soundtrack.sound_credit, check=validate.check_sound,
                   media_file=soundtrack.sound_file),
    )


def _sticker_file(item) -> dict:
    from studio.library.stickers import get_sticker

    return {"file": str(get_sticker(item.sticker).path)}


RENDER_KINDS: KindRegistry[RenderKind] = KindRegistry("render kind", _builtins)


def render_kind(item_or_name) -> RenderKind:
    """What rendering does with an item (or the kind of that name); nothing for an unknown kind."""
    name = item_or_name if isinstance(item_or_name, str) else kind_of(item_or_name).name
    return RENDER_KINDS.get(name) or RenderKind(name)


def register_render_kind(kind: RenderKind) -> RenderKind:
    return RENDER_KINDS.register(kind)


def unregister_render_kind(name: str) -> None:
    RENDER_KINDS.unregister(name)
