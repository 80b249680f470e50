"""Tracks and the timeline. Invariant: items on one track are sorted by start and never overlap."""
from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

from .fields import TRACK_KINDS, Field, check_declaration  # noqa: F401 (TRACK_KINDS re-exported)
from .items import Item
from .kinds import KIND_OF_ITEM  # noqa: F401 (item class -> track kind, kept for its users)
from .live_scene import LiveSettings
from .time import DEFAULT_FPS


@dataclass(frozen=True)
class Track:
    kind: str
    items: tuple[Item, ...] = ()
    name: str = ""
    muted: bool = False
    hidden: bool = False

    @property
    def end(self) -> int:
        return max((i.end for i in self.items), default=0)

    def item_at(self, frame: int) -> Item | None:
        for item in self.items:
            if item.start <= frame < item.end:
                return item
        return None

    def fits(self, start: int, end: int, ignore: str | None = None) -> bool:
        return all(i.end <= start or i.start >= end for i in self.items if i.id != ignore)


@dataclass(frozen=True)
class Timeline:
    tracks: tuple[Track, ...] = (Track("video", name="Video"),)

    def tracks_of(self, kind: str) -> list[Track]:
        return [t for t in self.tracks if t.kind == kind]

    @property
    def duration(self) -> int:
        """Frames until the last visual item ends (audio alone does not lengthen a short)."""
        visual = [t.end for t in self.tracks if t.kind != "audio"]
        if any(visual):
            return max(visual)
        return max((t.end for t in self.tracks), default=0)

    def find(self, item_id: str) -> tuple[int, int]:
        """(track index, item index) of an item; KeyError if absent."""
        for ti, track in enumerate(self.tracks):
            for ii, item in enumerate(track.items):
                if item.id == item_id:
                    return ti, ii
        raise KeyError(item_id)

    def get(self, item_id: str) -> Item:
        ti, ii = self.find(item_id)
        return self.tracks[ti].items[ii]

    def all_items(self) -> list[Item]:
        return [i for t in self.tracks for i in t.items]


@dataclass(frozen=True)
class Metadata:
    """What the platforms show: caption (may contain #tags), extra hashtags, creator, cover frame."""
    title: str = ""
    caption: str = ""
    hashtags: tuple[str, ...] = ()
    creator: str = ""
    cover_frame: int = 0

    def all_hashtags(self) -> list[str]:
        """Hashtags in the order full_caption shows them (the caption's own, then the listed extras),
        without '#', de-duplicated."""
        words = [w for w in self.caption.split() if w.startswith("#") and len(w) > 1]
        return _unique_tags([*words, *self.hashtags])

    def full_caption(self) -> str:
        """The caption with any listed hashtags that it does not already contain appended."""
        in_caption = {t.lower() for t in _unique_tags(w for w in self.caption.split() if w.startswith("#"))}
        extra = [f"#{t}" for t in _unique_tags(self.hashtags) if t.lower() not in in_caption]
        return " ".join(p for p in [self.caption.strip(), " ".join(extra)] if p)


METADATA_FIELDS = (Field("title", "text"), Field("caption", "text"), Field("hashtags", "tags"),
                   Field("creator", "text"), Field("cover_frame", "frames", non_negative=True))
check_declaration("Metadata", Metadata, METADATA_FIELDS)


def _unique_tags(tags) -> list[str]:
    """Tags without '#' and trailing punctuation, dropping empties and case-insensitive repeats."""
    seen: list[str] = []
    lowered: set[str] = set()
    for tag in tags:
        tag = tag.strip().lstrip("#").rstrip(".,!?;:")
        if tag and tag.lower() not in lowered:
            seen.append(tag)
            lowered.add(tag.lower())
    return seen


@dataclass(frozen=True)
class Marker:
    """A named moment on the timeline (M in the window): shown on the ruler, listed in the sidecar."""
    frame: int
    name: str = ""


MARKER_FIELDS = (Field("frame", "frames", non_negative=True), Field("name", "text"))
check_declaration("Marker", Marker, MARKER_FIELDS)


@dataclass(frozen=True)
class Project:
    name: str = "Untitled"
    width: int = 1080
    height: int = 1920
    fps: Fraction = DEFAULT_FPS
    timeline: Timeline = field(default_factory=Timeline)
    metadata: Metadata = field(default_factory=Metadata)
    markers: tuple[Marker, ...] = ()  # in frame order
    live: LiveSettings | None = None  # LIVE mode's scenes and stream settings, once set up

    @property
    def duration(self) -> int:
        return self.timeline.duration

    @property
    def duration_seconds(self) -> Fraction:
        return Fraction(self.duration) / self.fps
