"""Edits of a project's Live setup (`Project.live`) as pure functions on `LiveSettings`: each returns
a new value and keeps what the project file requires (unique scene ids, an active scene that
exists, a second source for every pip/split layout), so the window's one-command-per-edit undo
can never save a setup the file reader would refuse. No Qt here: the Live panel pushes the results
through the document."""
from __future__ import annotations

import dataclasses

from .items import EffectRef
from .live_scene import LIVE_SIZES, LiveOverlay, LiveScene, LiveSettings, SecondSource

# The sizes offered, (title, (w, h)): the platforms' portrait sizes first (a phone-shaped LIVE)
SIZE_CHOICES = tuple((f"{w}×{h} {orientation}", (w, h)) for orientation in ("portrait", "landscape")
                     for w, h in LIVE_SIZES[orientation])

# A new overlay of each kind starts where creators usually put it, readable at once
OVERLAY_DEFAULTS = {
    "text": LiveOverlay("text", x=0.5, y=0.14, width=0.8, text="Welcome to my LIVE!"),
    "sticker": LiveOverlay("sticker", x=0.8, y=0.7, width=0.22, source="heart_red"),
    "image": LiveOverlay("image", x=0.84, y=0.06, width=0.2),
    "clock": LiveOverlay("clock", x=0.16, y=0.05, width=0.3, size=0.6),
    "countdown": LiveOverlay("countdown", x=0.5, y=0.24, width=0.8, text="Starting in {}", size=0.8,
                             target=20 * 3600),
}


class LiveEditError(ValueError):
    """An edit the setup cannot take (deleting its last scene); the text is shown as it is."""


def default_live() -> LiveSettings:
    """The setup of a project that has none yet: one scene, the camera alone."""
    return LiveSettings(scenes=(LiveScene("scene-1", "Camera"),), active_scene="scene-1")


def live_of(project) -> LiveSettings:
    return project.live if project.live is not None and project.live.scenes else default_live()


def _new_id(live: LiveSettings) -> str:
    ids = {s.id for s in live.scenes}
    n = len(ids) + 1
    while f"scene-{n}" in ids:
        n += 1
    return f"scene-{n}"


def _free_name(live: LiveSettings, name: str) -> str:
    names = {s.name for s in live.scenes}
    if name not in names:
        return name
    n = 2
    while f"{name} {n}" in names:
        n += 1
    return f"{name} {n}"


def add_scene(live: LiveSettings, name: str | None = None) -> tuple[LiveSettings, str]:
    scene = LiveScene(_new_id(live), _free_name(live, name or f"Scene {len(live.scenes) + 1}"))
    return dataclasses.replace(live, scenes=live.scenes + (scene,)), scene.id


def duplicate_scene(live: LiveSettings, scene_id: str) -> tuple[LiveSettings, str]:
    source = live.scene(scene_id)
    copy = dataclasses.replace(source, id=_new_id(live), name=_free_name(live, f"{source.name or source.id} copy"))
    at = [s.id for s in live.scenes].index(scene_id) + 1
    return dataclasses.replace(live, scenes=live.scenes[:at] + (copy,) + live.scenes[at:]), copy.id


def rename_scene(live: LiveSettings, scene_id: str, name: str) -> LiveSettings:
    return update_scene(live, scene_id, name=" ".join(name.split()) or live.scene(scene_id).name)


def delete_scene(live: LiveSettings, scene_id: str) -> LiveSettings:
    if len(live.scenes) <= 1:
        raise LiveEditError("a live setup needs at least one scene")
    live.scene(scene_id)  # KeyError for an unknown one
    scenes = tuple(s for s in live.scenes if s.id != scene_id)
    active = live.active_scene if live.active_scene != scene_id else scenes[0].id
    return dataclasses.replace(live, scenes=scenes, active_scene=active)


def update_scene(live: LiveSettings, scene_id: str, **changes) -> LiveSettings:
    scene = dataclasses.replace(live.scene(scene_id), **changes)
    if scene.second_source is None and scene.layout != "full":
        scene = dataclasses.replace(scene, layout="full")  # nothing to show beside the camera
    return dataclasses.replace(live, scenes=tuple(scene if s.id == scene_id else s for s in live.scenes))


def set_second_source(live: LiveSettings, scene_id: str, source: SecondSource | None) -> LiveSettings:
    """A new second source (None = none); choosing one shows it in a corner at once."""
    scene = live.scene(scene_id)
    layout = "full" if source is None else scene.layout if scene.layout != "full" else "pip"
    return update_scene(live, scene_id, second_source=source, layout=layout)


def set_effects(live: LiveSettings, scene_id: str, effect_ids: list[str], accessory: str) -> LiveSettings:
    """The scene's camera effects by id; the face sticker wears `accessory`."""
    refs = tuple(EffectRef(e, {"sticker": accessory} if e == "face_sticker" else {}) for e in effect_ids)
    return update_scene(live, scene_id, camera_effects=refs)


def accessory_of(scene: LiveScene, default: str = "ar_sunglasses") -> str:
    for ref in scene.camera_effects:
        if ref.id == "face_sticker" and ref.params.get("sticker"):
            return str(ref.params["sticker"])
    return default


def add_overlay(live: LiveSettings, scene_id: str, overlay: LiveOverlay) -> LiveSettings:
    return update_scene(live, scene_id, overlays=live.scene(scene_id).overlays + (overlay,))


def update_overlay(live: LiveSettings, scene_id: str, index: int, **changes) -> LiveSettings:
    overlays = list(live.scene(scene_id).overlays)
    overlays[index] = dataclasses.replace(overlays[index], **changes)
    return update_scene(live, scene_id, overlays=tuple(overlays))


def remove_overlay(live: LiveSettings, scene_id: str, index: int) -> LiveSettings:
    overlays = list(live.scene(scene_id).overlays)
    del overlays[index]
    return update_scene(live, scene_id, overlays=tuple(overlays))


def set_size(live: LiveSettings, size: tuple[int, int]) -> LiveSettings:
    w, h = size
    return dataclasses.replace(live, width=w, height=h, orientation="portrait" if h > w else "landscape")


def overlay_title(overlay: LiveOverlay) -> str:
    """How the overlay list names an overlay."""
    if overlay.kind == "text":
        return f"T  {overlay.text or '(empty text)'}"
    if overlay.kind == "sticker":
        return f"☺  Sticker · {overlay.source}"
    if overlay.kind == "image":
        from pathlib import Path

        return f"▣  Image · {Path(overlay.source).name or '(no file)'}"
    if overlay.kind == "clock":
        return "◷  Clock"
    return f"⏱  Countdown · {overlay.text}" if overlay.text else "⏱  Countdown"
