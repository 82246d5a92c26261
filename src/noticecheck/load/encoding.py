"""Turn the bytes of a text format (txt, md, html) into a str, and say how.

Order of trust:

1. a byte-order mark (UTF-8, UTF-16 LE/BE, UTF-32 LE/BE), or UTF-16 without one
   when every other byte is NUL (English text saved as "Unicode" by some tools);
2. strict UTF-8 -- valid UTF-8 with non-ASCII bytes almost never happens by
   accident, so it beats a declared charset (pages often declare latin-1 and
   serve UTF-8);
3. a declared charset (HTTP Content-Type or <meta charset>), if it decodes
   cleanly; "iso-8859-1"/"ascii" are read as cp1252 as browsers do;
4. mostly-ASCII text that is valid cp1252 is cp1252: that is what an English
   notice saved by Word or an old CMS is, and statistical detection guesses
   badly on a handful of curly quotes and pound signs (cp1250 reads 0xA3 "£"
   as "Ł");
5. charset-normalizer for everything else;
6. cp1252, then latin-1, which cannot fail.

The chosen encoding goes into `Text.notes` as "decoded as <encoding>".
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from noticecheck.precompiled import regex

# Longest first: the UTF-32 LE mark starts with the UTF-16 LE mark.
BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# Labels browsers treat as windows-1252 (WHATWG Encoding Standard).
_CP1252_ALIASES = {"iso8859-1", "latin-1", "ascii", "cp1252", "iso8859-15"}

_META_CHARSET = regex(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9._:-]{1,40})""", re.I)
_MOSTLY_ASCII = 0.9


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str

    @property
    def note(self) -> str:
        return f"decoded as {self.encoding}"


def bom_encoding(data: bytes) -> tuple[str, int] | None:
    """The encoding named by a leading byte-order mark and the mark's length."""
    for bom, name in BOMS:
        if data.startswith(bom):
            return name, len(bom)
    return None


def declared_charset(data: bytes, media_type: str | None, *, html: bool) -> str | None:
    """A charset from the Content-Type hint, else (for HTML) from <meta> in the first 4 KiB."""
    if media_type:
        match = re.search(r"charset\s*=\s*[\"']?([A-Za-z0-9._:-]+)", media_type, re.I)
        if match:
            return match.group(1)
    if html:
        match = _META_CHARSET.search(data[:4096])
        if match:
            return match.group(1).decode("ascii")
    return None


def bomless_utf16(data: bytes) -> str | None:
    """"utf-16-le"/"utf-16-be" when `data` reads as UTF-16 text without a BOM: in its first
    4 KiB nearly every odd (LE) or even (BE) byte is NUL and nearly no other one is."""
    sample = data[:4096]
    pairs = len(sample) // 2
    if pairs < 8:
        return None
    even = sum(1 for b in sample[0 : 2 * pairs : 2] if b == 0)
    odd = sum(1 for b in sample[1 : 2 * pairs : 2] if b == 0)
    if odd >= 0.9 * pairs and even <= 0.05 * pairs:
        return "utf-16-le"
    if even >= 0.9 * pairs and odd <= 0.05 * pairs:
        return "utf-16-be"
    return None


def _canonical(label: str | None) -> str | None:
    if not label:
        return None
    try:
        name = codecs.lookup(label.strip().lower()).name
    except LookupError:
        return None
    if name in _CP1252_ALIASES:
        return "cp1252"
    # A declared UTF-16/32 without a BOM is wrong more often than right (and
    # browsers ignore it); the BOM path handles the real ones.
    if name.startswith(("utf-16", "utf-32")):
        return None
    return name


def _try(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def decode(data: bytes, *, declared: str | None = None) -> Decoded:
    """Decode bytes following the order in the module docstring. Never raises."""
    bom = bom_encoding(data)
    if bom:
        name, skip = bom
        # A BOM is a promise; a broken tail (odd byte count) is replaced, not fatal.
        return Decoded(data[skip:].decode(name, errors="replace"), f"{name} (BOM)")
    utf16 = bomless_utf16(data)
    if utf16:
        return Decoded(data.decode(utf16, errors="replace"), f"{utf16} (no BOM)")

    text = _try(data, "utf-8")
    if text is not None:
        return Decoded(text, "utf-8")

    label = _canonical(declared)
    if label and label != "utf-8":
        text = _try(data, label)
        if text is not None:
            return Decoded(text, f"{label} (declared)")

    sample = data[:65536]
    ascii_share = sum(1 for b in sample if b < 0x80) / max(len(sample), 1)
    if ascii_share >= _MOSTLY_ASCII:
        text = _try(data, "cp1252")
        if text is not None:
            return Decoded(text, "cp1252")

    guessed = _guess(data)
    if guessed is not None:
        return guessed

    text = _try(data, "cp1252")
    if text is not None:
        return Decoded(text, "cp1252")
    return Decoded(data.decode("latin-1"), "latin-1")


def _guess(data: bytes) -> Decoded | None:
    from charset_normalizer import from_bytes  # heavy import; only non-UTF-8 input pays for it

    best = from_bytes(data).best()
    if best is None or not best.encoding:
        return None
    text = _try(data, best.encoding)
    if text is None:
        return None
    return Decoded(text, f"{best.encoding} (detected)")
