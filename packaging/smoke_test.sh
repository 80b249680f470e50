#!/usr/bin/env bash
# Smoke test of the built bundle, run the way a user runs it: from a folder outside the source
# tree, with a clean environment (env -i: no virtual environment, no PYTHONPATH, no STUDIO_ASSETS).
#
#   packaging/smoke_test.sh [BUNDLE_DIR] [OUT_DIR]      (defaults: dist/studio, a new temp folder)
#
# 1. `studio --version`                              (timed)
# 2. `studio demo --dir X`: builds and exports the demo project (timed); the MP4 is checked with
#    the bundle's own ffmpeg (1080x1920 H.264 + AAC, decodes to the end without an error) and the
#    bundle's own `studio check` pre-flight
# 3. `studio open X/demo.studio` under Xvfb: time until its window is mapped and until it answers a
#    click (its File menu opens), a screenshot (OUT_DIR/window.png), then File > Quit
# Needs: xvfb, xdotool, imagemagick (apt-get install -y xvfb xdotool imagemagick). Takes about a
# minute, most of it the export: it is not part of .ci/run (packaging/README.md).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BUNDLE="$(cd "${1:-$ROOT/dist/studio}" && pwd)"
OUT="${2:-$(mktemp -d /tmp/studio-smoke.XXXXXX)}"
mkdir -p "$OUT"
OUT="$(cd "$OUT" && pwd)"
STUDIO="$BUNDLE/studio"
FFMPEG="$(ls "$BUNDLE"/_internal/imageio_ffmpeg/binaries/ffmpeg-* | head -1)"
for tool in Xvfb xdotool import; do
  command -v $tool >/dev/null || { echo "smoke: '$tool' missing: apt-get install -y xvfb xdotool imagemagick" >&2; exit 1; }
done
[ -x "$STUDIO" ] || { echo "smoke: no bundle at $BUNDLE (run packaging/build.sh)" >&2; exit 1; }
case "$OUT/" in "$ROOT/"*) echo "smoke: OUT_DIR must be outside the source tree" >&2; exit 1 ;; esac
cd "$OUT"
fails=0
now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }
ok() { echo "PASS $*"; }
bad() { echo "FAIL $*"; fails=$((fails + 1)); }
report() { echo "$*" | tee -a "$OUT/timings.txt"; }
: > "$OUT/timings.txt"

# -- 1. version
t0=$(now)
version=$(env -i "$STUDIO" --version 2>&1) || true
t1=$(now)
[[ "$version" == studio\ * ]] && ok "--version: $version" || bad "--version printed: $version"
report "version_s=$(secs "$t0" "$t1")"

# -- 2. headless export of the demo project
t0=$(now)
if env -i "$STUDIO" demo --dir "$OUT/demo" > "$OUT/demo.log" 2>&1; then ok "demo export"; else bad "demo export (see $OUT/demo.log)"; fi
t1=$(now)
report "demo_export_s=$(secs "$t0" "$t1")"
MP4="$OUT/demo/demo.mp4"
if [ -f "$MP4" ]; then
  info=$(env -i "$FFMPEG" -hide_banner -i "$MP4" 2>&1 || true)
  echo "$info" | grep -E "Duration|Stream" | sed 's/^/    /'
  echo "$info" | grep -qE "Video: h264.*, 1080x1920" && ok "MP4 video is H.264 1080x1920" || bad "MP4 video is not H.264 1080x1920"
  echo "$info" | grep -qE "Audio: aac" && ok "MP4 has AAC audio" || bad "MP4 has no AAC audio"
  errors=$(env -i "$FFMPEG" -v error -i "$MP4" -f null - 2>&1 | head -5)
  [ -z "$errors" ] && ok "MP4 decodes to the end without errors" || bad "decoding errors: $errors"
  env -i "$STUDIO" check "$MP4" > "$OUT/check.log" 2>&1 && ok "studio check (pre-flight) passes" \
    || bad "studio check failed: $(tail -3 "$OUT/check.log")"
else
  bad "no $MP4"
fi

# -- 3. the window under Xvfb
# -displayfd: Xvfb picks a free display number and writes it once it accepts connections
Xvfb -displayfd 3 -screen 0 1600x1000x24 -nolisten tcp 3> "$OUT/xvfb.display" > "$OUT/xvfb.log" 2>&1 &
xvfb=$!
trap 'kill $xvfb 2>/dev/null || true' EXIT
for _ in $(seq 100); do [ -s "$OUT/xvfb.display" ] && break; sleep 0.1; done
[ -s "$OUT/xvfb.display" ] || { bad "Xvfb did not start: $(tail -2 "$OUT/xvfb.log")"; exit 1; }
disp=:$(head -1 "$OUT/xvfb.display")
project="$OUT/demo/demo.studio"
[ -f "$project" ] || project=""
t0=$(now)
env -i DISPLAY="$disp" HOME="$OUT/home" "$STUDIO" open $project > "$OUT/window.log" 2>&1 &
app=$!
wid=""
for _ in $(seq 300); do  # up to 30 s
  wid=$(DISPLAY=$disp xdotool search --onlyvisible --pid "$app" 2>/dev/null | head -1 || true)
  [ -n "$wid" ] && break
  kill -0 "$app" 2>/dev/null || break
  sleep 0.1
done
t1=$(now)
if [ -n "$wid" ]; then
  ok "window mapped: '$(DISPLAY=$disp xdotool getwindowname "$wid")' $(DISPLAY=$disp xdotool getwindowgeometry "$wid" | grep Geometry | xargs)"
  report "window_mapped_s=$(secs "$t0" "$t1")"
  # usable = it answers input: click the File menu until its popup (a second window) shows
  n0=$(DISPLAY=$disp xdotool search --onlyvisible --pid "$app" | wc -l)
  opened=0
  for _ in $(seq 60); do  # up to ~30 s
    DISPLAY=$disp xdotool mousemove --window "$wid" 20 8 click 1
    for _ in 1 2 3 4 5 6 7 8 9 10; do
      sleep 0.05
      [ "$(DISPLAY=$disp xdotool search --onlyvisible --pid "$app" | wc -l)" -gt "$n0" ] && { opened=1; break 2; }
    done
  done
  t2=$(now)
  if [ "$opened" = 1 ]; then
    ok "File menu opens on a click"
    report "window_usable_s=$(secs "$t0" "$t2")"
  else
    bad "the window does not answer a click on its File menu"
  fi
  DISPLAY=$disp xdotool key Escape
  sleep 3  # let it paint (preview frame, thumbnails) before the screenshot
  if DISPLAY=$disp import -window root "$OUT/window.png"; then
    colours=$(identify -format %k "$OUT/window.png")  # a blank or black window has a handful
    [ "$colours" -gt 200 ] && ok "screenshot $OUT/window.png ($colours colours)" \
      || bad "screenshot $OUT/window.png has only $colours colours: nothing drawn?"
  else
    bad "screenshot"
  fi
  # close it as a user does: File > Quit (the menu's last item). Keys go to the popup, which grabs
  # the keyboard: Xvfb has no window manager to give the main window the focus for Ctrl+Q.
  DISPLAY=$disp xdotool mousemove --window "$wid" 20 8 click 1
  sleep 1
  DISPLAY=$disp xdotool key Up Return
  for _ in $(seq 300); do kill -0 "$app" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "$app" 2>/dev/null; then
    bad "window still open 30 s after File > Quit: terminating it"
    kill "$app" 2>/dev/null || true
  else
    status=0
    wait "$app" || status=$?
    if [ "$status" = 0 ]; then
      ok "File > Quit closed the window, exit status 0"
    else
      echo "WARN File > Quit closed the window but the exit status is $status: $(tail -3 "$OUT/window.log" | tr '\n' ' ')"
    fi
  fi
else
  bad "no window within 30 s (see $OUT/window.log: $(tail -2 "$OUT/window.log" | tr '\n' ' '))"
  kill "$app" 2>/dev/null || true
fi
kill $xvfb 2>/dev/null || true

echo "bundle: $BUNDLE ($(du -sh "$BUNDLE" | cut -f1))"
cat "$OUT/timings.txt"
echo "outputs in $OUT"
[ "$fails" = 0 ] && echo "smoke test passed" || { echo "smoke test: $fails failure(s)"; exit 1; }
