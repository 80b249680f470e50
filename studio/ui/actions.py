"""What the library panels, drops and menus ask for ("add this sound at the playhead"), turned into
document edits. One place, so panels stay views and every path makes the same undo step."""
from __future__ import annotations

import dataclasses
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from studio.library.sounds import SoundLibrary
from studio.media.errors import MediaError
from studio.model import Clip, EffectRef, edits

from . import item_factory
from .kinds import ui_kind

VIDEO_SUFFIXES = {".mp4", ".mov", ".mkv", ".webm", ".avi", ".m4v", ".png", ".jpg", ".jpeg", ".webp", ".bmp"}
AUDIO_SUFFIXES = {".mp3", ".wav", ".ogg", ".m4a", ".aac", ".flac", ".opus"}


class EditActions(QObject):
    status = Signal(str)
    media_imported = Signal(object)  # Path

    def __init__(self, document, parent: QObject | None = None):
        super().__init__(parent)
        self.document = document
        self.sounds = SoundLibrary()
        from .layout_actions import LayerActions

        self.layers = LayerActions(self)  # layouts, layers, transitions, green screen

    @property
    def project(self):
        return self.document.project

    def _fail(self, message: str) -> bool:
        self.status.emit(message)
        return False

    def add_media(self, path: Path, frame: int | None = None) -> bool:
        """A video/still becomes a clip (appended, or inserted at `frame`); an audio file a sound."""
        path = Path(path)
        if path.suffix.lower() in AUDIO_SUFFIXES:
            return self.add_sound_file(path, frame)
        try:
            clip = item_factory.make_clip(self.project, path)
        except (MediaError, ValueError) as exc:
            return self._fail(str(exc))
        self.media_imported.emit(path)
        if frame is None:
            return self.document.add(clip, f"Add {path.name}")
        clip = dataclasses.replace(clip, start=self._clip_boundary(frame))
        ok = self.document.edit(f"Insert {path.name}", lambda tl: edits.insert(tl, clip, 0))
        if ok:
            self.document.select([clip.id])
        return ok

    def _clip_boundary(self, frame: int) -> int:
        """Drops on the main track go to the nearest cut, so a drop never splits a clip by accident."""
        track = self.project.timeline.tracks[0]
        cuts = [0] + [i.end for i in track.items]
        return min(cuts, key=lambda c: abs(c - frame))

    def add_sound_file(self, path: Path, frame: int | None = None) -> bool:
        from studio.media.probe import probe

        try:
            info = probe(path)
        except MediaError as exc:
            return self._fail(str(exc))
        if not info.has_audio:
            return self._fail(f"{path}: has no audio")
        item = item_factory.make_sound(self.project, str(path.resolve()), info.duration, frame or 0, music=False)
        return self.document.add(item, f"Add sound {path.name}")

    def add_library_sound(self, sound_id: str, frame: int | None = None) -> bool:
        sound = self.sounds.get(sound_id)
        start = self.document.playhead if frame is None else frame
        if sound.kind == "music":
            start = 0 if frame is None else frame
        item = item_factory.make_sound(self.project, sound.id, sound.duration, start, music=sound.kind == "music")
        return self.document.add(item, f"Add sound {sound.title}")

    def add_sticker(self, sticker_id: str, frame: int | None = None) -> bool:
        return self.add_picked("sticker", sticker_id, frame)

    def add_picked(self, kind: str, value: str, frame: int | None = None) -> bool:
        """A new item of `kind` made from a library pick (its window kind's factory), at the
        playhead or `frame`; False for a kind that has no factory."""
        make = ui_kind(kind).make
        if make is None:
            return False
        start = self.document.playhead if frame is None else frame
        return self.document.add(make(self.project, value, start), f"Add {kind}")

    def add_text(self, style: str = "classic", content: str = "Your text", frame: int | None = None) -> bool:
        start = self.document.playhead if frame is None else frame
        return self.document.add(item_factory.make_text(self.project, style, start, content), "Add text")

    def target_clip(self) -> Clip | None:
        """The selected clip, else the clip under the playhead."""
        for item in self.document.selected_items():
            if isinstance(item, Clip):
                return item
        for track in self.project.timeline.tracks_of("video"):
            item = track.item_at(self.document.playhead)
            if item is not None:
                return item
        return None

    def apply_effect(self, effect_id: str, params: dict | None = None) -> bool:
        clip = self.target_clip()
        if clip is None:
            return self._fail("select a clip (or move the playhead over one) to apply an effect")
        ref = EffectRef(effect_id, dict(params or {}))
        from studio.effects.registry import default_registry

        from .layout_actions import item_name

        registry = default_registry()
        title = registry.get(effect_id).title if effect_id in registry else effect_id
        return self.document.edit(f"Add effect “{title}” to {item_name(clip)}",
                                  lambda tl: edits.set_property(tl, clip.id, "effects", (*clip.effects, ref)))

    def apply_look(self, look_id: str, intensity: float = 1.0) -> bool:
        """One look per clip: replaces the clip's look effect, or adds one."""
        clip = self.target_clip()
        if clip is None:
            return self._fail("select a clip (or move the playhead over one) to apply a look")
        ref = EffectRef("look", {"name": look_id, "intensity": intensity})
        others = [e for e in clip.effects if e.id != "look"]
        return self.document.edit(f"Look {look_id}",
                                  lambda tl: edits.set_property(tl, clip.id, "effects", (ref, *others)))

    def toggle_track(self, index: int, flag: str) -> bool:
        """Mute (audio is left out of the mix) or hide (pictures are not drawn) a whole track."""
        from studio.model import Timeline

        def run(tl):
            tracks = list(tl.tracks)
            tracks[index] = dataclasses.replace(tracks[index], **{flag: not getattr(tracks[index], flag)})
            return Timeline(tuple(tracks))

        track = self.project.timeline.tracks[index]
        verb = ("Unmute" if track.muted else "Mute") if flag == "muted" else ("Show" if track.hidden else "Hide")
        return self.document.edit(f"{verb} {track.name or track.kind}", run)

    def slot_at(self, frame: int, track: int) -> Clip | None:
        """The template slot (a clip 'slot-N') under a drop on a video track, if any."""
        tracks = self.project.timeline.tracks
        if not 0 <= track < len(tracks) or tracks[track].kind != "video":
            return None
        item = tracks[track].item_at(frame)
        return item if isinstance(item, Clip) and item.id.startswith("slot-") else None

    def swap_slot(self, slot_id: str, path: Path) -> bool:
        """Show `path` in a template slot: same place, length and effects, its liveliest part."""
        from studio.library.errors import LibraryError
        from studio.templates import swap_slot

        path = Path(path)
        try:
            project = swap_slot(self.project, slot_id, str(path))
        except (MediaError, LibraryError) as exc:
            return self._fail(str(exc))
        self.media_imported.emit(path)
        number = slot_id.removeprefix("slot-")
        ok = self.document.replace(f"Put {path.name} in slot {number}", project)
        if ok:
            self.document.select([slot_id])
        return ok

    def drop(self, payload, frame: int, track: int) -> bool:
        media = ([Path(payload.partition(":")[2])] if isinstance(payload, str) and payload.startswith("media:")
                 else payload if isinstance(payload, list) else [])
        slot = self.slot_at(frame, track) if len(media) == 1 else None
        if slot is not None and media[0].suffix.lower() in VIDEO_SUFFIXES:
            return self.swap_slot(slot.id, media[0])  # a template's slot keeps its timing
        if isinstance(payload, str):
            kind, _, value = payload.partition(":")
            if kind == "sound":
                return self.add_library_sound(value, frame)
            if kind == "media":
                return self.add_media(Path(value), frame)
            if kind == "transition":
                return self.layers.drop_transition(value, frame, track)
            return self.add_picked(kind, value, frame)  # a sticker, a text style, ...
        ok = False
        for path in payload:
            ok = self.add_media(path, frame if not ok else None) or ok
        return ok
