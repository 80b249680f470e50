"""Fixtures of the media tests; the media makers live in media_files.py."""
from __future__ import annotations

from pathlib import Path

import av
import numpy as np
import pytest

from media_files import SHARED_MEDIA, ffmpeg, gray_level, solid, write_video, write_wav, _encode_sine  # noqa: F401


@pytest.fixture(scope="session")
def media_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("media")


@pytest.fixture(scope="session")
def numbered_mp4(media_dir) -> Path:
    """60 frames at 30 fps, 160x120, frame i is solid gray_level(i); GOP 12 so seeks are exercised."""
    frames = [solid(160, 120, (gray_level(i),) * 3) for i in range(60)]
    return write_video(media_dir / "numbered.mp4", frames, options={"g": "12", "keyint_min": "12"})


@pytest.fixture(scope="session")
def numbered_mkv(media_dir) -> Path:
    """As numbered_mp4 but Matroska: 1 ms timestamps, so frame times are rounded (0.167 for 5/30)."""
    frames = [solid(160, 120, (gray_level(i),) * 3) for i in range(60)]
    return write_video(media_dir / "numbered.mkv", frames, options={"g": "12", "keyint_min": "12"})


@pytest.fixture(scope="session")
def av_mp4(media_dir) -> Path:
    """1 s 320x240 30 fps video with a 440 Hz stereo AAC track."""
    frames = [solid(320, 240, (200, 30, 30))] * 30
    return write_video(media_dir / "av.mp4", frames, audio_hz=440.0)
