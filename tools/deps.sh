#!/bin/sh
# deps.sh: install the Debian packages the project needs, only those missing.
# Called by make before anything is built; a no-op when all are present.
set -e
PKGS="clang-14 llvm-14-dev libxml2-dev libxml2-utils graphviz libgraphviz-dev
      libffi-dev libcapstone-dev pkg-config valgrind gnuplot-nox beef"
# Chromium (big) for the viewer's browser test, unless TS_BROWSER_TESTS=no
[ "${TS_BROWSER_TESTS:-yes}" = no ] || PKGS="$PKGS chromium"
missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "deps.sh: installing$missing"
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO=sudo
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $missing >/dev/null
