#!/usr/bin/env python3
"""Prepares the faces in fonts/ from Debian's packages, reproducibly.

fucha ships free faces for every role of the GB/T 9704 font chain so that
a machine with no Chinese font still typesets every document. The Fandol
faces come from texlive-lang-chinese; each is reduced to what official
documents use (all of GB 2312, CJK punctuation, full-width forms, digits and
Latin) and its CFF outlines are converted once to TrueType, because the PDF
writer subsets `glyf` by copying while CFF subsetting recompiles every
charstring (bench/README.md has the figures). Liberation Serif is copied
unchanged: its licence reserves the name "Liberation" for unmodified files.

Run from anywhere, as any user (needs apt-get and python3 with fontTools):

    pip install fonttools==4.68.0
    python3 scripts/prepare-fonts.py

The same packages and fontTools version give byte-identical files.
"""

import gzip
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile

from fontTools import subset
from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTFont, newTable

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "fonts")

# Source packages, pinned so a rerun gives the same files.
PACKAGES = {
    "texlive-lang-chinese": "2022.20230122-1",
    "fonts-liberation2": "2.1.5-1",
}
FANDOL_DIR = "usr/share/texlive/texmf-dist/fonts/opentype/public/fandol"
FANDOL_LICENCE = "usr/share/doc/texlive-doc/fonts/fandol/COPYING.gz"
LIBERATION_DIR = "usr/share/fonts/truetype/liberation2"
LIBERATION_COPYRIGHT = "usr/share/doc/fonts-liberation2/copyright"

# Largest distance, in font units (1/1000 em), between a cubic CFF curve
# and the quadratic curves that replace it: 0.03 pt at 16 pt, well under a
# 600 dpi dot. Halving it costs 5% more bytes for no visible change.
MAX_CURVE_ERROR = 2.0

# The manifest fucha looks for (fonts::SHIPPED_MARKER in the code).
MANIFEST = "fucha-fonts.sha256"

# Marks the faces' version string so a reduced file is never taken for
# the original.
VERSION_NOTE = "; reduced to GB 2312 and converted to TrueType by fucha scripts/prepare-fonts.py"


def gb2312_chars():
    """Every character of GB 2312: hanzi, punctuation, symbols, kana,
    Greek, Cyrillic, pinyin and box drawing."""
    chars = set()
    for lead in range(0xA1, 0xF8):
        for trail in range(0xA1, 0xFF):
            try:
                chars.add(bytes([lead, trail]).decode("gb2312"))
            except UnicodeDecodeError:
                pass
    return {ord(c) for c in chars}


def ranges(*spans):
    return {c for lo, hi in spans for c in range(lo, hi + 1)}


# What official documents use beyond GB 2312: ASCII and Latin-1 (×, ÷, °,
# §), general punctuation (‰, ′, the em dash of page numbers), letterlike
# symbols (℃, №), arrows and mathematical operators (−, ≤, ≥), enclosed
# numbers (①, ⑴, ⒈), geometric shapes (□, ■, ○), the whole CJK
# punctuation block (〇, 〔〕, 〖〗), enclosed CJK (㈠) and full-width forms.
EXTRA = ranges(
    (0x0020, 0x007E),
    (0x00A0, 0x00FF),
    (0x2010, 0x205E),
    (0x2100, 0x214F),
    (0x2190, 0x23FF),
    (0x2460, 0x24FF),
    (0x25A0, 0x26FF),
    (0x3000, 0x303F),
    (0x3200, 0x32FF),
    (0xFE30, 0xFE4F),
    (0xFF01, 0xFFEF),
)

HANZI = ranges((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF))

# (source file, role it stands in for, which characters to keep)
FANDOL = [
    ("FandolSong-Bold.otf", "all"),
    ("FandolFang-Regular.otf", "all"),
    ("FandolHei-Regular.otf", "all"),
    ("FandolKai-Regular.otf", "all"),
    # Page numbers only: digits, dashes and punctuation, no hanzi.
    ("FandolSong-Regular.otf", "no-hanzi"),
]


def download(tmp):
    """Fetches and unpacks the pinned packages; needs no root."""
    for name, version in PACKAGES.items():
        subprocess.run(
            ["apt-get", "download", f"{name}={version}"], cwd=tmp, check=True
        )
    for deb in sorted(f for f in os.listdir(tmp) if f.endswith(".deb")):
        subprocess.run(
            ["dpkg-deb", "-x", os.path.join(tmp, deb), os.path.join(tmp, "x")],
            check=True,
        )
    return os.path.join(tmp, "x")


def reduce(font, keep):
    options = subset.Options()
    options.layout_features = []  # fucha shapes by cmap and advances alone
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.hinting = False
    options.drop_tables += ["BASE", "VORG", "vhea", "vmtx", "GSUB", "GPOS"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=keep)
    subsetter.subset(font)


def to_truetype(font):
    """Replaces CFF outlines by quadratic `glyf` outlines."""
    order = font.getGlyphOrder()
    glyphs = font.getGlyphSet()
    glyf = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = {}
    for name in order:
        pen = TTGlyphPen(None)
        glyphs[name].draw(Cu2QuPen(pen, MAX_CURVE_ERROR, reverse_direction=True))
        glyf[name] = pen.glyph(dropImpliedOnCurves=True)
    font["glyf"] = glyf
    font["loca"] = newTable("loca")
    del font["CFF "]
    font.sfntVersion = "\x00\x01\x00\x00"
    maxp = font["maxp"]
    maxp.tableVersion = 0x00010000
    for field in (
        "maxTwilightPoints maxStorage maxFunctionDefs maxInstructionDefs "
        "maxStackElements maxSizeOfInstructions maxComponentElements "
        "maxComponentDepth maxPoints maxContours maxCompositePoints "
        "maxCompositeContours"
    ).split():
        setattr(maxp, field, 0)
    maxp.maxZones = 1
    font["head"].glyphDataFormat = 0
    post = font["post"]
    post.formatType = 3.0
    post.extraNames = []
    post.mapping = {}
    post.glyphOrder = None


def fix_weight(font):
    """Fandol's bold faces say bold in fsSelection and macStyle but keep
    weight class 400, so a lookup by weight (fontdb's, fontconfig's) never
    finds them as bold."""
    os2 = font["OS/2"]
    if os2.fsSelection & 0x20 and os2.usWeightClass < 700:
        os2.usWeightClass = 700


def mark_version(font):
    for record in font["name"].names:
        if record.nameID == 5:
            record.string = record.toUnicode() + VERSION_NOTE


def main():
    keep_all = gb2312_chars() | EXTRA
    keep_no_hanzi = keep_all - HANZI
    with tempfile.TemporaryDirectory() as tmp:
        root = download(tmp)
        os.makedirs(OUT, exist_ok=True)
        for source, which in FANDOL:
            path = os.path.join(root, FANDOL_DIR, source)
            font = TTFont(path, recalcTimestamp=False)
            reduce(font, keep_all if which == "all" else keep_no_hanzi)
            to_truetype(font)
            fix_weight(font)
            mark_version(font)
            target = os.path.join(OUT, source.replace(".otf", ".ttf"))
            # No new timestamp: a rerun must give the same bytes.
            font.save(target, reorderTables=True)
            font = TTFont(target)  # recompute bounds as a reader would
            print(
                f"{source}: {os.path.getsize(path):,} -> {os.path.getsize(target):,} bytes, "
                f"{len(font.getBestCmap()):,} characters",
                file=sys.stderr,
            )
        liberation = os.path.join(root, LIBERATION_DIR, "LiberationSerif-Regular.ttf")
        shutil.copyfile(liberation, os.path.join(OUT, "LiberationSerif-Regular.ttf"))
        print("LiberationSerif-Regular.ttf: copied unchanged", file=sys.stderr)
        write_licences(root)
    write_manifest()


def write_manifest():
    """fucha-fonts.sha256: how fucha tells this folder from any other
    called fonts/, and how anyone checks the files (sha256sum -c)."""
    names = sorted(
        n for n in os.listdir(OUT) if n.endswith(".ttf") or n.startswith("LICENSE-")
    )
    with open(os.path.join(OUT, MANIFEST), "w", encoding="utf-8") as out:
        for name in names:
            with open(os.path.join(OUT, name), "rb") as f:
                digest = hashlib.sha256(f.read()).hexdigest()
            out.write(f"{digest}  {name}\n")


def write_licences(root):
    """Each face's licence beside it: Fandol's GPL-3 with its font
    exception, and the SIL OFL 1.1 text of Liberation's Debian copyright."""
    with gzip.open(os.path.join(root, FANDOL_LICENCE), "rb") as f:
        fandol = f.read()
    with open(os.path.join(OUT, "LICENSE-Fandol.txt"), "wb") as f:
        f.write(fandol)
    with open(os.path.join(root, LIBERATION_COPYRIGHT), encoding="utf-8") as f:
        copyright = f.read()
    # The Files: * paragraph: its Copyright lines and the licence text,
    # one space indented, with " ." for empty lines.
    first = copyright.split("\n\n")[1]
    lines = []
    for line in first.splitlines():
        if line.startswith("Files:") or line.startswith("License:"):
            continue
        if line.startswith("Copyright:"):
            lines.append("Copyright:")
            continue
        text = line[1:] if line.startswith(" ") else line
        lines.append("" if text == "." else text)
    with open(os.path.join(OUT, "LICENSE-Liberation.txt"), "w", encoding="utf-8") as f:
        f.write("\n".join(lines).strip() + "\n")


if __name__ == "__main__":
    main()
