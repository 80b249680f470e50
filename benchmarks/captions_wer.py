"""Captions benchmark: how well each speech engine available here hears, and how exactly a script
is timed, on spoken test audio that this script makes.

The speech: creator-style sentences said by
  - eSpeak NG (`espeak-ng`): formant voices en-us, en-us+f3, en-us+m3, en (British), at 150-200
    words a minute; eSpeak reports where each word starts while it speaks, so the truth is exact;
  - Flite (`flite`, when installed): voices built from recordings of real speakers (rms, slt, awb,
    kal16), closer to a person; word starts from the sounds Flite reports (a word whose sounds
    cannot be lined up is left out of the timing figures).
Both come from Debian packages (./setup.sh installs them); the audio is made in memory each run.

Measured:
  WER     word error rate of `recognise` per engine (pocketsphinx always; whisper when
          faster-whisper and its model are on disk): (substitutions + deletions + insertions) /
          words said, on words normalised by tests/captions/scoring.py (case and punctuation
          ignored, numbers spelled out); with the real-time factor (seconds per second of audio).
  timing  `align` of the script (pocketsphinx forced alignment): |start - true start| per word,
          mean / median / 95th percentile / max in ms and the share within 100 ms, clean and with
          each library music track 10 dB under the voice.

    python benchmarks/captions_wer.py [--quick] [--json OUT.json]

It shares the speech makers and WER with the tests (tests/captions/spoken.py, scoring.py).
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "captions"))

from scoring import edit_counts, normalise  # noqa: E402
from spoken import Speech, espeak_or_none, flite_or_none, resampled, with_music  # noqa: E402

from studio.captions import align  # noqa: E402
from studio.captions.audio import media_speech  # noqa: E402
from studio.captions.engines import PocketsphinxEngine, WhisperEngine  # noqa: E402

SENTENCES = [
    "Hey everyone, today I'm testing 3 budget microphones for TikTok videos.",
    "The first one costs twenty dollars and honestly, it sounds amazing!",
    "Stay until the end, because the last mic surprised me.",
    "This is the easiest pasta recipe you will ever make.",
    "Boil the water, add plenty of salt and cook the pasta for nine minutes.",
    "Then toss it with garlic, olive oil and a little lemon.",
    "Here is why your morning routine is not working.",
    "Pick one habit and keep it for a whole week before you add another.",
]
ESPEAK_VOICES = [("en-us", 165), ("en-us+f3", 150), ("en-us+m3", 185), ("en", 175), ("en-us", 200)]
FLITE_VOICES = ["rms", "slt", "awb", "kal16"]
RATE = 16000


def make_speech(quick: bool) -> list[tuple[str, Speech]]:
    """(label, 16 kHz speech with word starts) per voice; each says all SENTENCES (half with --quick)."""
    sentences = SENTENCES[:4] if quick else SENTENCES
    out = []
    espeak = espeak_or_none()
    if espeak is None:
        print("note: espeak-ng is not installed; its voices are left out", file=sys.stderr)
    else:
        for voice, wpm in ESPEAK_VOICES[:2] if quick else ESPEAK_VOICES:
            sp = espeak.speech(sentences, voice, wpm)
            out.append((f"espeak {voice} {wpm}wpm", Speech(resampled(sp.samples, sp.rate, RATE), RATE, sp.words, sp.text)))
    flite = flite_or_none()
    if flite is None:
        print("note: flite is not installed; its voices are left out", file=sys.stderr)
    else:
        for voice in FLITE_VOICES[:2] if quick else FLITE_VOICES:
            sp = flite.speech(sentences, voice)
            if sp.rate != RATE:
                sp = Speech(resampled(sp.samples, sp.rate, RATE), RATE, sp.words, sp.text)
            out.append((f"flite {voice}", sp))
    if not out:
        sys.exit("no speech synthesiser here: apt-get install espeak-ng flite (./setup.sh does)")
    return out


def engines() -> list:
    found = [PocketsphinxEngine()]
    whisper = WhisperEngine()
    problem = whisper.problem("en")
    if problem is None:
        found.append(whisper)
    else:
        print(f"note: whisper left out: {problem}", file=sys.stderr)
    return found


def wer_rows(speeches, engine) -> list[dict]:
    rows = []
    for label, sp in speeches:
        t0 = time.perf_counter()
        words = engine.recognise(sp.samples, "en")
        seconds = time.perf_counter() - t0
        ref, hyp = normalise(sp.text), normalise(" ".join(w.text for w in words))
        s, d, i = edit_counts(ref, hyp)
        rows.append({"engine": engine.name, "voice": label, "words": len(ref), "sub": s, "del": d, "ins": i,
                     "wer": (s + d + i) / len(ref), "rtf": seconds / (len(sp.samples) / RATE),
                     "heard": " ".join(w.text for w in words)})
    return rows


def timing_rows(speeches, musics: dict[str, np.ndarray]) -> list[dict]:
    rows = []
    for label, sp in speeches:
        for music, samples in [("clean", None), *musics.items()]:
            audio = sp.samples if samples is None else with_music(sp, samples, db=-10.0).samples
            t0 = time.perf_counter()
            words = align(audio, sp.text)
            seconds = time.perf_counter() - t0
            errors = np.array([abs(words[i].start - t) * 1000 for i, t in sp.timed])
            worst = max(sp.timed, key=lambda it: abs(words[it[0]].start - it[1]))
            rows.append({"voice": label, "music": music, "words": len(errors), "mean_ms": float(errors.mean()),
                         "median_ms": float(np.median(errors)), "p95_ms": float(np.percentile(errors, 95)),
                         "max_ms": float(errors.max()), "within_100ms": float((errors <= 100).mean()),
                         "worst_word": words[worst[0]].text, "seconds": seconds})
    return rows


def summary(rows: list[dict]) -> dict:
    errors_n = sum(r["words"] for r in rows)
    return {"words": errors_n,
            "mean_ms": sum(r["mean_ms"] * r["words"] for r in rows) / errors_n,
            "max_ms": max(r["max_ms"] for r in rows),
            "within_100ms": sum(r["within_100ms"] * r["words"] for r in rows) / errors_n}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="two voices of each synthesiser, four sentences, "
                                                               "two music tracks")
    parser.add_argument("--json", metavar="OUT", help="also write every figure to this JSON file")
    args = parser.parse_args()

    from studio.library.sounds import get_sound, list_sounds

    speeches = make_speech(args.quick)
    music_ids = [s.id for s in list_sounds("music")]
    if args.quick:
        music_ids = music_ids[:2]
    musics = {m: media_speech(get_sound(m).path) for m in music_ids}
    total_audio = sum(len(sp.samples) for _, sp in speeches) / RATE
    print(f"{len(speeches)} voices, {total_audio:.0f} s of speech, {len(normalise(speeches[0][1].text))} words each")

    wer = [row for engine in engines() for row in wer_rows(speeches, engine)]
    print("\nWord error rate (recognise)")
    print(f"  {'engine':<13} {'voice':<22} {'WER':>6} {'sub':>4} {'del':>4} {'ins':>4} {'RTF':>5}")
    for r in wer:
        print(f"  {r['engine']:<13} {r['voice']:<22} {r['wer']:6.1%} {r['sub']:4d} {r['del']:4d} {r['ins']:4d} "
              f"{r['rtf']:5.2f}")
    for name in sorted({r["engine"] for r in wer}):
        for family in ("espeak", "flite"):
            mine = [r for r in wer if r["engine"] == name and r["voice"].startswith(family)]
            if mine:
                errors = sum(r["sub"] + r["del"] + r["ins"] for r in mine) / sum(r["words"] for r in mine)
                print(f"  {name} on all {family} voices: WER {errors:.1%}")

    timing = timing_rows(speeches, musics)
    print("\nScript alignment: |start - true start| per word (ms), music 10 dB under the voice")
    print(f"  {'voice':<22} {'music':<15} {'mean':>5} {'median':>6} {'p95':>5} {'max':>5} {'<=100':>6}  worst word")
    for r in timing:
        print(f"  {r['voice']:<22} {r['music']:<15} {r['mean_ms']:5.0f} {r['median_ms']:6.0f} {r['p95_ms']:5.0f} "
              f"{r['max_ms']:5.0f} {r['within_100ms']:6.1%}  {r['worst_word']}")
    clean = summary([r for r in timing if r["music"] == "clean"])
    noisy = summary([r for r in timing if r["music"] != "clean"])
    print(f"\n  clean:          {clean['words']} words, mean {clean['mean_ms']:.0f} ms, max {clean['max_ms']:.0f} ms, "
          f"{clean['within_100ms']:.1%} within 100 ms")
    print(f"  music -10 dB:   {noisy['words']} words, mean {noisy['mean_ms']:.0f} ms, max {noisy['max_ms']:.0f} ms, "
          f"{noisy['within_100ms']:.1%} within 100 ms")
    align_rtf = sum(r["seconds"] for r in timing) / sum(len(sp.samples) / RATE for _, sp in speeches) / (len(musics) + 1)
    print(f"  alignment speed: {align_rtf:.2f} s per second of audio")
    if args.json:
        Path(args.json).write_text(json.dumps({"wer": wer, "timing": timing, "clean": clean, "music": noisy},
                                              indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
