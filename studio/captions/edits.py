"""Editing the captions on a project's timeline, as pure functions on Projects (the window's
caption list pushes each result as one undo step): a line's text, split a line at a word, merge a
line with the next, shift lines in time, restyle them all, delete one, replace them all from a
subtitle file; and the other way: the caption track as lines for SRT/VTT export, and captions for
a project's own sound (the window's "Generate captions").

A caption line is a TextItem on the "Captions" track. Its `words` (WordTime, frames after the
item's start) are kept through every edit: a split gives each part its own words at the same
moments, a merge joins them, a shift moves them with the line. A line without word times gets
them spread evenly over it where an edit needs them (as the renderer shows such a line)."""
from __future__ import annotations

import dataclasses
import os
from fractions import Fraction
from pathlib import Path

from studio.model import Project, TextItem, Timeline, WordTime, seconds_to_frames
from studio.model import edits as model_edits

from .errors import CaptionError
from .lines import CaptionLine
from .timeline import DEFAULT_STYLE, add_captions, caption_track_index
from .words import Word

NAME_CHARS = 24   # how much of a line's text an undo step's name quotes


# -- reading ----------------------------------------------------------------------------------
def caption_items(project: Project) -> list[TextItem]:
    """The caption lines (text items of the "Captions" track), in time order."""
    index = caption_track_index(project.timeline)
    if index is None:
        return []
    items = [i for i in project.timeline.tracks[index].items if isinstance(i, TextItem)]
    return sorted(items, key=lambda i: (i.start, i.id))


def caption_style(project: Project) -> str | None:
    """The style most caption lines have (None without captions)."""
    styles = [i.style for i in caption_items(project)]
    return max(set(styles), key=styles.count) if styles else None


def quoted(text: str) -> str:
    """A line's text as an undo step names it: “hello world”, long ones cut with an ellipsis."""
    flat = " ".join(text.split())
    return f"“{flat if len(flat) <= NAME_CHARS else flat[:NAME_CHARS - 1].rstrip() + '…'}”"


def spread(texts: list[str], start: int, end: int, weighted: bool = False) -> tuple[WordTime, ...]:
    """Words placed one after another over frames start..end: evenly, or by their length
    (`weighted`: a long word takes longer to say)."""
    if not texts:
        return ()
    weights = [len(t) + 1 if weighted else 1 for t in texts]
    total, span, acc, out = sum(weights), max(0, end - start), 0, []
    for text, w in zip(texts, weights):
        a = start + round(span * acc / total)
        acc += w
        out.append(WordTime(text, a, max(a, start + round(span * acc / total))))
    return tuple(out)


def word_times(item: TextItem) -> tuple[WordTime, ...]:
    """The line's words with their times: its own, or (without them, or when they no longer
    match its text) spread evenly over the line."""
    texts = item.content.split()
    if item.words and len(item.words) == len(texts):
        # matched by count, as the renderer does: *starring* a keyword keeps the spoken times
        return tuple(WordTime(t, w.start, w.end) for t, w in zip(texts, item.words))
    return spread(texts, 0, item.duration)


def caption_lines(project: Project) -> list[CaptionLine]:
    """The caption track as caption lines in seconds (for SRT/VTT/JSON export), word times kept."""
    fps = Fraction(project.fps)
    out = []
    for item in caption_items(project):
        words = tuple(Word(w.text, float((item.start + w.start) / fps), float((item.start + w.end) / fps))
                      for w in word_times(item))
        out.append(CaptionLine(item.content, float(item.start / fps), float(item.end / fps), words))
    return out


# -- writing ----------------------------------------------------------------------------------
def _find(project: Project, item_id: str) -> TextItem:
    for item in caption_items(project):
        if item.id == item_id:
            return item
    raise CaptionError(f"{item_id}: no such caption line")


def _with_lines(project: Project, items: list[TextItem]) -> Project:
    """The project with its caption track holding exactly `items` (checked: in order, no overlap,
    each at least a frame long and inside its own time)."""
    index = caption_track_index(project.timeline)
    if index is None:
        raise CaptionError("the project has no captions")
    items = sorted(items, key=lambda i: (i.start, i.id))
    for item in items:
        if item.duration < 1 or item.start < 0:
            raise CaptionError(f"{item.id}: a caption line needs at least one frame at or after 0")
        if any(w.end > item.duration or w.start > w.end for w in item.words):
            raise CaptionError(f"{item.id}: word times outside the line")
    for a, b in zip(items, items[1:]):
        if a.end > b.start:
            raise CaptionError(f"{a.id} and {b.id} would overlap")
    tracks = list(project.timeline.tracks)
    tracks[index] = dataclasses.replace(tracks[index], items=tuple(items))
    return dataclasses.replace(project, timeline=Timeline(tuple(tracks)))


def _replaced(project: Project, old: TextItem, *new: TextItem) -> Project:
    return _with_lines(project, [i for i in caption_items(project) if i.id != old.id] + list(new))


def set_line_text(project: Project, item_id: str, text: str) -> Project:
    """A line with new text. The same number of words keep their times (a typo fixed); another
    number is spread over the time the old words took, longer words taking longer."""
    item = _find(project, item_id)
    texts = text.split()
    if not texts:
        raise CaptionError("a caption line needs some text (Delete removes the line)")
    old = word_times(item)
    if len(texts) == len(old):
        words = tuple(WordTime(t, w.start, w.end) for t, w in zip(texts, old))
    else:
        words = spread(texts, old[0].start if old else 0, old[-1].end if old else item.duration, weighted=True)
    return _replaced(project, item, dataclasses.replace(item, content=" ".join(texts), words=words))


def split_line(project: Project, item_id: str, at_word: int) -> Project:
    """Two lines from one, before word `at_word` (1 .. words-1): the second starts when that word
    is said; every word keeps its time."""
    item = _find(project, item_id)
    words = word_times(item)
    if not 0 < at_word < len(words):
        raise CaptionError(f"a line of {len(words)} word(s) splits before word 2 to {len(words)}, "
                           f"not {at_word + 1}" if len(words) > 1 else "a one-word line cannot be split")
    if item.duration < 2:
        raise CaptionError("the line is one frame long: too short to split")
    cut = min(max(words[at_word].start, 1), item.duration - 1)
    first_words = tuple(WordTime(w.text, min(w.start, cut), min(w.end, cut)) for w in words[:at_word])
    second_words = tuple(WordTime(w.text, max(0, w.start - cut), max(0, w.end - cut)) for w in words[at_word:])
    first = dataclasses.replace(item, duration=cut, content=" ".join(w.text for w in first_words),
                                words=first_words)
    second = dataclasses.replace(item, id=model_edits.new_id(project.timeline, "caption"), start=item.start + cut,
                                 duration=item.duration - cut, content=" ".join(w.text for w in second_words),
                                 words=second_words)
    return _replaced(project, item, first, second)


def next_line(project: Project, item_id: str) -> TextItem | None:
    items = caption_items(project)
    at = [i.id for i in items].index(_find(project, item_id).id)
    return items[at + 1] if at + 1 < len(items) else None


def merge_with_next(project: Project, item_id: str) -> Project:
    """One line from a line and the one after it: from the first's start to the second's end
    (a gap between them joins the line), words at their times."""
    item = _find(project, item_id)
    nxt = next_line(project, item_id)
    if nxt is None:
        raise CaptionError("the last caption line has no next line to merge with")
    offset = nxt.start - item.start
    words = word_times(item) + tuple(WordTime(w.text, w.start + offset, w.end + offset) for w in word_times(nxt))
    merged = dataclasses.replace(item, duration=nxt.end - item.start, content=f"{item.content} {nxt.content}",
                                 words=words)
    return _with_lines(project, [i for i in caption_items(project) if i.id not in (item.id, nxt.id)] + [merged])


def picture_end(project: Project) -> int:
    """Where the short ends without its captions (0 when there is nothing else)."""
    index = caption_track_index(project.timeline)
    others = [t.end for i, t in enumerate(project.timeline.tracks) if i != index and t.kind != "audio"]
    return max(others, default=0)


def shift_frames(project: Project, seconds: float, ids=None) -> int:
    """How many frames a shift by `seconds` moves the lines `ids` (all when None): the nearest
    frame, held back where a line would go before 0 or into a line that stays, and where a line
    would start after the picture has ended."""
    items = caption_items(project)
    chosen = {i.id for i in items} if ids is None else set(ids) & {i.id for i in items}
    delta = seconds_to_frames(abs(seconds), project.fps) * (1 if seconds >= 0 else -1)
    if not chosen or delta == 0:
        return 0
    end = picture_end(project)
    for pos, item in enumerate(items):
        if item.id not in chosen:
            continue
        if delta < 0:
            before = next((o.end for o in reversed(items[:pos]) if o.id not in chosen), 0)
            delta = max(delta, -max(0, item.start - before))
        else:
            after = next((o.start for o in items[pos + 1:] if o.id not in chosen), None)
            if after is not None:
                delta = min(delta, max(0, after - item.end))
            if end:
                delta = min(delta, max(0, end - 1 - item.start))
    return delta


def shift_captions(project: Project, seconds: float, ids=None) -> Project:
    """Lines `ids` (all when None) moved by `seconds`, words with them (see shift_frames for the
    limits; a line pushed past the picture's end is cut there); the project unchanged when they
    cannot move that way at all."""
    delta = shift_frames(project, seconds, ids)
    if delta == 0:
        return project
    chosen = None if ids is None else set(ids)
    end = picture_end(project)
    items = []
    for item in caption_items(project):
        if chosen is None or item.id in chosen:
            item = dataclasses.replace(item, start=item.start + delta)
            if end and item.end > end > item.start:  # a shift never lengthens the short: cut at its end
                duration = end - item.start
                item = dataclasses.replace(item, duration=duration, words=tuple(
                    WordTime(w.text, min(w.start, duration), min(w.end, duration)) for w in item.words))
        items.append(item)
    return _with_lines(project, items)


def restyle_captions(project: Project, style: str) -> Project:
    """Every caption line in text style `style` (CaptionError for an unknown one)."""
    from studio.library.errors import LibraryError
    from studio.library.styles import get_style

    try:
        get_style(style)
    except LibraryError as exc:
        raise CaptionError(str(exc)) from None
    items = caption_items(project)
    if not items:
        raise CaptionError("the project has no captions to restyle")
    return _with_lines(project, [dataclasses.replace(i, style=style) for i in items])


def delete_line(project: Project, item_id: str) -> Project:
    """The project without caption line `item_id` (the track stays, perhaps empty)."""
    item = _find(project, item_id)
    return _with_lines(project, [i for i in caption_items(project) if i.id != item.id])


def import_subtitles(project: Project, path: str | os.PathLike, style: str | None = None,
                     preset: str = "tiktok") -> Project:
    """The project's captions replaced by the lines of an .srt, .vtt or captions .json file, in
    `style` (default: the style the captions had, else the default caption style)."""
    from .subtitles import read_subtitles

    lines = read_subtitles(path)
    if not lines:
        raise CaptionError(f"{Path(path).name}: no caption lines in it")
    return add_captions(project, lines, style or caption_style(project) or DEFAULT_STYLE, preset)


def export_subtitles(project: Project, path: str | os.PathLike, words: bool = False) -> Path:
    """The caption track written as .srt, .vtt or .json (by the suffix), atomically."""
    from .subtitles import write_subtitles

    lines = caption_lines(project)
    if not lines:
        raise CaptionError("the project has no captions to export")
    return write_subtitles(lines, path, words=words)


def project_captions(project: Project, script: str | None = None, language: str | None = "en",
                     engine: str = "auto", model=None, progress=None, cancel=None):
    """Captions (generate.Captions) for a project's own sound: its clips and voice-overs where
    they sit on the timeline, so the times are timeline times. `progress(text)` hears each step;
    `cancel` (a threading.Event) stops between steps (CaptionError "cancelled")."""
    from .audio import project_speech
    from .generate import speech_captions

    def step(text: str) -> None:
        if cancel is not None and cancel.is_set():
            raise CaptionError("cancelled")
        if progress is not None:
            progress(text)

    step("gathering the sound of the clips and voice-overs")
    samples, described = project_speech(project)
    step("sound ready")
    captions = speech_captions(samples, described, project.name or "the project", script, language, engine, model,
                               progress=step)
    step(f"{len(captions.lines)} caption lines found")
    return captions
