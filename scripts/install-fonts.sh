#!/usr/bin/env bash
# Installs what fucha's PDFs and tests need on a Debian/Ubuntu machine:
# CJK fonts for every role, Liberation Serif for Latin, and poppler-utils
# (pdftotext, pdffonts) used by the tests. Safe to run again: it only
# installs what is missing. Needs root (or sudo).
set -euo pipefail

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

need=()
# Read the list once: `fc-list | grep -q` would fail under pipefail when grep
# stops reading early.
fonts=$(fc-list 2>/dev/null || true)
grep -q "NotoSerifCJK" <<<"$fonts" || need+=(fonts-noto-cjk)
grep -qi "gkai00mp" <<<"$fonts" || need+=(fonts-arphic-gkai00mp)
grep -q "LiberationSerif" <<<"$fonts" || need+=(fonts-liberation)
command -v pdftotext >/dev/null 2>&1 || need+=(poppler-utils)
command -v fc-cache >/dev/null 2>&1 || need+=(fontconfig)

if [ ${#need[@]} -gt 0 ]; then
  echo "installing: ${need[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi

# FandolFang is the free 仿宋 (and FandolKai a 楷体) with full GB2312 coverage.
# Debian ships them only inside texlive-lang-chinese, which drags in all of
# TeX Live; we take the font files out of the package instead.
fandol=/usr/local/share/fonts/fandol
if [ ! -f "$fandol/FandolFang-Regular.otf" ]; then
  tmp=$(mktemp -d)
  # A machine that had every other package may never have fetched the lists.
  if ! (cd "$tmp" && apt-get download texlive-lang-chinese >/dev/null 2>&1); then
    $SUDO apt-get update -qq || true
  fi
  if ls "$tmp"/texlive-lang-chinese_*.deb >/dev/null 2>&1 \
     || (cd "$tmp" && apt-get download texlive-lang-chinese >/dev/null 2>&1); then
    dpkg-deb -x "$tmp"/texlive-lang-chinese_*.deb "$tmp/x"
    $SUDO mkdir -p "$fandol"
    $SUDO cp "$tmp"/x/usr/share/texlive/texmf-dist/fonts/opentype/public/fandol/Fandol{Fang,Kai,Song,Hei}-*.otf "$fandol/"
    echo "installed Fandol fonts into $fandol"
  else
    echo "note: texlive-lang-chinese could not be downloaded; 仿宋 falls back to Noto Serif CJK SC"
  fi
  rm -rf "$tmp"
  $SUDO fc-cache -f >/dev/null 2>&1 || true
fi
