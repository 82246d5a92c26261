"""What the DOCX and ODT loaders share.

* One hardened lxml parser (no DTDs, no entity expansion, no network) for
  every XML member we parse ourselves.
* The Dublin Core title both formats keep in their metadata part.
* Numbering: office documents have no lines, so a block's `line` is its
  ordinal in document order (1-based, empty paragraphs skipped).
"""

from __future__ import annotations

import zipfile
from collections.abc import Sequence
from dataclasses import replace

from noticecheck.load.blocks import normalise
from noticecheck.load.errors import corrupt, empty
from noticecheck.model import Block, Document, Text

DC_TITLE = "{http://purl.org/dc/elements/1.1/}title"


def parse_member(archive: zipfile.ZipFile, name: str, kind: str):
    """The root element of XML member `name`; UnreadableInput("corrupt") if absent or malformed."""
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        data = archive.read(name)
    except KeyError:
        raise corrupt(f"damaged {kind} file: the part {name!r} is missing") from None
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError, RuntimeError) as exc:
        raise corrupt(f"damaged {kind} file: cannot read {name!r}: {exc}") from None
    try:
        return etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise corrupt(f"damaged {kind} file: {name!r} is not well-formed XML ({exc})") from None


def dc_title(archive: zipfile.ZipFile, name: str) -> str | None:
    """The dc:title from a metadata part (docProps/core.xml, meta.xml), if present and readable."""
    if name not in archive.namelist():
        return None
    try:
        root = parse_member(archive, name, "metadata")
    except Exception:  # noqa: BLE001 - metadata is optional; its damage must not sink the document
        return None
    element = root.find(f".//{DC_TITLE}")
    if element is None:
        return None
    return normalise("".join(element.itertext())) or None


def numbered_text(
    doc: Document,
    media_type: str,
    blocks: Sequence[Block],
    *,
    title: str | None,
    what: str,
    notes: tuple[str, ...],
) -> Text:
    """Text whose blocks are numbered by ordinal; `what` names the format when it is empty."""
    if not blocks:
        raise empty(f"the {what} contains no text")
    numbered = tuple(replace(block, line=ordinal) for ordinal, block in enumerate(blocks, start=1))
    title = title or next((b.text for b in numbered if b.is_heading), None)
    return Text(
        source=doc.source,
        blocks=numbered,
        media_type=media_type,
        title=title,
        notes=(*notes, "lines are paragraph numbers"),
    )
