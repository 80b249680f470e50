"""How the window shows each item kind, keyed by the kind's name (studio.model.kinds): its colour
and label on the timeline, what is drawn inside its bar, and how a library pick ("<kind>:<value>",
as the panels drag and double-click them) becomes a new item. The inspector needs nothing here:
it builds its editors from the kind's declared fields. Qt-free, so the factories stay testable."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from studio.model import Project
from studio.model.kinds import KindRegistry, kind_of

DEFAULT_COLOUR = "#555"


@dataclass(frozen=True)
class UiKind:
    name: str
    colour: str = DEFAULT_COLOUR                        # its bars on the timeline
    label: Callable[[Any], str] | None = None           # the text on its bar (default: its id)
    make: Callable[[Project, str, int], Any] | None = None  # (project, picked value, start frame) -> a new item
    strip: str = ""                                     # drawn inside its bar: "thumbnails", "waveform" or nothing

    def label_of(self, item) -> str:
        return self.label(item) if self.label is not None else item.id


def _clip_label(clip) -> str:
    label = Path(clip.source).name
    return label + f"  ×{float(clip.speed):g}" if clip.speed != 1 else label


def _builtins() -> tuple[UiKind, ...]:
    from . import item_factory

    # clips and sounds come from files and library sounds, which EditActions probes and looks up first
    return (
        UiKind("clip", "#2f6db3", _clip_label, strip="thumbnails"),
        UiKind("text", "#8a4fd8", lambda text: f"T  {text.content}",
               make=lambda project, style, start: item_factory.make_text(project, style, start)),
        UiKind("sticker", "#d9822b", lambda sticker: f"★  {Path(sticker.sticker).stem}",
               make=item_factory.make_sticker),
        UiKind("sound", "#2e9a62", lambda sound: f"♪  {Path(sound.source).stem}", strip="waveform"),
    )


UI_KINDS: KindRegistry[UiKind] = KindRegistry("window kind", _builtins)


def ui_kind(item_or_name) -> UiKind:
    """How the window shows an item (or the kind of that name); plain grey bars for an unknown kind."""
    name = item_or_name if isinstance(item_or_name, str) else kind_of(item_or_name).name
    return UI_KINDS.get(name) or UiKind(name)


def register_ui_kind(kind: UiKind) -> UiKind:
    return UI_KINDS.register(kind)


def unregister_ui_kind(name: str) -> None:
    UI_KINDS.unregister(name)
