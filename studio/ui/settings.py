"""User settings in QSettings (tests pass their own ini file): camera, microphone, output folder,
projects folder, default preset, preview quality, recent files, recovery folder."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings, QStandardPaths

MAX_RECENT = 8


def data_dir() -> Path:
    location = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.GenericDataLocation)
    return Path(location or Path.home() / ".local/share") / "studio"


class Settings:
    def __init__(self, qsettings: QSettings | None = None):
        self.q = qsettings or QSettings("Studio", "Studio")

    def _get(self, key: str, default):
        value = self.q.value(key, default)
        return default if value is None else value

    # typed accessors -------------------------------------------------------------------------
    @property
    def camera(self) -> str:
        return str(self._get("capture/camera", "0"))

    @camera.setter
    def camera(self, value: str) -> None:
        self.q.setValue("capture/camera", value)

    @property
    def microphone(self) -> str:
        return str(self._get("capture/microphone", ""))

    @microphone.setter
    def microphone(self, value: str) -> None:
        self.q.setValue("capture/microphone", value)

    @property
    def file_camera(self) -> str:
        return str(self._get("capture/file_camera", ""))

    @file_camera.setter
    def file_camera(self, value: str) -> None:
        self.q.setValue("capture/file_camera", value)

    @property
    def output_dir(self) -> Path:
        default = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.MoviesLocation) or str(Path.home())
        return Path(str(self._get("export/output_dir", default)))

    @output_dir.setter
    def output_dir(self, value) -> None:
        self.q.setValue("export/output_dir", str(value))

    @property
    def projects_dir(self) -> Path:
        """Where new projects and their takes go: a visible folder under the user's Videos."""
        videos = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.MoviesLocation) or str(Path.home())
        return Path(str(self._get("project/projects_dir", str(Path(videos) / "Studio Projects"))))

    @projects_dir.setter
    def projects_dir(self, value) -> None:
        self.q.setValue("project/projects_dir", str(value))

    @property
    def default_preset(self) -> str:
        return str(self._get("export/preset", "tiktok"))

    @default_preset.setter
    def default_preset(self, value: str) -> None:
        self.q.setValue("export/preset", value)

    @property
    def preview_quality(self) -> str:
        return str(self._get("preview/quality", "medium"))

    @preview_quality.setter
    def preview_quality(self, value: str) -> None:
        self.q.setValue("preview/quality", value)

    @property
    def recovery_dir(self) -> Path:
        return Path(str(self._get("project/recovery_dir", str(data_dir() / "recovery"))))

    @recovery_dir.setter
    def recovery_dir(self, value) -> None:
        self.q.setValue("project/recovery_dir", str(value))

    @property
    def autosave_seconds(self) -> int:
        return int(self._get("project/autosave_seconds", 30))

    def recent_files(self) -> list[str]:
        value = self._get("project/recent", [])
        if isinstance(value, str):
            value = [value]
        return [v for v in value if v]

    def add_recent(self, path) -> None:
        path = str(Path(path).resolve())
        recent = [path] + [p for p in self.recent_files() if p != path]
        self.q.setValue("project/recent", recent[:MAX_RECENT])

    def sync(self) -> None:
        self.q.sync()
