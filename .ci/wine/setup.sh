#!/usr/bin/env bash
# Prepares a Wine prefix that can run Go (>= 1.22) windows/amd64 test binaries.
#
# Usage: .ci/wine/setup.sh PREFIX
# Installs Wine and the MinGW-w64 compiler from Debian when they are missing, builds the
# bcryptprimitives.dll stand-in (processprng.c) and places it in PREFIX's system32, then starts a
# persistent wineserver and boots the prefix, so that later `wine` calls start at once.
set -euo pipefail
prefix=$1
here=$(cd "$(dirname "$0")" && pwd)

if ! command -v wine >/dev/null || ! command -v x86_64-w64-mingw32-gcc >/dev/null; then
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	apt-get install -y -qq --no-install-recommends wine wine64 gcc-mingw-w64-x86-64-win32 >/dev/null
fi

export WINEPREFIX=$prefix WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml="
mkdir -p "$prefix"
# A persistent server (-p) and a booted prefix: without them every wine call boots the prefix
# anew and waits for Wine's services to let go of its standard streams.
wineserver -p </dev/null >/dev/null 2>&1 || true # already running for this prefix
wine wineboot --init </dev/null >/dev/null 2>&1

# Wine 8.0 lacks bcryptprimitives.dll, which the Go runtime loads at start for ProcessPrng.
x86_64-w64-mingw32-gcc -O2 -shared -o "$prefix/drive_c/windows/system32/bcryptprimitives.dll" \
	"$here/processprng.c" -lbcrypt
