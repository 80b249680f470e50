#!/usr/bin/env bash
# Install the Studio bundle this script sits in, with its desktop integration:
#
#   ./install.sh [PREFIX]        (default PREFIX: ~/.local; e.g. /usr/local as root)
#   ./install.sh --uninstall [PREFIX]
#
# Copies the bundle to PREFIX/lib/studio, links PREFIX/bin/studio, installs the .desktop file,
# icons, the application/x-studio-project MIME type (*.studio) and AppStream metainfo under
# PREFIX/share, and refreshes the desktop's caches when their tools are present.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
APPID=org.studio.Studio
uninstall=0
if [ "${1:-}" = "--uninstall" ]; then uninstall=1; shift; fi
PREFIX="${1:-$HOME/.local}"
SHARE="$PREFIX/share"

refresh() {
  command -v update-mime-database >/dev/null && update-mime-database "$SHARE/mime" >/dev/null 2>&1 || true
  command -v update-desktop-database >/dev/null && update-desktop-database -q "$SHARE/applications" || true
  command -v gtk-update-icon-cache >/dev/null && gtk-update-icon-cache -q -t -f "$SHARE/icons/hicolor" || true
}

if [ "$uninstall" = 1 ]; then
  rm -rf "$PREFIX/lib/studio"
  rm -f "$PREFIX/bin/studio" "$SHARE/applications/$APPID.desktop" "$SHARE/metainfo/$APPID.metainfo.xml" \
        "$SHARE/mime/packages/$APPID.xml"
  find "$SHARE/icons/hicolor" \( -name "$APPID.*" -o -name "application-x-studio-project.*" \) -delete 2>/dev/null || true
  refresh
  echo "Studio removed from $PREFIX"
  exit 0
fi

[ -x "$HERE/studio" ] && [ -d "$HERE/share" ] || { echo "install.sh: run me from the built bundle (dist/studio)" >&2; exit 1; }
mkdir -p "$PREFIX/lib" "$PREFIX/bin" "$SHARE"
if [ "$HERE" != "$PREFIX/lib/studio" ]; then
  rm -rf "$PREFIX/lib/studio"
  cp -a "$HERE" "$PREFIX/lib/studio"
fi
ln -sfn "$PREFIX/lib/studio/studio" "$PREFIX/bin/studio"
cp -r "$HERE/share/." "$SHARE/"
# the .desktop file runs `studio`: point it at this install, wherever PREFIX/bin is
sed -i "s|^Exec=studio |Exec=$PREFIX/bin/studio |; s|^TryExec=studio$|TryExec=$PREFIX/bin/studio|" \
  "$SHARE/applications/$APPID.desktop"
refresh
echo "Studio installed in $PREFIX (run: $PREFIX/bin/studio)"
