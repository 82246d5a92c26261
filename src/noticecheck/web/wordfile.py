"""The Word download: the notice with each finding as a real Word comment at its paragraph.

A school edits its notice in Word, so the findings go where it works. When
the upload was itself a Word file, the comments go into that file (its
styles and layout kept); each finding's paragraph is found by the text of
the block the finding sits at. Any other input (PDF, web page, ODT, pasted
text) becomes a new Word document of the notice's blocks. python-docx
writes the comments part (word/comments.xml and its relationship).
Built in memory from the request's bytes; nothing touches the disk.
"""

from __future__ import annotations

import io
import re

from noticecheck.model import BlockKind, Text

AUTHOR = "noticecheck"
WORD_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
_SPACE = re.compile(r"\s+")
_MATCH_CHARS = 80  # a block matches a paragraph on this much of its text


def _norm(text: str) -> str:
    return _SPACE.sub(" ", text).strip().casefold()


def comment_lines(item) -> list[str]:
    """What one finding says in its comment, a line a paragraph."""
    f = item.finding
    lines = [f"{item.label}: {f.title or f.rule}", f.message]
    if f.fix:
        lines.append(f"Suggested wording: {f.fix}")
    if f.source_link:
        lines.append(f"Source: {f.source_link}")
    lines.append(f"(rule {f.rule})")
    return lines


def _add_comment(document, paragraph, item) -> None:
    runs = paragraph.runs or [paragraph.add_run("")]  # text only in hyperlinks: anchor at the end
    lines = comment_lines(item)
    comment = document.add_comment(runs, text=lines[0], author=AUTHOR, initials="NC")
    for line in lines[1:]:
        comment.add_paragraph(line)


def word_copy(text: Text, findings, original: bytes | None = None) -> bytes:
    """The notice as .docx bytes with one comment per finding (ShownFinding, placed at a block)."""
    if original is not None:
        try:
            return _into_original(original, text, findings)
        except Exception:  # noqa: BLE001 - python-docx cannot take every file the loader can; rebuild instead
            pass
    return _rebuilt(text, findings)


def _rebuilt(text: Text, findings) -> bytes:
    import docx

    document = docx.Document()
    document.core_properties.title = text.title or "Privacy notice"
    document.core_properties.author = AUTHOR
    paragraphs = []
    for block in text.blocks:
        if block.kind is BlockKind.HEADING:
            paragraphs.append(document.add_heading(block.text, level=min(max(block.level, 1), 9)))
        elif block.kind is BlockKind.LIST_ITEM:
            paragraphs.append(document.add_paragraph(block.text, style="List Bullet"))
        else:
            paragraphs.append(document.add_paragraph(block.text))
    if not paragraphs:
        paragraphs.append(document.add_paragraph(""))
    for item in findings:
        _add_comment(document, paragraphs[min(item.block, len(paragraphs) - 1)], item)
    return _save(document)


def _all_paragraphs(document):
    """Body paragraphs in reading order, table cells included (notices often sit in tables)."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    def walk(container):
        for item in container.iter_inner_content():
            if isinstance(item, Paragraph):
                yield item
            elif isinstance(item, Table):
                for row in item.rows:
                    for cell in row.cells:
                        yield from walk(cell)

    seen = set()
    for paragraph in walk(document):
        if id(paragraph._p) not in seen:  # merged cells repeat the same paragraphs
            seen.add(id(paragraph._p))
            yield paragraph


def _into_original(data: bytes, text: Text, findings) -> bytes:
    import docx

    document = docx.Document(io.BytesIO(data))
    paragraphs = list(_all_paragraphs(document))
    normalised = [_norm(p.text) for p in paragraphs]
    located: dict[int, int] = {}  # block index -> paragraph index
    at = 0
    for index, block in enumerate(text.blocks):
        want = _norm(block.text)[:_MATCH_CHARS]
        if not want:
            continue
        # Search forward from the last match (reading order), then from the top.
        for start in (at, 0):
            hit = next((i for i in range(start, len(paragraphs)) if normalised[i] and want in normalised[i]), None)
            if hit is None:
                hit = next((i for i in range(start, len(paragraphs)) if len(normalised[i]) > 3 and normalised[i] in want), None)
            if hit is not None:
                located[index] = at = hit
                break
    if not located:
        raise ValueError("no block of the notice was found in the Word file")
    for item in findings:
        # An unlocated block takes the nearest located block before it.
        before = [b for b in located if b <= item.block]
        paragraph = paragraphs[located[max(before)] if before else located[min(located)]]
        _add_comment(document, paragraph, item)
    return _save(document)


def _save(document) -> bytes:
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
