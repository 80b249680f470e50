"""Rows for `studio library KIND`: one place that turns each catalogue into plain data."""
from __future__ import annotations

from dataclasses import asdict


def list_library(kind: str) -> list[dict]:
    if kind == "sounds":
        from studio.library.sounds import list_sounds
        return [{"id": s.id, "title": s.title, "kind": s.kind, "duration": s.duration, "bpm": s.bpm,
                 "mood": s.mood, "artist": s.artist, "licence": s.licence, "tags": list(s.tags),
                 "beats": len(s.beats), "file": str(s.path)} for s in list_sounds()]
    if kind == "stickers":
        from studio.library.stickers import list_stickers
        return [{"id": s.id, "title": s.title, "category": s.category, "animated": s.animated,
                 "frames": s.frame_count, "alpha": True, "file": str(s.path),
                 "anchor": asdict(s.anchor) if s.anchor else None} for s in list_stickers()]
    if kind == "styles":
        from studio.library.styles import list_styles
        return [{"id": s.id, "title": s.title, "font": s.font_path.name, "size": s.font_size} for s in list_styles()]
    if kind == "looks":
        from studio.library.looks import list_looks
        return [{"id": look.id, "title": look.title, "file": str(look.path)} for look in list_looks()]
    if kind == "effects":
        from studio.effects.registry import default_registry
        rows = []
        for effect in default_registry().list():
            rows.append({"id": effect.id, "title": effect.title, "category": effect.category,
                         "needs": sorted(effect.needs),
                         "params": [{"name": p.name, "type": p.type, "default": p.default, "min": p.min,
                                     "max": p.max, "choices": list(p.choices)} for p in effect.params]})
        return rows
    raise ValueError(kind)
