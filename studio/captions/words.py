"""A recognised or aligned word: its text and when it is said."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Word:
    """`start`/`end` in seconds from the start of the audio (or of the timeline, for a project).
    `confidence` 0..1: the engine's posterior for a recognised word; 1 for a word placed by forced
    alignment, lower for one whose time was only estimated (see align.py)."""
    text: str
    start: float
    end: float
    confidence: float = 1.0

    @property
    def duration(self) -> float:
        return self.end - self.start

    def to_dict(self) -> dict:
        return {"text": self.text, "start": round(self.start, 3), "end": round(self.end, 3),
                "confidence": round(self.confidence, 3)}

    @classmethod
    def from_dict(cls, data: dict) -> "Word":
        return cls(str(data["text"]), float(data["start"]), float(data["end"]), float(data.get("confidence", 1.0)))


def shifted(words: list[Word], seconds: float) -> list[Word]:
    return [Word(w.text, w.start + seconds, w.end + seconds, w.confidence) for w in words]
