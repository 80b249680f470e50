"""Template tests: every test gets its own user data folder (saved templates never land in the
real user's), and the session shares one set of generated media."""
from __future__ import annotations

from pathlib import Path

import pytest

from template_media import write_moving_clip, write_still


@pytest.fixture(autouse=True)
def private_user_data(tmp_path_factory, monkeypatch) -> Path:
    folder = tmp_path_factory.mktemp("user-data")
    monkeypatch.setenv("STUDIO_USER_DATA", str(folder))
    return folder


@pytest.fixture(scope="session")
def template_media(tmp_path_factory, mediagen) -> list[Path]:
    """Five media of five colours: four 5 s clips (two with sound) and one photo, second."""
    folder = tmp_path_factory.mktemp("template-media")
    return [write_moving_clip(mediagen, folder / "a.mp4", 0),
            write_still(folder / "b.png", 1),
            write_moving_clip(mediagen, folder / "c.mp4", 2, audio=None),
            write_moving_clip(mediagen, folder / "d.mp4", 3),
            write_moving_clip(mediagen, folder / "e.mp4", 4, audio=None)]
