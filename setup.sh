#!/usr/bin/env bash
# Set up Studio on a fresh Debian machine: the system libraries Qt needs (QtMultimedia needs
# libpulse0), a virtual environment in .venv, and Studio with its test extras. Safe to re-run:
# it installs only what is missing.
set -euo pipefail
cd "$(dirname "$0")"

SYSTEM_PACKAGES="libpulse0 libegl1 libgl1 libopengl0 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 libdbus-1-3
libglib2.0-0 libx11-xcb1 libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-randr0
libxcb-render-util0 libxcb-shape0 libxcb-xinerama0 libxcb-xkb1 libgomp1
fonts-noto-core fonts-noto-cjk fonts-noto-color-emoji fonts-dejavu-core
espeak-ng flite nginx-light libnginx-mod-rtmp"  # Noto: text in every script and colour emoji; espeak-ng, flite:
# the captions tests' voices; nginx with its RTMP module: the live tests' ingest server (on 127.0.0.1 only)

if command -v dpkg >/dev/null 2>&1; then
  missing=""
  for pkg in $SYSTEM_PACKAGES; do
    dpkg -s "$pkg" >/dev/null 2>&1 || missing="$missing $pkg"
  done
  if [ -n "$missing" ]; then
    if [ "$(id -u)" = 0 ]; then
      echo "setup: installing system libraries:$missing" >&2
      apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null
    else
      echo "setup: warning: missing system libraries (run as root to install):$missing" >&2
    fi
  fi
fi

PYTHON="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
  .venv/bin/python -m pip install -q --upgrade pip
fi
# Reinstall only when the project's dependency list changed since the last set-up
stamp=.venv/.studio-installed
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  .venv/bin/python -m pip install -q -e ".[test]"
  touch "$stamp"
fi
