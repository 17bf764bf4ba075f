#!/bin/sh
# Installs the system packages kgtools calls, with apt-get, when they are missing.
# Java runs the HermiT reasoner, Graphviz draws SVG/PNG, Chromium tests the HTML view,
# OpenLink Virtuoso 7 is the triple store the push and stored-query tests run against.
# Each entry: a command to look for, and the Debian package that provides it.
set -eu
missing=""
need() { command -v "$1" >/dev/null 2>&1 || missing="$missing $2"; }
need java default-jre-headless
need dot graphviz
need chromium chromium
need virtuoso-t virtuoso-opensource-7-bin
# Liberation Sans has the widths of Arial, by which Graphviz sizes the boxes around the labels it draws.
fc-list 2>/dev/null | grep -q "Liberation Sans" || missing="$missing fonts-liberation2"
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing system packages:$missing"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null
else
    echo "missing system packages:$missing -- install them (e.g. sudo apt-get install$missing) and retry" >&2
    exit 2
fi
