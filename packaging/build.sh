#!/usr/bin/env bash
# Build the Studio desktop app as a PyInstaller one-folder bundle:
#
#   ./setup.sh && packaging/build.sh [--appdir] [--tar]
#
# Output: dist/studio/studio (the executable: CLI and window), dist/studio/_internal/ (Python,
# Qt, MediaPipe models, ffmpeg, assets, fonts), dist/studio/share/ (desktop file, icons, MIME type,
# AppStream metainfo) and dist/studio/install.sh (desktop integration, see packaging/README.md).
#   --appdir  also lay out dist/Studio.AppDir (and make dist/Studio-x86_64.AppImage when
#             appimagetool is on PATH)
#   --tar     also pack dist/studio-VERSION-linux-x86_64.tar.gz
# Environment: PYTHON (default .venv/bin/python, the one ./setup.sh makes).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
PY="${PYTHON:-.venv/bin/python}"
APPID=org.studio.Studio
appdir=0 tar=0
for arg in "$@"; do
  case "$arg" in
    --appdir) appdir=1 ;;
    --tar) tar=1 ;;
    -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
    *) echo "build.sh: unknown option '$arg' (known: --appdir --tar)" >&2; exit 2 ;;
  esac
done
if [ ! -x "$PY" ]; then
  echo "build.sh: no Python at $PY: run ./setup.sh first (or set PYTHON)" >&2
  exit 1
fi
if ! "$PY" -c "import PyInstaller" 2>/dev/null; then
  echo "build.sh: installing the 'packaging' extra (PyInstaller) into $("$PY" -c 'import sys; print(sys.prefix)')" >&2
  "$PY" -m pip install -q -e ".[packaging]"
fi
VERSION=$("$PY" -c "import studio; print(studio.__version__)")

start=$(date +%s)
"$PY" -m PyInstaller --noconfirm --log-level WARN --distpath dist --workpath build/pyinstaller packaging/studio.spec

# Desktop integration files, in the FHS layout install.sh copies from
BUNDLE=dist/studio
rm -rf "$BUNDLE/share"
mkdir -p "$BUNDLE/share/applications" "$BUNDLE/share/metainfo" "$BUNDLE/share/mime/packages" "$BUNDLE/share/icons"
cp packaging/linux/$APPID.desktop "$BUNDLE/share/applications/"
cp packaging/linux/$APPID.metainfo.xml "$BUNDLE/share/metainfo/"
cp packaging/linux/$APPID.mime.xml "$BUNDLE/share/mime/packages/$APPID.xml"
cp -r packaging/linux/icons/hicolor "$BUNDLE/share/icons/"
cp packaging/linux/install.sh "$BUNDLE/install.sh"
chmod +x "$BUNDLE/install.sh"

if [ "$appdir" = 1 ]; then
  APPDIR=dist/Studio.AppDir
  rm -rf "$APPDIR"
  mkdir -p "$APPDIR/usr/lib" "$APPDIR/usr/share"
  cp -al "$BUNDLE" "$APPDIR/usr/lib/studio"  # hard links: no second copy on disk
  cp -r "$BUNDLE/share/." "$APPDIR/usr/share/"
  cp packaging/linux/$APPID.desktop "$APPDIR/"
  cp packaging/linux/icons/hicolor/256x256/apps/$APPID.png "$APPDIR/$APPID.png"
  ln -s $APPID.png "$APPDIR/.DirIcon"
  cat > "$APPDIR/AppRun" <<'APPRUN'
#!/bin/sh
# AppImage entry: run the bundled executable (CLI and window)
HERE="$(dirname "$(readlink -f "$0")")"
exec "$HERE/usr/lib/studio/studio" "$@"
APPRUN
  chmod +x "$APPDIR/AppRun"
  if command -v appimagetool >/dev/null 2>&1; then
    ARCH=x86_64 appimagetool "$APPDIR" "dist/Studio-$VERSION-x86_64.AppImage"
  else
    echo "build.sh: $APPDIR laid out; appimagetool is not on PATH, so no .AppImage was made" >&2
  fi
fi

if [ "$tar" = 1 ]; then
  tar -C dist -czf "dist/studio-$VERSION-linux-x86_64.tar.gz" studio
fi

echo "build.sh: built $ROOT/$BUNDLE/studio (studio $VERSION) in $(( $(date +%s) - start )) s," \
     "$(du -sh "$BUNDLE" | cut -f1) on disk"
