"""A small builder for template designs: slots and texts placed by beat number."""
from __future__ import annotations

from fractions import Fraction

from studio.library.sounds import get_sound
from studio.model import Clip, EffectRef, Metadata, Project, SoundItem, StickerItem, TextItem, Timeline, Track, edits
from studio.model.time import seconds_to_frames
from studio.templates import PLACEHOLDER, SlotSpec, Template, TextSlot, beat_times

FPS = Fraction(30)
# the places `studio quick` uses: inside every platform's safe zone (studio/quick.py)
TEXT_X, TEXT_WIDTH = 0.47, 0.74
TITLE_Y, CAPTION_Y = 0.2, 0.62
CORNERS = {"upper_right": (0.74, 0.36), "lower_left": (0.22, 0.55), "lower_right": (0.74, 0.55),
           "upper_left": (0.22, 0.36)}


def look(name: str, intensity: float = 0.8) -> EffectRef:
    return EffectRef("look", {"name": name, "intensity": intensity})


class Design:
    def __init__(self, template_id: str, title: str, description: str, category: str, tags: tuple[str, ...],
                 sound: str, caption: str, *, effects: tuple[EffectRef, ...] = (), clip_volume: float = 0.0,
                 music_db: float = 0.0):
        self.id, self.title, self.description = template_id, title, description
        self.category, self.tags = category, tags
        self.sound = get_sound(sound)
        self.beats = beat_times(self.sound, 256)
        self.caption, self.effects, self.clip_volume, self.music_db = caption, effects, clip_volume, music_db
        self.slots: list[tuple[SlotSpec, Clip]] = []
        self.texts: list[tuple[TextSlot, TextItem]] = []
        self.stickers: list[StickerItem] = []
        self.cut_beats = [0]

    def frame(self, beat: int) -> int:
        return seconds_to_frames(Fraction(str(self.beats[beat])), FPS)

    @property
    def beat(self) -> int:
        """The beat where the next slot starts."""
        return self.cut_beats[-1]

    def slot(self, beats: int, label: str, hint: str = "", *, medium: int | None = None,
             effects: tuple[EffectRef, ...] | None = None) -> tuple[int, int]:
        """A slot of `beats` beats after the last one; returns its (first, end) beat numbers."""
        b0, b1 = self.beat, self.beat + beats
        if medium is None:
            medium = max((s.medium for s, _ in self.slots), default=-1) + 1
        slot_id = f"slot-{len(self.slots) + 1}"
        clip = Clip(slot_id, PLACEHOLDER, self.frame(b0), self.frame(b1) - self.frame(b0), volume=self.clip_volume,
                    effects=self.effects if effects is None else effects)
        self.slots.append((SlotSpec(slot_id, label, hint, medium), clip))
        self.cut_beats.append(b1)
        return b0, b1

    def text(self, text_id: str, label: str, content: str, span: tuple[int, int], *, style: str = "classic",
             y: float = CAPTION_Y, size: float = 1.0, anim_in: str = "pop", anim_out: str = "fade",
             x: float = TEXT_X, width: float = TEXT_WIDTH) -> None:
        start, end = self.frame(span[0]), self.frame(span[1])
        item = TextItem(text_id, start, end - start, content, style=style, x=x, y=y, width=width, size=size,
                        anim_in=anim_in, anim_out=anim_out)
        self.texts.append((TextSlot(text_id, label), item))

    def sticker(self, sticker: str, span: tuple[int, int], corner: str = "upper_right", scale: float = 0.24) -> None:
        start, end = self.frame(span[0]), self.frame(span[1])
        x, y = CORNERS[corner]
        self.stickers.append(StickerItem(f"sticker-{len(self.stickers) + 1}", start, end - start, sticker,
                                         x=x, y=y, scale=scale))

    def template(self) -> Template:
        timeline = Timeline((Track("video", name="Video"),))
        for _, clip in self.slots:
            timeline = edits.append_clip(timeline, clip)
        for _, item in self.texts:
            timeline = edits.add_item(timeline, item)
        for item in self.stickers:
            timeline = edits.add_item(timeline, item)
        total = timeline.duration
        music = SoundItem("sound-1", self.sound.id, 0, total, volume_db=self.music_db, fade_out=int(FPS) // 2)
        timeline = edits.add_item(timeline, music)
        project = Project(name=self.title, fps=FPS, timeline=timeline,
                          metadata=Metadata(title=self.title, caption=self.caption))
        return Template(id=self.id, title=self.title, project=project, slots=tuple(s for s, _ in self.slots),
                        texts=tuple(t for t, _ in self.texts), description=self.description,
                        category=self.category, tags=self.tags, sound=self.sound.id, cut_beats=tuple(self.cut_beats))
