"""How the window names things to a creator: items by what they show (“clip.mp4”, text “Hello”),
never by their internal ids, and field changes by the field's title, so undo entries, status
messages and the inspector read "Change opacity of text “Wait for it”"."""
from __future__ import annotations

from pathlib import Path

from studio.model import Clip, StickerItem, TextItem, kind_of

_SHORT = 25  # characters of a text's content shown in a name


def item_name(item) -> str:
    """How a status message or an undo title names an item: “clip.mp4”, text “Hello”, sticker “fire”."""
    if isinstance(item, Clip):
        return f"“{Path(item.source).name}”"
    if isinstance(item, TextItem):
        content = " ".join(item.content.split())
        return f"text “{content[:_SHORT - 1] + '…' if len(content) > _SHORT else content}”"
    if isinstance(item, StickerItem):
        return f"sticker “{Path(item.sticker).stem.replace('_', ' ')}”"
    source = getattr(item, "source", None)
    if source:
        return f"“{Path(source).stem}”"
    try:
        return f"the {kind_of(item).title.lower()}"  # a kind registered by a plug-in: "the shape"
    except KeyError:  # not a registered kind (no name to give)
        return "the item"


def titled_item(item) -> str:
    """The inspector's heading: the kind and the name ("Text “Wait for it”", "Clip “take.mp4”")."""
    name = item_name(item)
    if name.startswith("the "):
        return kind_of(item).title
    if name.startswith(("text ", "sticker ")):
        name = name.split(" ", 1)[1]
    return f"{kind_of(item).title} {name}"


def change_title(item, field_name: str) -> str:
    """An undo title for a change of one field: "Change opacity of text “Hi”"."""
    field = kind_of(item).field(field_name) if item is not None else None
    title = (field.title if field is not None and field.title else field_name.replace("_", " "))
    if len(title) > 1 and not title[1:2].isupper():  # "Opacity" -> "opacity", "X" stays "X"
        title = title[0].lower() + title[1:]
    return f"Change {title} of {item_name(item)}" if item is not None else f"Change {title}"
