"""Pure project data: timeline, items, exact time, edits and project files. Standard library only."""
from .errors import EditError, ProjectError
from .fields import Field, ItemKind
from .items import (ANIMATIONS, FIT_MODES, Clip, EffectRef, Item, Keyframe, SoundItem, StickerItem, TextItem, WordTime,
                    is_library_ref)
from .kinds import item_kinds, kind_of, register_kind, unregister_kind
from .serialize import load_project, project_from_dict, project_to_dict, save_project
from .time import DEFAULT_FPS, as_fraction, frames_to_seconds, seconds_to_frames, timecode
from .timeline import Marker, Metadata, Project, Timeline, Track
from .upgrade import CURRENT_VERSION

__all__ = [
    "ANIMATIONS", "CURRENT_VERSION", "DEFAULT_FPS", "FIT_MODES", "Clip", "EditError", "EffectRef", "Field", "Item",
    "ItemKind", "Keyframe", "Metadata", "Project", "ProjectError", "SoundItem", "StickerItem", "TextItem", "Timeline",
    "Track", "as_fraction", "frames_to_seconds", "is_library_ref", "item_kinds", "kind_of", "load_project",
    "project_from_dict", "project_to_dict", "register_kind", "save_project", "seconds_to_frames", "timecode",
    "unregister_kind", "WordTime", "Marker",
]
