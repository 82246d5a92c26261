"""Which corpus notices the benchmarks use: every notice with its format, audience and word count.

Word counts are the checker's own (`DocumentResult.word_count` of the loaded
text), so "typical" means what noticecheck sees: 1,500 to 3,000 words, the
length of most real school notices.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from bench.machine import REPO

CORPUS = REPO / "corpus" / "notices"
LABELS = REPO / "corpus" / "labels.jsonl"
TYPICAL_WORDS = (1500, 3000)
MAX_BYTES = 50 * 1024 * 1024


@dataclass(frozen=True)
class Notice:
    path: Path
    fmt: str  # file extension without the dot: txt, md, html, pdf, docx, odt
    audience: str | None  # from corpus/labels.jsonl
    words: int

    @property
    def typical(self) -> bool:
        return TYPICAL_WORDS[0] <= self.words <= TYPICAL_WORDS[1]


def _audiences() -> dict[str, str]:
    found = {}
    if LABELS.exists():
        for line in LABELS.read_text(encoding="utf-8").splitlines():
            if line.strip():
                record = json.loads(line)
                found[Path(record["file"]).name] = record.get("audience")
    return found


def corpus_notices(directory: Path = CORPUS) -> list[Notice]:
    """Every notice in the corpus, loaded once to count its words (about 3 s for the whole corpus)."""
    from noticecheck.load import to_text
    from noticecheck.sources import read_document

    audiences = _audiences()
    notices = []
    for path in sorted(directory.iterdir()):
        if not path.is_file() or path.name.startswith("."):
            continue
        text = to_text(read_document(str(path), max_bytes=MAX_BYTES), max_bytes=MAX_BYTES)
        notices.append(Notice(path, path.suffix.lower().lstrip("."), audiences.get(path.name), text.word_count))
    if not notices:
        raise RuntimeError(f"no notices in {directory}")
    return notices


def longest(notices: list[Notice], *, fmt: str, audience: str) -> Notice:
    """The longest notice of one format for one audience (the most typical one the corpus has)."""
    matching = [n for n in notices if n.fmt == fmt and n.audience == audience]
    if not matching:
        raise RuntimeError(f"the corpus has no .{fmt} notice for {audience}")
    return max(matching, key=lambda n: (n.words, n.path.name))


def typical(notices: list[Notice]) -> list[Notice]:
    chosen = [n for n in notices if n.typical]
    if not chosen:
        raise RuntimeError(f"the corpus has no notice of {TYPICAL_WORDS[0]}-{TYPICAL_WORDS[1]} words")
    return chosen


# The part of each office format that loaders may cache by its bytes (wordxml's styles cache).
_STYLE_PARTS = {"docx": "word/styles.xml", "odt": "styles.xml"}


def unique_copy(data: bytes, fmt: str, tag: str) -> bytes:
    """The same notice as bytes no earlier copy shares, so nothing cached by content can hit.

    Text formats get a line of their own (a document reference); Word and
    OpenDocument files get an XML comment in their styles part; PDFs a comment
    line after the end of the file, which readers skip.
    """
    reference = f"Document reference: {tag}"
    if fmt in ("txt", "md"):
        return data + f"\n\n{reference}\n".encode()
    if fmt == "html":
        page = data.decode("utf-8")
        marker = page.lower().rfind("</body>")
        insert = f"<p>{reference}</p>\n"
        return (page[:marker] + insert + page[marker:] if marker != -1 else page + insert).encode("utf-8")
    if fmt == "pdf":
        return data + f"\n% {reference}\n".encode()
    if fmt in _STYLE_PARTS:
        out = io.BytesIO()
        with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
            for info in src.infolist():
                body = src.read(info)
                if info.filename == _STYLE_PARTS[fmt]:
                    body = re.sub(rb"^(<\?xml[^>]*\?>)?", lambda m: (m.group(1) or b"") + f"<!-- {tag} -->".encode(), body, count=1)
                dst.writestr(info, body)
        return out.getvalue()
    raise ValueError(f"no way to make a unique copy of a .{fmt} file")


def make_repository(notices: list[Notice], count: int, root: Path) -> list[Path]:
    """`count` notice files under `root`, one folder per pretend school, cycling through `notices`;
    no two files are the same (unique_copy), so no file is checked with another's cached parts."""
    root.mkdir(parents=True, exist_ok=True)
    written = []
    for i in range(count):
        notice = notices[i % len(notices)]
        folder = root / f"school-{i + 1:03d}"
        folder.mkdir(exist_ok=True)
        target = folder / f"privacy-notice-{notice.audience or 'all'}.{notice.fmt}"
        target.write_bytes(unique_copy(notice.path.read_bytes(), notice.fmt, f"NC-BENCH-{i + 1:04d}"))
        written.append(target)
    return written
