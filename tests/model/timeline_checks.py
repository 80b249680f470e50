"""Shared helpers for the model tests: the timeline invariants and a project that uses every item type."""
from __future__ import annotations

from fractions import Fraction

from studio.model import Clip, EffectRef, Keyframe, Metadata, Project, SoundItem, StickerItem, TextItem, Timeline, Track
from studio.model.timeline import KIND_OF_ITEM, TRACK_KINDS


def check_invariants(timeline: Timeline) -> None:
    """Every invariant edits.py promises: sorted, no overlaps, positive durations, sources in range."""
    ids = [i.id for i in timeline.all_items()]
    assert len(ids) == len(set(ids)), f"duplicate ids {ids}"
    for t in timeline.tracks:
        assert t.kind in TRACK_KINDS
        keys = [(i.start, i.id) for i in t.items]
        assert keys == sorted(keys), f"track not sorted: {keys}"
        for a, b in zip(t.items, t.items[1:]):
            assert a.end <= b.start, f"{a.id} ({a.start}..{a.end}) overlaps {b.id} ({b.start}..{b.end})"
        for i in t.items:
            assert KIND_OF_ITEM[type(i)] == t.kind
            assert type(i.start) is int and type(i.duration) is int
            assert i.start >= 0 and i.duration > 0, i
            if isinstance(i, Clip):
                assert type(i.source_in) is int and i.source_in >= 0, i
                assert isinstance(i.speed, Fraction) and i.speed > 0, i
                if i.source_frames is not None:
                    assert i.source_in + i.duration * i.speed <= i.source_frames, i
            if isinstance(i, SoundItem):
                assert type(i.source_in) is int and i.source_in >= 0, i


def full_project(media_dir) -> Project:
    """A project with every item type, effects with params, keyframes, Fractions and unicode."""
    video = str(media_dir / "x.mp4")
    still = str(media_dir / "photo.png")
    voice = str(media_dir / "voice.wav")
    main = Track("video", (
        Clip("clip-1", video, 0, 60, source_in=30, speed=Fraction(3, 2), volume=0.8, fit="fit_blur",
             effects=(EffectRef("color_grade", {"preset": "warm", "amount": 0.7, "curve": [0, 0.5, 1]}),
                      EffectRef("glasses", {"sticker": "sunglasses"}, enabled=False, trigger="thumbs_up")),
             source_frames=300),
        Clip("clip-2", still, 60, 45, fit="fit_black"),
    ), name="Vidéo")
    overlay = Track("overlay", (
        TextItem("text-1", 0, 40, "Salut 👋 — ça va?\nligne 2", style="bold", x=0.25, y=0.75, width=0.6,
                 size=1.5, rotation=-7.5, opacity=0.9, anim_in="typewriter", anim_out="slide_up", anim_frames=12),
        StickerItem("sticker-1", 40, 50, "sunglasses", x=0.4, scale=0.2, face_anchor=True,
                    keyframes=(Keyframe(0, 0.1, 0.2, 0.3), Keyframe(25, 0.5, 0.6, 0.35, rotation=45.0))),
    ), name="Titles", hidden=True)
    audio = Track("audio", (
        SoundItem("sound-1", "lofi_85", 0, 105, volume_db=-12.5, fade_in=15, fade_out=30, loop=True),
        SoundItem("sound-2", voice, 120, 30, source_in=7, role="voiceover", loop=False),
    ), name="Music", muted=True)
    return Project(
        name="Mon court 🎬", width=720, height=1280, fps=Fraction(30000, 1001),
        timeline=Timeline((main, overlay, audio)),
        metadata=Metadata(title="Été", caption="Premier jour #voyage 🌍", hashtags=("été", "#shorts"),
                          creator="Zoë", cover_frame=42),
    )
