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

import bisect
import io

from noticecheck.model import BlockKind, Text
from noticecheck.precompiled import regex

AUTHOR = "noticecheck"
WORD_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
_SPACE = regex(r"\s+")
_MATCH_CHARS = 80  # a block matches a paragraph on this much of its text
_WINDOW = 60  # paragraphs looked through for a block that matches none exactly


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
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.text.paragraph import Paragraph

    document = docx.Document()
    document.core_properties.title = text.title or "Privacy notice"
    document.core_properties.author = AUTHOR
    # Look each style up once: python-docx resolves a style name per paragraph, which is slow for long notices.
    styles = {name: document.styles[name].style_id for name in ("List Bullet", *(f"Heading {n}" for n in range(1, 10)))}
    # python-docx's add_paragraph searches the whole body for its end each time (quadratic on a long
    # notice); paragraphs go in before the section properties directly instead.
    end = document.element.body.find(qn("w:sectPr"))
    paragraphs = []
    for block in text.blocks:
        element = OxmlElement("w:p")
        end.addprevious(element)
        paragraph = Paragraph(element, document._body)
        paragraph.add_run(block.text)
        if block.kind is BlockKind.HEADING:
            paragraph._p.style = styles[f"Heading {min(max(block.level, 1), 9)}"]
        elif block.kind is BlockKind.LIST_ITEM:
            paragraph._p.style = styles["List Bullet"]
        paragraphs.append(paragraph)
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
    exact: dict[str, list[int]] = {}
    for i, value in enumerate(normalised):
        exact.setdefault(value[:_MATCH_CHARS], []).append(i)
    located: dict[int, int] = {}  # block index -> paragraph index
    at = 0
    for index, block in enumerate(text.blocks):
        want = _norm(block.text)[:_MATCH_CHARS]
        if not want:
            continue
        hits = exact.get(want, [])
        # Reading order: the first equal paragraph at or after the last match, else a near one
        # (the loader may join or trim paragraphs), looked for in a short window so long files stay linear.
        hit = next((i for i in hits if i >= at), hits[0] if hits else None)
        if hit is None:
            window = range(at, min(at + _WINDOW, len(paragraphs)))
            hit = next((i for i in window if normalised[i] and (want in normalised[i] or (len(normalised[i]) > 3 and normalised[i] in want))), None)
        if hit is not None:
            located[index] = at = hit
    if not located:
        raise ValueError("no block of the notice was found in the Word file")
    blocks = sorted(located)
    for item in findings:
        # A block not found takes the nearest found block before it.
        nearest = blocks[max(bisect.bisect_right(blocks, item.block) - 1, 0)]
        _add_comment(document, paragraphs[located[nearest]], item)
    return _save(document)


def _save(document) -> bytes:
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
