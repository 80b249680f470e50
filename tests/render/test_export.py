"""Exports decoded back: streams, sync, loudness, tags, sidecar, cover, progress, cancel and failures."""
from __future__ import annotations

import datetime as dt
import json
import threading
import time
from fractions import Fraction
from pathlib import Path
from types import SimpleNamespace

import av
import cv2
import numpy as np
import pytest

from studio import __version__
from studio.media.audio import load_audio
from studio.media.loudness import measure
from studio.model import (Clip, EffectRef, Marker, Metadata, Project, SoundItem, StickerItem, TextItem, Timeline,
                          Track)
from studio.render.compositor import render_frame
from studio.render.errors import Cancelled, ExportError
from studio.render.export import ExportOptions, export_project
from studio.media.mp4_boxes import moov_before_mdat as _moov_before_mdat

FPS = 30
DRAFT = ExportOptions(quality="draft")
FAST = ExportOptions(quality="draft", cover=False, sidecar=False, preflight=False)


def simple_project(source: str, frames: int = 60, **clip_kw) -> Project:
    clip = Clip("c1", str(source), 0, frames, source_frames=frames, **clip_kw)
    return Project(name="simple", fps=Fraction(FPS), timeline=Timeline((Track("video", (clip,)),)))


def top_level_atoms(path: Path) -> list[str]:
    names = []
    with open(path, "rb") as f:
        while header := f.read(8):
            size, kind = int.from_bytes(header[:4], "big"), header[4:8].decode("latin-1")
            names.append(kind)
            if size == 1:
                size = int.from_bytes(f.read(8), "big") - 8
            if size == 0:
                break
            f.seek(size - 8, 1)
    return names


def listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


@pytest.fixture(scope="module")
def rich(tmp_path_factory, tone_clip):
    """A 2 s project with everything an export writes about: text from frame 30, a library sticker,
    the sunny-pop music bed under the clip's tone, a look, caption with hashtags, creator, cover frame."""
    frames = 60
    timeline = Timeline((
        Track("video", (Clip("c1", str(tone_clip), 0, frames, source_frames=frames,
                             effects=(EffectRef("look", {"name": "vivid", "intensity": 0.8}),)),)),
        Track("overlay", (TextItem("t1", 30, 30, "Cover text", y=0.3, anim_in="none", anim_out="none"),)),
        Track("overlay", (StickerItem("s1", 0, frames, "heart_red", x=0.75, y=0.6, scale=0.2),)),
        Track("audio", (SoundItem("m1", "sunny-pop", 0, frames, volume_db=-6.0),)),
    ))
    meta = Metadata(title="Rich export", caption="Hello world #tag1 #tag2", hashtags=("extra",), creator="Ann",
                    cover_frame=45)
    project = Project(name="rich", fps=Fraction(FPS), timeline=timeline, metadata=meta,
                      markers=(Marker(15, "hook"), Marker(90, "after the end")))
    folder = tmp_path_factory.mktemp("rich")
    events = []
    result = export_project(project, folder / "rich.mp4", ExportOptions(quality="draft", crf=30),
                            progress=events.append)
    return SimpleNamespace(project=project, result=result, out=folder / "rich.mp4", folder=folder, events=events,
                           sidecar=json.loads((folder / "rich.json").read_text(encoding="utf-8")))


def test_streams_decode_as_the_platform_spec(rich, mediagen):
    info = mediagen.decode_info(rich.out)
    assert (info.width, info.height) == (1080, 1920)
    assert info.codec == "h264" and info.profile == "High" and info.pix_fmt == "yuv420p"
    assert info.fps == 30
    assert info.frames == 60 == rich.result.frames
    # constant frame rate: frame k at exactly k/30 s
    assert np.allclose(np.diff(info.frame_times), 1 / 30, atol=1e-4), np.diff(info.frame_times)
    assert abs(info.frame_times[0]) < 1e-6
    assert abs(info.video_duration - 2.0) <= 1 / 30
    assert info.audio_codec == "aac" and info.audio_profile == "LC"
    assert (info.audio_rate, info.audio_channels) == (48000, 2)
    assert _moov_before_mdat(rich.out) is True
    atoms = top_level_atoms(rich.out)
    assert atoms[0] == "ftyp" and atoms.index("moov") < atoms.index("mdat")
    assert listing(rich.folder) == ["rich.cover.jpg", "rich.json", "rich.mp4"]


def test_loudness_is_normalised(rich):
    audio = load_audio(rich.out)
    assert abs(len(audio) / 48000 - 2.0) < 0.05
    loud = measure(audio, 48000)
    assert abs(loud.integrated_lufs - (-14.0)) <= 1.0, loud
    assert loud.true_peak_dbtp <= 0.0
    assert abs(rich.result.loudness["integrated_lufs"] + 14.0) <= 0.5


def test_mp4_tags(rich):
    with av.open(str(rich.out)) as c:
        tags = dict(c.metadata)
    caption = "Hello world #tag1 #tag2 #extra"
    assert tags["title"] == "Rich export"
    assert tags["comment"] == caption and tags["description"] == caption
    assert tags["artist"] == "Ann"
    assert tags["encoder"] == f"Studio {__version__}"
    assert sorted(tags["keywords"].split(",")) == ["extra", "tag1", "tag2"]
    created = dt.datetime.fromisoformat(tags["creation_time"].replace("Z", "+00:00"))
    assert abs((dt.datetime.now(dt.timezone.utc) - created).total_seconds()) < 600
    assert "Sunny Side Up" in tags["synopsis"] and "look(name=vivid,intensity=0.8)" in tags["synopsis"]


def test_sidecar(rich):
    side = rich.sidecar
    assert side["caption"] == "Hello world #tag1 #tag2 #extra"
    assert sorted(side["hashtags"]) == ["extra", "tag1", "tag2"]
    assert side["creator"] == "Ann" and side["generator"] == f"Studio {__version__}"
    assert side["sounds"] == [{"id": "sunny-pop", "title": "Sunny Side Up", "artist": "Studio", "licence": "CC0-1.0",
                               "source": "studio library: sunny-pop"}]
    assert side["effects"] == [{"id": "look", "params": {"name": "vivid", "intensity": 0.8}}]
    assert side["duration"] == 2.0 and (side["width"], side["height"], side["fps"]) == (1080, 1920, 30.0)
    assert abs(side["loudness"]["integrated_lufs"] + 14) <= 0.5 and side["loudness"]["has_audio"] is True
    assert side["preset"] == "tiktok" and side["cover"] == "rich.cover.jpg"
    assert side["preflight"]["passed"] is True and side["preflight"]["measured"]["width"] == 1080
    assert side["encode"]["crf"] == 30 and side["encode"]["x264_preset"] == "ultrafast"
    assert side["markers"] == [{"time": 0.5, "name": "hook"}]  # a marker past the end is not in the video


def test_quality_and_crf_reach_the_encoder(rich):
    # x264 writes its settings into the stream (an SEI message): the crf and the ultrafast choices
    data = rich.out.read_bytes()
    assert b"crf=30.0" in data
    assert b"subme=0" in data and b"8x8dct=1" in data  # ultrafast's analysis, with the High 8x8 transform


def test_cover_is_the_cover_frame(rich):
    cover = cv2.cvtColor(cv2.imread(str(rich.folder / "rich.cover.jpg")), cv2.COLOR_BGR2RGB).astype(int)
    assert cover.shape == (1920, 1080, 3)
    at_cover = render_frame(rich.project, 45).astype(int)
    at_start = render_frame(rich.project, 0).astype(int)
    assert np.abs(cover - at_cover).mean() < 3.0
    assert np.abs(cover - at_start).mean() > np.abs(cover - at_cover).mean() + 0.5  # the text is on it


def test_progress_reports(rich):
    stages = [e.stage for e in rich.events]
    assert stages[0] == "checking" and stages[-1] == "done"
    order = ["checking", "audio", "video", "finishing", "done"]
    assert [s for s in order if s in stages] == order
    assert stages == sorted(stages, key=order.index)
    video = [e for e in rich.events if e.stage == "video"]
    assert [e.done for e in video] == sorted(e.done for e in video) and video[-1].done == video[-1].total == 60
    assert video[-1].fraction == 1.0
    assert any(e.eta is not None and e.eta >= 0 for e in video)


@pytest.fixture(scope="module")
def flash_clip(engine_media, mediagen) -> Path:
    """Frame 20 is white and the audio is a 1 kHz beep starting at exactly 20/30 s."""
    return mediagen.write_clip(engine_media / "flash.mp4", audio="beep", flash_frame=20)


def test_audio_video_sync(flash_clip, tmp_path):
    out = tmp_path / "sync.mp4"
    export_project(simple_project(flash_clip), out, FAST)
    with av.open(str(out)) as c:
        flash_times = [float(f.time) for f in c.decode(video=0)
                       if f.to_ndarray(format="gray").mean() > 200]
    assert len(flash_times) == 1
    with av.open(str(out)) as c:
        chunks = []
        for frame in c.decode(audio=0):  # timestamps from the decoder: AAC priming already accounted for
            samples = frame.to_ndarray()[0]
            chunks.append((float(frame.time), samples))
    peak = max(np.abs(s).max() for _, s in chunks)
    onset = next(t + int(np.argmax(np.abs(s) > 0.25 * peak)) / 48000 for t, s in chunks
                 if np.abs(s).max() > 0.25 * peak)
    assert abs(flash_times[0] - 20 / 30) < 1e-3
    assert abs(onset - flash_times[0]) <= 0.034, (onset, flash_times[0])
    # the same through Studio's own loader (source time 0 = first video frame)
    audio = load_audio(out)[:, 0]
    studio_onset = int(np.argmax(np.abs(audio) > 0.25 * np.abs(audio).max())) / 48000
    assert abs(studio_onset - flash_times[0]) <= 0.034, studio_onset


def test_cancel_from_progress_leaves_nothing(tone_clip, tmp_path):
    cancel = threading.Event()
    seen = []

    def progress(p):
        seen.append(p.stage)
        if p.stage == "video" and p.done >= 5:
            cancel.set()

    with pytest.raises(Cancelled):
        export_project(simple_project(tone_clip, frames=90), tmp_path / "c.mp4", DRAFT, progress=progress,
                       cancel=cancel)
    assert "done" not in seen
    assert listing(tmp_path) == []


class LateCancel:
    """A cancel token that says yes from its n-th question on (the export asks once per frame)."""

    def __init__(self, n: int):
        self.n, self.asked = n, 0

    def is_set(self) -> bool:
        self.asked += 1
        return self.asked > self.n


@pytest.mark.parametrize("frame", [0, 54, 59])
def test_cancel_is_prompt_at_any_frame(tone_clip, tmp_path, frame):
    started = time.monotonic()
    with pytest.raises(Cancelled):
        export_project(simple_project(tone_clip), tmp_path / "c.mp4", FAST, cancel=LateCancel(frame))
    assert time.monotonic() - started < 8, "cancel waited for the render thread"
    assert listing(tmp_path) == []


def test_cancel_while_finishing_leaves_nothing(tone_clip, tmp_path):
    cancel = threading.Event()

    def progress(p):
        if p.stage == "finishing":
            cancel.set()

    with pytest.raises(Cancelled):
        export_project(simple_project(tone_clip), tmp_path / "c.mp4", DRAFT, progress=progress, cancel=cancel)
    assert listing(tmp_path) == []


def test_missing_output_folder(tone_clip, tmp_path):
    with pytest.raises(ExportError, match="output folder does not exist"):
        export_project(simple_project(tone_clip), tmp_path / "nope" / "x.mp4", FAST)
    assert listing(tmp_path) == []


def test_failure_mid_export_leaves_nothing(tone_clip, tmp_path):
    def progress(p):
        if p.stage == "video" and p.done >= 3:
            raise RuntimeError("disk on fire")

    with pytest.raises(RuntimeError, match="disk on fire"):
        export_project(simple_project(tone_clip), tmp_path / "x.mp4", DRAFT, progress=progress)
    assert listing(tmp_path) == []


def test_failure_after_encoding_leaves_nothing(tone_clip, tmp_path):
    """The cover cannot be written (a folder has its name): the finished video must not stay behind."""
    (tmp_path / "x.cover.jpg").mkdir()
    with pytest.raises(Exception):
        export_project(simple_project(tone_clip), tmp_path / "x.mp4", DRAFT)
    assert listing(tmp_path) == ["x.cover.jpg"]
    assert not any((tmp_path / "x.cover.jpg").iterdir())


def test_source_deleted_before_export(tmp_path, mediagen):
    source = mediagen.write_clip(tmp_path / "gone.mp4", seconds=1)
    project = simple_project(source, frames=30)
    source.unlink()
    with pytest.raises(Exception, match="gone.mp4"):
        export_project(project, tmp_path / "x.mp4", FAST)
    assert listing(tmp_path) == []
