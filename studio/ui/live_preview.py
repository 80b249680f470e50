"""Live mode's stand-by picture: the scene as it would go out (camera → effect chain → scene
renderer with its overlays and second source), drawn at a small size and sent nowhere. It shows a
creator their setup before going live and follows each edit at once. It owns the camera until
"Go LIVE", which closes it so the live session can open the camera itself. No Qt here."""
from __future__ import annotations

from typing import Callable

import numpy as np

from studio.live.scene import SceneRenderer
from studio.live.session import scene_effects
from studio.model.live_scene import LiveScene

LONG_SIDE = 640  # px: the stand-by picture's longer side (overlays are fractions, so it looks the same)


def preview_size(size: tuple[int, int]) -> tuple[int, int]:
    w, h = size
    scale = LONG_SIDE / max(w, h)
    return (max(2, round(w * scale / 2) * 2), max(2, round(h * scale / 2) * 2))


class ScenePreview:
    """`on_frame(rgb)` on the capture session's preview thread; `on_problem(line)` when an effect
    or the second source cannot start (the preview goes on without it)."""

    def __init__(self, camera, scene: LiveScene, size: tuple[int, int],
                 on_frame: Callable[[np.ndarray], None], on_problem: Callable[[str], None]):
        from studio.capture import CaptureSession

        self.size = preview_size(size)
        self.scene = scene
        self.on_frame, self.on_problem = on_frame, on_problem
        self.renderer = SceneRenderer(scene, self.size)
        self._second = None
        self._open_second(scene)
        # the effects run on a picture about as tall as the stand-by picture: cheap, and the same look
        cw, ch = camera.size
        work = (cw, ch) if ch <= LONG_SIDE else (max(2, round(cw * LONG_SIDE / ch / 2) * 2), LONG_SIDE)
        self.capture = CaptureSession(camera, effects=scene_effects(scene), on_preview=self._compose,
                                      preview_size=work)  # no microphone: nothing is heard or sent

    def start(self) -> None:
        self.capture.start()

    def switch(self, scene: LiveScene) -> None:
        """Show `scene` (or the edited version of the one shown) from the next frame."""
        if scene == self.scene:
            return
        self.renderer.switch(scene)
        if (scene.second_source, scene.layout) != (self.scene.second_source, self.scene.layout):
            old = self._second
            self._open_second(scene)
            if old is not None:
                old.close()
        if scene_effects(scene) != scene_effects(self.scene):
            try:
                self.capture.set_effects(scene_effects(scene))
            except Exception as exc:  # e.g. MediaPipe cannot start: the camera still shows
                self.on_problem(f"effect unavailable: {' '.join(str(exc).split())}")
        self.scene = scene

    def close(self) -> None:
        self.capture.close()
        if self._second is not None:
            self._second.close()
            self._second = None

    def _open_second(self, scene: LiveScene) -> None:
        from studio.live.second_source import open_second_source

        self._second = None
        if scene.second_source is None or scene.layout == "full":
            return
        try:
            self._second = open_second_source(scene.second_source, self.size)
        except Exception as exc:  # a missing file, no such camera: said once, the scene shows without it
            self.on_problem(" ".join(str(exc).split()))

    def _compose(self, processed: np.ndarray, frame) -> None:
        second = self._second.latest() if self._second is not None else None
        self.on_frame(self.renderer.render(processed, second))
