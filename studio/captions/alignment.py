"""Script to captions: time each word of what the creator says they said.

The script's spoken words become a grammar that accepts exactly that word sequence, with a
silence possible between words (likely after a clause end of the script, rare inside a clause),
and pocketsphinx finds the best path through it (forced alignment), then re-aligns that path
state by state. This is accurate where free recognition is
weak: the engine never has to guess the words, only where each one is. Words the dictionary lacks
get a pronunciation from pronounce.py.

A quiet first sound (a soft "th", an "f", a weak vowel) is easily scored as the silence before its
word, which then starts late and squeezes the words after it: where the aligned silence just before
a word is as loud as speech (100 ms or more of it after a quiet stretch, or most of the silence),
the word starts where that sound starts and the words up to the next silence are aligned again
from there (`_reclaimed`).

Two corrections follow, both for a pause that the aligner gave to a word (music or breath in a
pause is easily taken for a word's first sound):
- a first (last) sound far longer than this speaker makes them (a vowel 3x their median sound
  and 250 ms at least, a consonant 2.5x and 150 ms) starts (ends) the word that much later
  (earlier);
- a word whose first sounds are squeezed to the shortest the model allows right after a silence
  had its start eaten by that silence: it starts as much earlier as those sounds normally last
  (a word squeezed whole starts its normal length before its end).

Words the aligner cannot place (a word in another script, or all of them when the grammar does not
fit the audio) take the time between their placed neighbours, shared by length, and a lower
confidence; if the grammar fails altogether, the script's words take the times of the recognised
words they match (`transfer`).
"""
from __future__ import annotations

import difflib
import re

import numpy as np

from .audio import RATE, to_pcm16
from .errors import CaptionError
from .pronounce import Pronouncer
from .script import ScriptToken, ends_clause, tokenize
from .words import Word

_BEAMS = (1e-80, 1e-150, 1e-300)  # the first fits nearly always; wider ones for audio far from the model
_FRAME = 0.01              # pocketsphinx's frame: 10 ms
_LONG_PHONE = 25           # frames: a vowel this long (and 3x the median) holds a pause
_LONG_CONSONANT = 15       # frames: a consonant this long (and 2.5x the median) holds a pause
_VOWELS = frozenset("AA AE AH AO AW AY EH ER EY IH IY OW OY UH UW".split())
_SHORTEST = 3              # frames: the shortest sound the model allows (one frame per state)
_FILLER = re.compile(r"^(<.*>|\[.*\])$")
_PAUSE_AT_CLAUSE = 0.5     # chance of a silence after a clause end (and before/after it all)
_PAUSE_IN_CLAUSE = 0.01    # ... between two words of a clause
_PIECE_FRAMES = 3000       # a long recording is re-aligned in pieces of about 30 s
_FRAME_BYTES = RATE // 100 * 2  # 16-bit samples in one 10 ms frame
_ALT = re.compile(r"\(\d+\)$")
_PAUSE_FRAMES = 30        # a silence this long (300 ms) is a pause: its loudness is the pauses' level
_LOUDER_DB = 6.0           # a frame this much louder than the pauses (and ...
_LOUDER_SHARE = 0.4        # ... this share of the way up to the words' level) sounds like speech
_RECLAIM_FRAMES = 25       # a word takes back at most 250 ms of the silence before it
_RECLAIM_MIN = 10          # ... and only a sound of 100 ms or more
_FILLED = 0.7              # a "silence" this much of which is as loud as speech holds words
_GAP_FRAMES = 3            # a quiet gap this short (a stop's closure) does not end a sound
ESTIMATED = 0.3            # confidence of a word whose time was shared out, not found


def _units(tokens: list[ScriptToken], pronouncer: Pronouncer) -> list[tuple[int, str, str | None]]:
    """(token index, spoken word, phones or None) for every spoken word of the script."""
    return [(i, w, pronouncer.phones(w)) for i, t in enumerate(tokens) for w in t.spoken]


def _decode(decoder, pcm: bytes) -> None:
    decoder.start_utt()
    decoder.process_raw(pcm, full_utt=True)
    decoder.end_utt()


def _grammar(decoder, placed: list[tuple[str, str]], pauses: set[int], lead: bool = True):
    """The script as a chain of words with a silence possible before, between and after them:
    likely where the script has a clause end (`pauses`: the word positions after one) and at both
    ends, rare inside a clause (so a pause is not put after "the" when it comes after "videos.")."""
    fsg = decoder.create_fsg("_script", 0, len(placed), [(k, k + 1, 1.0, w) for k, (w, _) in enumerate(placed)])
    for state in range(0 if lead else 1, len(placed) + 1):
        likely = state in (0, len(placed)) or state in pauses
        fsg.add_silence("<sil>", state, _PAUSE_AT_CLAUSE if likely else _PAUSE_IN_CLAUSE)
    return fsg


def _script_decoder(engine, placed: list[tuple[str, str]], pauses: set[int], beam: float, lead: bool = True):
    """A decoder searching only the script's grammar, or None when pocketsphinx refuses it."""
    # silences are the grammar's own (fsgusefiller off), placed by _grammar
    decoder = engine.decoder(lm=None, bestpath=False, beam=beam, pbeam=beam, wbeam=beam * 1e20, fsgusefiller=False)
    for word, phones in placed:
        if decoder.lookup_word(word) is None:
            decoder.add_word(word, phones, False)
    try:
        decoder.add_fsg("_script", _grammar(decoder, placed, pauses, lead))
        decoder.activate_search("_script")
    except (RuntimeError, ValueError):
        return None
    return decoder


def _path(decoder) -> list[tuple[str, int, int, list]]:
    """The decoded word path: [(word or silence, start frame, frames, [])]."""
    return [(s.word, s.start_frame, s.end_frame - s.start_frame + 1, []) for s in decoder.seg()]


def _sounds(decoder, pcm: bytes, n_words: int) -> list | None:
    """Second pass along the decoded path, state by state: [(name, start, frames, [(sound, frames)])],
    or None when pocketsphinx cannot."""
    try:
        decoder.set_alignment()
        _decode(decoder, pcm)
        alignment = decoder.get_alignment()
    except RuntimeError:
        return None
    if not alignment:
        return None
    entries = [(e.name, e.start, e.duration, [(p.name, p.duration) for p in e]) for e in alignment]
    return entries if sum(not _FILLER.match(e[0]) for e in entries) == n_words else None


def _pieces(path: list, limit: int = _PIECE_FRAMES) -> list[tuple[int, int]]:
    """Cut points (entry indices) splitting a long path into pieces of about `limit` frames, each
    cut inside a silence (or, with none for far too long, between two words)."""
    cuts, piece_start = [0], path[0][1] if path else 0
    for i, (name, start, frames, _) in enumerate(path):
        length = start - piece_start
        if 0 < i < len(path) - 1 and (
                (length >= limit and name == "<sil>" and frames >= 10) or length >= 2 * limit):
            cuts.append(i)
            piece_start = start
    cuts.append(len(path))
    return list(zip(cuts, cuts[1:]))


def _forced(engine, pcm: bytes, placed: list[tuple[str, str]], pauses: set[int]):
    """The aligned path: [(name, start frame, frames, [(sound, frames)])] in order, words and the
    silences between them; None when the script does not fit the audio.

    The second, state-by-state pass keeps a table of every state of the script by every frame,
    which grows with the square of the length (a minute of talk: ~100 MB, ten: ~10 GB): a long
    recording is re-aligned in pieces of about 30 s, cut in the pauses the first pass found."""
    for beam in _BEAMS:
        decoder = _script_decoder(engine, placed, pauses, beam)
        if decoder is None:
            return None
        _decode(decoder, pcm)
        if decoder.seg() is None:
            continue  # the best path fell out of the beam: wider
        path = _path(decoder)
        pieces = _pieces(path)
        if len(pieces) == 1:
            return _sounds(decoder, pcm, len(placed)) or path
        out, word = [], 0
        for a, b in pieces:
            words = sum(not _FILLER.match(e[0]) for e in path[a:b])
            first, last = path[a][1], path[b - 1][1] + path[b - 1][2]
            piece = None
            sub = _script_decoder(engine, placed[word:word + words],
                                  {k - word for k in pauses if word < k < word + words}, beam)
            chunk = pcm[first * _FRAME_BYTES:last * _FRAME_BYTES]
            if sub is not None and words:
                _decode(sub, chunk)
                if sub.seg() is not None:
                    piece = _sounds(sub, chunk, words)
            if piece is None:  # this piece keeps the first pass's word times
                out += path[a:b]
            else:
                out += [(name, start + first, frames, sounds) for name, start, frames, sounds in piece]
            word += words
        return out
    return None


def _frame_db(samples: np.ndarray) -> np.ndarray:
    """Loudness (dB) of every 10 ms frame, as pocketsphinx counts them."""
    n = len(samples) // (RATE // 100)
    frames = np.asarray(samples[:n * (RATE // 100)], np.float64).reshape(n, RATE // 100)
    return 10 * np.log10(np.mean(frames ** 2, axis=1) + 1e-10)


def _reclaimed(engine, pcm: bytes, samples: np.ndarray, entries: list, placed: list[tuple[str, str]],
               pauses: set[int]) -> list:
    """Words whose first sounds the aligner took for silence, given back those sounds.

    A quiet first sound (a soft "th", an "f", a weak vowel) is easily scored as the silence
    before the word; the word then starts late and squeezes its neighbours. Where the frames just
    before a word, inside the silence the aligner put there, are as loud as speech (above the
    pauses' level by a margin), the word starts where that sound starts, and the words up to the
    next silence are aligned again over the stretch from there, with no silence before them."""
    db = _frame_db(samples)
    if not len(db):
        return entries
    word_frames = [db[s:s + f] for name, s, f, _ in entries if not _FILLER.match(name)]
    pause_frames = [db[s:s + f] for name, s, f, _ in entries if name == "<sil>" and f >= _PAUSE_FRAMES]
    speech = float(np.median(np.concatenate(word_frames))) if word_frames else float(np.max(db))
    floor = float(np.median(np.concatenate(pause_frames))) if pause_frames else float(np.percentile(db, 10))
    floor = max(floor, speech - 60.0)
    loud = floor + max(_LOUDER_DB, _LOUDER_SHARE * (speech - floor))
    out, word, i = [], 0, 0
    while i < len(entries):
        name, s, f, sounds = entries[i]
        nxt = entries[i + 1] if i + 1 < len(entries) else None
        if name != "<sil>" or nxt is None or _FILLER.match(nxt[0]):
            out.append(entries[i])
            word += not _FILLER.match(name)
            i += 1
            continue
        start = nxt[1]
        onset, gap, k = start, 0, start
        while k > s and start - k < _RECLAIM_FRAMES:
            k -= 1
            if k < len(db) and db[k] >= loud:
                onset, gap = k, 0
            else:
                gap += 1
                if gap > _GAP_FRAMES:
                    break
        j = i + 1  # the words from here to the next silence
        while j < len(entries) and not _FILLER.match(entries[j][0]):
            j += 1
        n = j - i - 1
        redone = None
        run = start - onset
        filled = float(np.mean(db[s:start] >= loud)) if start > s else 0.0
        # a sound of its own (100 ms or more after a quiet stretch), or a "silence" that is all sound;
        # not a short burst right after the word before (its last stop's release)
        if run >= _RECLAIM_MIN and (filled >= _FILLED or onset - s >= _GAP_FRAMES + 2):
            end = entries[j][1] + entries[j][2] if j < len(entries) else entries[j - 1][1] + entries[j - 1][2]
            chunk = pcm[onset * _FRAME_BYTES:end * _FRAME_BYTES]
            sub = _script_decoder(engine, placed[word:word + n], {k - word for k in pauses if word < k < word + n},
                                  _BEAMS[-1], lead=False)
            if sub is not None:
                _decode(sub, chunk)
                if sub.seg() is not None:
                    redone = _sounds(sub, chunk, n) or _path(sub)
                    if sum(not _FILLER.match(e[0]) for e in redone) != n:
                        redone = None
        if redone is None:
            out.append(entries[i])
            i += 1
            continue
        if onset > s:
            out.append((name, s, onset - s, [("SIL", onset - s)]))
        redone = [(nm, st + onset, fr, snd) for nm, st, fr, snd in redone]
        word += n
        if j < len(entries) and redone[-1][0] == "<sil>":
            entries = entries[:j] + [redone.pop()] + entries[j + 1:]  # the silence after: checked in turn
            i = j
        else:
            i = j + 1
        out += redone
    return out


def _refined(entries) -> list[tuple[float, float]]:
    """(start, end) seconds of every word entry, with the pause corrections of the module doc."""
    phone_frames = [d for name, _, _, phones in entries if not _FILLER.match(name) for _, d in phones]
    median = float(np.median(phone_frames)) if phone_frames else 8.0

    def too_long(phone: tuple[str, int]) -> bool:
        # a vowel may be drawn out ("sooo"); a consonant of 150 ms holds a pause
        name, frames = phone
        return frames > (max(_LONG_PHONE, 3 * median) if name in _VOWELS else max(_LONG_CONSONANT, 2.5 * median))

    times = []
    before = None  # the entry before this word
    for name, start, frames, phones in entries:
        if _FILLER.match(name):
            before = (name, start, frames)
            continue
        s, e = float(start), float(start + frames)
        if phones:
            durations = [d for _, d in phones]
            if too_long(phones[0]):
                s = start + durations[0] - median
            elif before is not None and before[0] == "<sil>" and before[2] > 5:
                squeezed = next((k for k, d in enumerate(durations) if d > _SHORTEST), len(phones))
                if squeezed == len(phones):
                    s = max(float(before[1]), e - len(phones) * median)
                elif squeezed >= 2:
                    s = max(float(before[1]), start - squeezed * (median - _SHORTEST))
            if too_long(phones[-1]) and len(phones) > 1:
                e = start + frames - durations[-1] + median
        times.append((s * _FRAME, max(e, s + 1) * _FRAME))
        before = (name, start, frames)
    return times


def _spread(times: list[tuple[float, float] | None], weights: list[float], total: float) -> list[tuple[float, float]]:
    """Fill the None runs: each run shares the time between its placed neighbours by weight; when
    that gap is too short to say them in, the neighbour before shares its own time with them."""
    out = list(times)
    n = len(out)
    i = 0
    while i < n:
        if out[i] is not None:
            i += 1
            continue
        j = i
        while j < n and out[j] is None:
            j += 1
        run = list(range(i, j))
        before = out[i - 1] if i > 0 else None
        after = out[j] if j < n else None
        need = 0.25 * sum(weights[k] for k in run) / max(1.0, np.mean(weights)) if weights else 0.25 * len(run)
        t0 = before[1] if before else max(0.0, (after[0] if after else 0.0) - need)
        t1 = after[0] if after else min(total, t0 + need) if before else total
        if before and t1 - t0 < 0.08 * len(run):
            run = [i - 1] + run  # no room: the word before gives up part of its time
            t0 = before[0]
        t1 = max(t1, t0 + 0.05 * len(run))
        share = np.cumsum([0.0] + [max(weights[k], 1.0) for k in run])
        share = t0 + (t1 - t0) * share / share[-1]
        for k, a, b in zip(run, share[:-1], share[1:]):
            out[k] = (float(a), float(b))
        i = j
    return out  # type: ignore[return-value]


def _words(tokens: list[ScriptToken], units, unit_times, unit_conf) -> list[Word]:
    """One Word per written token, from its spoken units' times."""
    words = []
    for ti, token in enumerate(tokens):
        mine = [k for k, u in enumerate(units) if u[0] == ti]
        start = min(unit_times[k][0] for k in mine)
        end = max(unit_times[k][1] for k in mine)
        words.append(Word(token.text, round(start, 3), round(end, 3), min(unit_conf[k] for k in mine)))
    return words


def align_script(samples: np.ndarray, script: str, engine) -> list[Word]:
    """Times for every written word of `script` in `samples` (RATE mono), with pocketsphinx."""
    tokens = tokenize(script)
    if not tokens:
        raise CaptionError("the script has no words to time")
    total = len(samples) / RATE
    if total <= 0:
        raise CaptionError("there is no sound to time the script against")
    units = _units(tokens, Pronouncer(engine.lookup))
    placed_index = [k for k, u in enumerate(units) if u[2] is not None]
    placed = [(units[k][1], units[k][2]) for k in placed_index]
    # grammar states after a word that ends a clause of the script ("videos." / "end,")
    pauses = {n + 1 for n, k in enumerate(placed_index[:-1])
              if units[placed_index[n + 1]][0] != units[k][0] and ends_clause(tokens[units[k][0]].text)}
    pcm = to_pcm16(samples)
    entries = _forced(engine, pcm, placed, pauses) if placed else None
    if entries is not None:
        entries = _reclaimed(engine, pcm, samples, entries, placed, pauses)
    if entries is None:
        return transfer(tokens, engine.recognise(samples, "en"), total)
    times: list[tuple[float, float] | None] = [None] * len(units)
    for k, t in zip(placed_index, _refined(entries)):
        times[k] = (min(t[0], total), min(t[1], total))
    conf = [1.0 if t is not None else ESTIMATED for t in times]
    return _words(tokens, units, _spread(times, [len(u[1]) for u in units], total), conf)


def _normal(word: str) -> str:
    return re.sub(r"[^\w']", "", word.lower())


def transfer(tokens: list[ScriptToken], recognised: list[Word], total: float) -> list[Word]:
    """The script's words timed by the recognised words they match (in order, by spelling); the
    others share the time between. For an engine without forced alignment, and as the fallback
    when the script does not fit the audio at all."""
    if not tokens:
        raise CaptionError("the script has no words to time")
    units = [(i, w, None) for i, t in enumerate(tokens) for w in t.spoken]
    heard = [_normal(w.text) for w in recognised]
    times: list[tuple[float, float] | None] = [None] * len(units)
    conf = [ESTIMATED] * len(units)
    matcher = difflib.SequenceMatcher(None, [_normal(u[1]) for u in units], heard, autojunk=False)
    for block in matcher.get_matching_blocks():
        for k in range(block.size):
            w = recognised[block.b + k]
            times[block.a + k] = (w.start, w.end)
            conf[block.a + k] = min(0.9, max(w.confidence, 0.5))
    if not recognised or all(t is None for t in times):
        # nothing in common: the words evenly over the stretch that has speech, if any
        first = recognised[0].start if recognised else 0.0
        last = recognised[-1].end if recognised else total
        return _words(tokens, units, _spread_over(len(units), [len(u[1]) for u in units], first, last), conf)
    return _words(tokens, units, _spread(times, [len(u[1]) for u in units], total), conf)


def _spread_over(n: int, weights: list[float], t0: float, t1: float) -> list[tuple[float, float]]:
    share = np.cumsum([0.0] + [max(w, 1.0) for w in weights])
    share = t0 + (t1 - t0) * share / share[-1]
    return [(float(a), float(b)) for a, b in zip(share[:-1], share[1:])][:n]
