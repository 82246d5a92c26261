"""Build the generated corpus notices (PDF, Word, OpenDocument) from their sources.

The B half of the evaluation corpus has notices that schools publish as PDF,
DOCX or ODT files. Their text lives in `corpus/src/*.src`, written in a small
markup defined below; this script renders each source to the format named in
its front matter and writes it to `corpus/notices/`. The generated files are
committed so the checker is measured on exactly the bytes a reviewer labelled;
`--check` proves that they still match their sources.

Usage (from the repository root):

    .venv/bin/python corpus/build.py             # rebuild every generated notice
    .venv/bin/python corpus/build.py --only b03  # rebuild sources whose name starts with b03
    .venv/bin/python corpus/build.py --check     # exit 1 if a committed file's text differs

Builds are reproducible: metadata dates come from the source, ZIP entries carry
a fixed timestamp, and nothing is random, so two builds give identical bytes.

Source format
-------------

Front matter of `key: value` lines, then a line `---`, then the body::

    output: b01-example.pdf        required; the extension picks the renderer
    title: Privacy notice ...      document metadata title
    author: Example School         document metadata author
    date: 2026-09-14               creation/modification date written into metadata
    header: Example School | ...   PDF only: running header line on every page
    footer: Page {n} of {nb}       PDF only: running footer ({n} page, {nb} page count)
    font: core | dejavu            PDF only: Helvetica (latin-1 text) or embedded DejaVu Sans
    headings: styles | bold        DOCX only: Word heading styles, or bold Normal paragraphs
    bullets: style | manual        DOCX only: "List Bullet" style, or a typed bullet and a tab

Body, one block per group of lines (a blank line ends a block)::

    # Heading level 1      ## level 2      ### level 3
    - bullet item          (following lines indented by two spaces continue it)
    | cell | cell |        consecutive rows form a table; the first row is its header
    %% comment             ignored
    anything else          a paragraph; consecutive lines are joined with a space
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import io
import sys
import tempfile
import zipfile
from pathlib import Path
from xml.etree import ElementTree as ET
from xml.sax.saxutils import escape, quoteattr

CORPUS = Path(__file__).resolve().parent
SRC_DIR = CORPUS / "src"
NOTICES_DIR = CORPUS / "notices"

DEJAVU_DIRS = (Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/dejavu"))

# A fixed timestamp for every ZIP entry (DOCX and ODT are ZIP files): the
# default is "now", which would make every rebuild a new set of bytes.
ZIP_TIMESTAMP = (2020, 1, 1, 0, 0, 0)

# Heading sizes in points for the PDF and ODF renderers (Word uses its own heading styles).
HEADING_POINTS = {1: 16, 2: 13, 3: 11}

FRONT_MATTER_KEYS = {"output", "title", "author", "date", "header", "footer", "font", "headings", "bullets"}


class BuildError(Exception):
    """A source cannot be parsed or rendered; the message names the file and line."""


@dataclasses.dataclass(frozen=True)
class Block:
    """One unit of a notice body: heading, paragraph, bullet or table."""

    kind: str  # "heading" | "paragraph" | "bullet" | "table"
    text: str = ""
    level: int = 0
    rows: tuple[tuple[str, ...], ...] = ()


@dataclasses.dataclass(frozen=True)
class Source:
    path: Path
    meta: dict[str, str]
    blocks: tuple[Block, ...]

    @property
    def output(self) -> str:
        return self.meta["output"]

    @property
    def date(self) -> dt.datetime:
        return dt.datetime.combine(dt.date.fromisoformat(self.meta["date"]), dt.time(9, 0), dt.timezone.utc)


# --------------------------------------------------------------------------- parsing


def parse_source(path: Path) -> Source:
    """Read one `.src` file into its front matter and body blocks."""
    lines = path.read_text(encoding="utf-8").splitlines()
    try:
        sep = lines.index("---")
    except ValueError:
        raise BuildError(f"{path}: no '---' line ending the front matter") from None
    meta: dict[str, str] = {}
    for number, line in enumerate(lines[:sep], start=1):
        if not line.strip():
            continue
        key, colon, value = line.partition(":")
        key = key.strip()
        if not colon or key not in FRONT_MATTER_KEYS:
            raise BuildError(f"{path}:{number}: expected 'key: value' with key in {sorted(FRONT_MATTER_KEYS)}")
        meta[key] = value.strip()
    for required in ("output", "title", "author", "date"):
        if required not in meta:
            raise BuildError(f"{path}: front matter lacks '{required}:'")
    try:
        dt.date.fromisoformat(meta["date"])
    except ValueError:
        raise BuildError(f"{path}: date {meta['date']!r} is not YYYY-MM-DD") from None
    if Path(meta["output"]).suffix not in RENDERERS:
        raise BuildError(f"{path}: output {meta['output']!r} must end in one of {sorted(RENDERERS)}")
    return Source(path, meta, tuple(_parse_body(path, lines[sep + 1 :], first_line=sep + 2)))


def _parse_body(path: Path, lines: list[str], first_line: int) -> list[Block]:
    blocks: list[Block] = []
    para: list[str] = []
    rows: list[tuple[str, ...]] = []

    def flush() -> None:
        if para:
            blocks.append(Block("paragraph", " ".join(para)))
            para.clear()
        if rows:
            widths = {len(r) for r in rows}
            if len(widths) != 1:
                raise BuildError(f"{path}: table rows have different numbers of cells: {rows[0]}")
            blocks.append(Block("table", rows=tuple(rows)))
            rows.clear()

    for number, raw in enumerate(lines, start=first_line):
        line = raw.rstrip()
        stripped = line.strip()
        if stripped.startswith("%%"):
            continue
        if not stripped:
            flush()
            continue
        if line.startswith("#"):
            flush()
            hashes = len(line) - len(line.lstrip("#"))
            if hashes > 3 or not line[hashes:].startswith(" "):
                raise BuildError(f"{path}:{number}: a heading is '#', '##' or '###' then a space")
            blocks.append(Block("heading", line[hashes:].strip(), level=hashes))
        elif line.startswith("- "):
            flush()
            blocks.append(Block("bullet", line[2:].strip()))
        elif line.startswith("  ") and blocks and blocks[-1].kind == "bullet" and not para:
            last = blocks.pop()
            blocks.append(dataclasses.replace(last, text=f"{last.text} {stripped}"))
        elif stripped.startswith("|"):
            if para:
                flush()
            cells = tuple(c.strip() for c in stripped.strip("|").split("|"))
            rows.append(cells)
        else:
            if rows:
                flush()
            para.append(stripped)
    flush()
    return blocks


# --------------------------------------------------------------------------- PDF


# Core PDF fonts only cover latin-1; typographic characters a writer types
# by habit are mapped to their plain equivalents, as old word processors did.
LATIN1_FALLBACKS = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"',
                                  "\u2013": "-", "\u2014": "-", "\u2022": "\u00b7", "\u2026": "..."})


def _pdf_text(source: Source, text: str) -> str:
    if source.meta.get("font", "core") != "core":
        return text
    text = text.translate(LATIN1_FALLBACKS)
    try:
        text.encode("latin-1")
    except UnicodeEncodeError as exc:
        raise BuildError(f"{source.path}: {text[exc.start]!r} cannot be set in a core PDF font; "
                         "use 'font: dejavu' or a latin-1 character") from None
    return text


def _dejavu(style: str) -> Path:
    name = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf"}[style]
    for folder in DEJAVU_DIRS:
        if (folder / name).is_file():
            return folder / name
    raise BuildError(f"font {name} not found in {[str(d) for d in DEJAVU_DIRS]}; install fonts-dejavu-core")


def render_pdf(source: Source, target: Path) -> None:
    from fpdf import FPDF

    header = _pdf_text(source, source.meta.get("header", ""))
    footer = source.meta.get("footer", "Page {n}")

    class NoticePDF(FPDF):
        def header(self) -> None:
            if not header:
                return
            self.set_font(family, "", 8)
            self.set_text_color(90, 90, 90)
            self.cell(0, 5, header, align="R", new_x="LMARGIN", new_y="NEXT")
            self.set_draw_color(160, 160, 160)
            self.line(self.l_margin, self.get_y(), self.w - self.r_margin, self.get_y())
            self.ln(6)
            self.set_text_color(0, 0, 0)

        def footer(self) -> None:
            self.set_y(-14)
            self.set_font(family, "", 8)
            self.set_text_color(90, 90, 90)
            self.cell(0, 8, footer.format(n=self.page_no(), nb="{nb}"), align="C")
            self.set_text_color(0, 0, 0)

    pdf = NoticePDF(format="A4")
    pdf.set_creation_date(source.date)
    pdf.set_title(_pdf_text(source, source.meta["title"]))
    pdf.set_author(_pdf_text(source, source.meta["author"]))
    pdf.set_lang("en-GB")
    pdf.set_margins(20, 18, 20)
    pdf.set_auto_page_break(True, margin=20)
    if source.meta.get("font", "core") == "dejavu":
        family, bullet = "DejaVu", "\u2022"
        pdf.add_font(family, "", str(_dejavu("")))
        pdf.add_font(family, "B", str(_dejavu("B")))
    else:
        family, bullet = "helvetica", "\u00b7"
    pdf.add_page()
    width = pdf.w - pdf.l_margin - pdf.r_margin
    for block in source.blocks:
        text = _pdf_text(source, block.text)
        if block.kind == "heading":
            size = HEADING_POINTS[block.level]
            pdf.ln(3 if block.level > 1 else 0)
            pdf.set_font(family, "B", size)
            pdf.multi_cell(width, size * 0.5, text, align="L", new_x="LMARGIN", new_y="NEXT")
            pdf.ln(1.5)
        elif block.kind == "paragraph":
            pdf.set_font(family, "", 10.5)
            pdf.multi_cell(width, 5.2, text, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(2.5)
        elif block.kind == "bullet":
            pdf.set_font(family, "", 10.5)
            pdf.set_x(pdf.l_margin + 4)
            pdf.cell(5, 5.2, bullet)
            pdf.multi_cell(width - 9, 5.2, text, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(1)
        elif block.kind == "table":
            pdf.set_font(family, "", 9.5)
            with pdf.table(line_height=5, text_align="LEFT", first_row_as_headings=True) as table:
                for row in block.rows:
                    cells = table.row()
                    for cell in row:
                        cells.cell(_pdf_text(source, cell))
            pdf.ln(3)
    target.write_bytes(bytes(pdf.output()))


# --------------------------------------------------------------------------- DOCX


def render_docx(source: Source, target: Path) -> None:
    import docx
    from docx.shared import Pt

    document = docx.Document()
    props = document.core_properties
    props.title = source.meta["title"]
    props.author = source.meta["author"]
    props.last_modified_by = source.meta["author"]
    props.created = source.date.replace(tzinfo=None)
    props.modified = source.date.replace(tzinfo=None)
    props.last_printed = source.date.replace(tzinfo=None)
    props.revision = 1
    props.comments = ""
    bold_headings = source.meta.get("headings", "styles") == "bold"
    manual_bullets = source.meta.get("bullets", "style") == "manual"
    for block in source.blocks:
        if block.kind == "heading":
            if bold_headings:
                # What many school offices do: type the heading, make it bold
                # and a little larger, and never touch the style gallery.
                run = document.add_paragraph().add_run(block.text)
                run.bold = True
                run.font.size = Pt({1: 16, 2: 12, 3: 11}[block.level])
            else:
                document.add_heading(block.text, level=block.level)
        elif block.kind == "paragraph":
            document.add_paragraph(block.text)
        elif block.kind == "bullet":
            if manual_bullets:
                document.add_paragraph("\u2022\t" + block.text)
            else:
                document.add_paragraph(block.text, style="List Bullet")
        elif block.kind == "table":
            table = document.add_table(rows=len(block.rows), cols=len(block.rows[0]))
            table.style = "Table Grid"
            for r, row in enumerate(block.rows):
                for c, value in enumerate(row):
                    cell = table.cell(r, c)
                    cell.text = value
                    if r == 0:
                        for run in cell.paragraphs[0].runs:
                            run.bold = True
            document.add_paragraph("")
    buffer = io.BytesIO()
    document.save(buffer)
    target.write_bytes(_restamp_zip(buffer.getvalue()))


def _restamp_zip(data: bytes) -> bytes:
    """Rewrite a ZIP with fixed entry timestamps, keeping order and compression."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=ZIP_TIMESTAMP)
            fixed.compress_type = info.compress_type
            fixed.external_attr = 0o644 << 16
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()


# --------------------------------------------------------------------------- ODT

ODF_NS = {
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "style": "urn:oasis:names:tc:opendocument:xmlns:style:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "fo": "urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0",
    "meta": "urn:oasis:names:tc:opendocument:xmlns:meta:1.0",
    "dc": "http://purl.org/dc/elements/1.1/",
}
_XMLNS = " ".join(f'xmlns:{prefix}="{uri}"' for prefix, uri in ODF_NS.items())

_ODT_HEADING_STYLES = "".join(
    f'  <style:style style:name="Heading_20_{level}" style:display-name="Heading {level}" style:family="paragraph"\n'
    f'    style:parent-style-name="Heading" style:default-outline-level="{level}">\n'
    f'   <style:text-properties fo:font-size="{size}pt" fo:font-weight="bold"/>\n'
    "  </style:style>\n"
    for level, size in HEADING_POINTS.items()
)

_ODT_STYLES = f"""<?xml version="1.0" encoding="UTF-8"?>
<office:document-styles {_XMLNS} office:version="1.3">
 <office:styles>
  <style:style style:name="Standard" style:family="paragraph">
   <style:text-properties fo:font-size="11pt"/>
  </style:style>
  <style:style style:name="Heading" style:family="paragraph" style:parent-style-name="Standard">
   <style:paragraph-properties fo:margin-top="0.3cm" fo:margin-bottom="0.15cm"/>
   <style:text-properties fo:font-weight="bold"/>
  </style:style>
{_ODT_HEADING_STYLES}  <style:style style:name="List_20_Paragraph" style:display-name="List Paragraph" style:family="paragraph"
    style:parent-style-name="Standard"/>
  <text:list-style style:name="Bullets">
   <text:list-level-style-bullet text:level="1" text:bullet-char="\u2022">
    <style:list-level-properties text:list-level-position-and-space-mode="label-alignment">
     <style:list-level-label-alignment text:label-followed-by="listtab" fo:text-indent="-0.5cm"
       fo:margin-left="1cm"/>
    </style:list-level-properties>
   </text:list-level-style-bullet>
  </text:list-style>
 </office:styles>
</office:document-styles>
"""

_ODT_MANIFEST = """<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3">
 <manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.text"/>
 <manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>
 <manifest:file-entry manifest:full-path="styles.xml" manifest:media-type="text/xml"/>
 <manifest:file-entry manifest:full-path="meta.xml" manifest:media-type="text/xml"/>
</manifest:manifest>
"""


def _odt_body(source: Source) -> str:
    parts: list[str] = []
    in_list = False
    table_count = 0
    for block in source.blocks:
        if block.kind != "bullet" and in_list:
            parts.append("</text:list>")
            in_list = False
        if block.kind == "heading":
            parts.append(f'<text:h text:style-name="Heading_20_{block.level}" text:outline-level="{block.level}">'
                         f"{escape(block.text)}</text:h>")
        elif block.kind == "paragraph":
            parts.append(f'<text:p text:style-name="Standard">{escape(block.text)}</text:p>')
        elif block.kind == "bullet":
            if not in_list:
                parts.append('<text:list text:style-name="Bullets">')
                in_list = True
            parts.append(f'<text:list-item><text:p text:style-name="List_20_Paragraph">{escape(block.text)}'
                         "</text:p></text:list-item>")
        elif block.kind == "table":
            table_count += 1
            columns = len(block.rows[0])
            parts.append(f"<table:table table:name={quoteattr(f'Table{table_count}')}>"
                         f'<table:table-column table:number-columns-repeated="{columns}"/>')
            for row in block.rows:
                cells = "".join(f'<table:table-cell office:value-type="string"><text:p>{escape(c)}</text:p>'
                                "</table:table-cell>" for c in row)
                parts.append(f"<table:table-row>{cells}</table:table-row>")
            parts.append("</table:table>")
    if in_list:
        parts.append("</text:list>")
    return "\n".join(parts)


def render_odt(source: Source, target: Path) -> None:
    stamp = source.date.strftime("%Y-%m-%dT%H:%M:%S")
    content = (f'<?xml version="1.0" encoding="UTF-8"?>\n<office:document-content {_XMLNS} office:version="1.3">\n'
               f"<office:body><office:text>\n{_odt_body(source)}\n</office:text></office:body>\n"
               "</office:document-content>\n")
    meta = (f'<?xml version="1.0" encoding="UTF-8"?>\n<office:document-meta {_XMLNS} office:version="1.3">'
            f"<office:meta><meta:generator>noticecheck corpus/build.py</meta:generator>"
            f"<dc:title>{escape(source.meta['title'])}</dc:title>"
            f"<meta:initial-creator>{escape(source.meta['author'])}</meta:initial-creator>"
            f"<dc:creator>{escape(source.meta['author'])}</dc:creator>"
            f"<meta:creation-date>{stamp}</meta:creation-date><dc:date>{stamp}</dc:date>"
            "</office:meta></office:document-meta>\n")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as odt:
        # ODF requires "mimetype" first and stored uncompressed, so that tools
        # can sniff the type from a fixed offset in the file.
        entries = [("mimetype", "application/vnd.oasis.opendocument.text", zipfile.ZIP_STORED),
                   ("META-INF/manifest.xml", _ODT_MANIFEST, zipfile.ZIP_DEFLATED),
                   ("styles.xml", _ODT_STYLES, zipfile.ZIP_DEFLATED),
                   ("meta.xml", meta, zipfile.ZIP_DEFLATED),
                   ("content.xml", content, zipfile.ZIP_DEFLATED)]
        for name, text, method in entries:
            info = zipfile.ZipInfo(name, date_time=ZIP_TIMESTAMP)
            info.compress_type = method
            info.external_attr = 0o644 << 16
            odt.writestr(info, text.encode("utf-8"))
    target.write_bytes(out.getvalue())


RENDERERS = {".pdf": render_pdf, ".docx": render_docx, ".odt": render_odt}


# --------------------------------------------------------------------------- building


def sources(src_dir: Path = SRC_DIR, only: str | None = None) -> list[Source]:
    """Every `.src` file under `src_dir` (optionally those whose name starts with `only`), parsed."""
    paths = sorted(p for p in src_dir.glob("*.src") if only is None or p.name.startswith(only))
    parsed = [parse_source(p) for p in paths]
    outputs = [s.output for s in parsed]
    duplicates = {o for o in outputs if outputs.count(o) > 1}
    if duplicates:
        raise BuildError(f"several sources write {sorted(duplicates)}")
    return parsed


def render(source: Source, out_dir: Path) -> Path:
    """Render one source into `out_dir`; returns the file written."""
    target = out_dir / source.output
    RENDERERS[target.suffix](source, target)
    return target


def build_all(src_dir: Path = SRC_DIR, out_dir: Path = NOTICES_DIR, only: str | None = None) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    return [render(source, out_dir) for source in sources(src_dir, only)]


# --------------------------------------------------------------------------- text extraction


def extract_text(path: Path) -> str:
    """The text a reader sees in a generated notice, one line per paragraph/heading/cell row."""
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        import pypdfium2

        pdf = pypdfium2.PdfDocument(str(path))
        try:
            pages = []
            for page in pdf:
                textpage = page.get_textpage()
                pages.append(textpage.get_text_range())
                textpage.close()
                page.close()
        finally:
            pdf.close()
        text = "\f".join(pages)
    elif suffix == ".docx":
        import docx
        from docx.table import Table

        lines = []
        for item in docx.Document(str(path)).iter_inner_content():
            if isinstance(item, Table):
                lines.extend(" | ".join(cell.text for cell in row.cells) for row in item.rows)
            else:
                lines.append(item.text)
        text = "\n".join(lines)
    elif suffix == ".odt":
        with zipfile.ZipFile(path) as odt:
            root = ET.fromstring(odt.read("content.xml"))
        tags = {f"{{{ODF_NS['text']}}}h", f"{{{ODF_NS['text']}}}p"}
        text = "\n".join("".join(el.itertext()) for el in root.iter() if el.tag in tags)
    else:
        raise BuildError(f"{path}: no text extractor for {suffix!r}")
    return "\n".join(line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))


def check(src_dir: Path = SRC_DIR, notices_dir: Path = NOTICES_DIR) -> list[str]:
    """Problems found comparing committed notices with a fresh build (empty when all match)."""
    problems = []
    with tempfile.TemporaryDirectory() as tmp:
        for fresh in build_all(src_dir, Path(tmp)):
            committed = notices_dir / fresh.name
            if not committed.is_file():
                problems.append(f"{committed}: missing; run corpus/build.py")
                continue
            old, new = extract_text(committed).splitlines(), extract_text(fresh).splitlines()
            if old != new:
                where = next((i for i, (a, b) in enumerate(zip(old, new)) if a != b), min(len(old), len(new)))
                problems.append(f"{committed}: text differs from its source from extracted line {where + 1}: "
                                f"committed {old[where:where + 1]} vs fresh {new[where:where + 1]}")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="compare committed files with a fresh build")
    parser.add_argument("--only", metavar="PREFIX", help="build only sources whose file name starts with PREFIX")
    parser.add_argument("--src", type=Path, default=SRC_DIR, help="directory of .src files")
    parser.add_argument("--out", type=Path, default=NOTICES_DIR, help="directory for generated notices")
    args = parser.parse_args(argv)
    try:
        if args.check:
            problems = check(args.src, args.out)
            for problem in problems:
                print(problem, file=sys.stderr)
            print(f"{'FAIL' if problems else 'ok'}: {len(sources(args.src))} generated notices checked")
            return 1 if problems else 0
        for path in build_all(args.src, args.out, args.only):
            print(f"wrote {path.relative_to(Path.cwd()) if path.is_relative_to(Path.cwd()) else path}")
        return 0
    except BuildError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
