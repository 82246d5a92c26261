"""The B half of the evaluation corpus: its reproducible build and its labels.

`corpus/build.py` renders `corpus/src/*.src` into the committed PDF, DOCX and
ODT notices. These tests rebuild them for real and compare the text a reader
would extract, exercise `--check` on a deliberately edited source, look inside
the generated files for the structure they promise (running PDF header and
footer, Word heading styles or their absence, a Word table, ODF headings and
lists), and hold the B lines of `corpus/labels.jsonl` to the rules of corpus/LABELLING.md.
"""

from __future__ import annotations

import importlib.util
import re
import shutil
import sys
import zipfile
from pathlib import Path

import docx
import pypdfium2
import pytest

import labelling_rules  # the LABELLING.md consistency checks, applied here to the B half

pytestmark = [pytest.mark.slow, pytest.mark.corpus]

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
NOTICES = CORPUS / "notices"
LABELS_B = CORPUS / "labels.jsonl"
SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"


def _load_build():
    spec = importlib.util.spec_from_file_location("corpus_build", CORPUS / "build.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


build = _load_build()
# The A half of the same file is checked by test_corpus_labels_a.py.
ROWS = labelling_rules.read_rows(LABELS_B, keep=lambda row: Path(row["file"]).name.startswith("b"))
B_NOTICES = sorted(p for p in NOTICES.glob("b*") if p.suffix in {".pdf", ".docx", ".odt", ".html", ".txt", ".md"})


def _dejavu_available() -> bool:
    try:
        build._dejavu("")
    except build.BuildError:
        return False
    return True


needs_dejavu = pytest.mark.skipif(not _dejavu_available(), reason="DejaVu fonts (fonts-dejavu-core) not installed")


def _copy_sources(tmp_path: Path, names: list[str]) -> tuple[Path, Path]:
    """A private src/ and notices/ holding just `names` (source stems) and their committed outputs."""
    src, out = tmp_path / "src", tmp_path / "notices"
    src.mkdir()
    out.mkdir()
    for name in names:
        source = build.parse_source(CORPUS / "src" / f"{name}.src")
        shutil.copy(source.path, src)
        shutil.copy(NOTICES / source.output, out)
    return src, out


SMALL_SET = ["b02-slade-hollow-workforce-2015", "b09-calderholme-primary-parents", "b13-st-ebbas-ce-primary-2018"]


# --------------------------------------------------------------------------- build and --check


@needs_dejavu
def test_committed_notices_match_a_fresh_build():
    assert build.check() == []


def test_every_source_has_its_committed_output():
    outputs = {source.output for source in build.sources()}
    assert outputs == {p.name for p in B_NOTICES if p.suffix in {".pdf", ".docx", ".odt"}}


def test_two_builds_give_identical_bytes(tmp_path):
    first, second = tmp_path / "first", tmp_path / "second"
    for out in (first, second):
        out.mkdir()
        for name in SMALL_SET:
            build.render(build.parse_source(CORPUS / "src" / f"{name}.src"), out)
    for path in sorted(first.iterdir()):
        assert path.read_bytes() == (second / path.name).read_bytes(), path.name


def test_check_passes_then_reports_an_edited_source(tmp_path, capsys):
    src, out = _copy_sources(tmp_path, SMALL_SET)
    assert build.main(["--check", "--src", str(src), "--out", str(out)]) == 0

    edited = src / "b09-calderholme-primary-parents.src"
    edited.write_text(edited.read_text(encoding="utf-8").replace("| CCTV recordings | 30 days", "| CCTV recordings | 31 days"),
                      encoding="utf-8")
    capsys.readouterr()
    assert build.main(["--check", "--src", str(src), "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert "b09-calderholme-primary-parents.docx" in err and "31 days" in err
    assert "b02-slade-hollow-workforce-2015.pdf" not in err


def test_check_reports_a_missing_output(tmp_path):
    src, out = _copy_sources(tmp_path, SMALL_SET[:1])
    (out / "b02-slade-hollow-workforce-2015.pdf").unlink()
    problems = build.check(src, out)
    assert len(problems) == 1 and "missing" in problems[0]


def test_build_writes_only_the_selected_sources(tmp_path):
    src, _ = _copy_sources(tmp_path, SMALL_SET)
    written = build.build_all(src, tmp_path / "fresh", only="b13")
    assert [p.name for p in written] == ["b13-st-ebbas-ce-primary-2018.odt"]


# --------------------------------------------------------------------------- the source format


def test_body_markup_becomes_blocks(tmp_path):
    path = tmp_path / "x.src"
    path.write_text("output: x.pdf\ntitle: T\nauthor: A\ndate: 2024-01-02\n---\n"
                    "%% a comment\n# Title\n\nFirst line\nsecond line.\n\n## Part\n- one\n  continued\n- two\n\n"
                    "| Record | Retention period |\n| Register | 6 years |\n### Small\n", encoding="utf-8")
    source = build.parse_source(path)
    assert [(b.kind, b.level, b.text) for b in source.blocks if b.kind != "table"] == [
        ("heading", 1, "Title"), ("paragraph", 0, "First line second line."), ("heading", 2, "Part"),
        ("bullet", 0, "one continued"), ("bullet", 0, "two"), ("heading", 3, "Small")]
    table = next(b for b in source.blocks if b.kind == "table")
    assert table.rows == (("Record", "Retention period"), ("Register", "6 years"))
    assert source.date.year == 2024


@pytest.mark.parametrize("front, body, message", [
    ("output: x.pdf\ntitle: T\nauthor: A\ndate: 2024-01-02\n", "no separator", "no '---'"),
    ("output: x.pdf\ntitle: T\nauthor: A\ndate: 2024-01-02\ncolour: red\n---\n", "", "key: value"),
    ("output: x.pdf\ntitle: T\nauthor: A\ndate: 2nd January\n---\n", "", "not YYYY-MM-DD"),
    ("output: x.rtf\ntitle: T\nauthor: A\ndate: 2024-01-02\n---\n", "", "must end in"),
    ("output: x.pdf\ntitle: T\ndate: 2024-01-02\n---\n", "", "lacks 'author:'"),
    ("output: x.pdf\ntitle: T\nauthor: A\ndate: 2024-01-02\n---\n", "####Too deep\n", "heading is"),
])
def test_bad_sources_are_refused_with_the_file_named(tmp_path, front, body, message):
    path = tmp_path / "bad.src"
    path.write_text(front + body, encoding="utf-8")
    with pytest.raises(build.BuildError, match=re.escape(message)) as caught:
        build.parse_source(path)
    assert str(path) in str(caught.value)


def test_core_font_refuses_characters_outside_latin1(tmp_path, capsys):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "x.src").write_text("output: x.pdf\ntitle: T\nauthor: A\ndate: 2024-01-02\nfont: core\n---\n"
                                            "Curly \u2019quotes\u2019 are mapped; an arrow \u2192 is not.\n", encoding="utf-8")
    assert build.main(["--src", str(tmp_path / "src"), "--out", str(tmp_path / "out")]) == 2
    assert "cannot be set in a core PDF font" in capsys.readouterr().err


# --------------------------------------------------------------------------- what the generated files look like


@pytest.mark.parametrize("name", ["b01-fernbrook-trust-pupils-parents.pdf", "b02-slade-hollow-workforce-2015.pdf"])
def test_pdfs_repeat_a_header_and_number_their_pages(name):
    pdf = pypdfium2.PdfDocument(str(NOTICES / name))
    try:
        pages = [page.get_textpage().get_text_range().strip().splitlines() for page in pdf]
    finally:
        pdf.close()
    assert len(pages) >= 2
    headers = {lines[0] for lines in pages}
    assert len(headers) == 1, "the running header is the same on every page"
    for number, lines in enumerate(pages, start=1):
        assert re.fullmatch(rf".*Page {number}( of {len(pages)})?", lines[-1]), lines[-1]


def test_docx_heading_styles_bold_paragraphs_and_table():
    styled = docx.Document(str(NOTICES / "b07-wrenfield-trust-workforce.docx"))
    styles = {p.style.name for p in styled.paragraphs}
    assert {"Heading 1", "Heading 2", "Heading 3", "List Bullet"} <= styles
    assert styled.core_properties.created.year == 2026

    plain = docx.Document(str(NOTICES / "b08-brackenmoor-academy-parents-2023.docx"))
    assert not any(p.style.name.startswith("Heading") or p.style.name.startswith("List") for p in plain.paragraphs)
    bold = [p.text for p in plain.paragraphs if p.runs and all(r.bold for r in p.runs)]
    assert "Who we are" in bold and "Youth support services" in bold

    tabled = docx.Document(str(NOTICES / "b09-calderholme-primary-parents.docx"))
    assert len(tabled.tables) == 1
    header = [cell.text for cell in tabled.tables[0].rows[0].cells]
    assert header == ["Record", "Retention period"]
    # The retention content lives only in the table: no paragraph speaks of keeping records for a period.
    assert not any(re.search(r"\b\d+ years\b|25th birthday", p.text) for p in tabled.paragraphs)


@pytest.mark.parametrize("name", ["b13-st-ebbas-ce-primary-2018.odt", "b14-kingfisher-federation-governors.odt"])
def test_odt_is_a_valid_odf_package_with_headings_and_lists(name):
    with zipfile.ZipFile(NOTICES / name) as odt:
        first = odt.infolist()[0]
        assert first.filename == "mimetype" and first.compress_type == zipfile.ZIP_STORED
        assert odt.read("mimetype") == b"application/vnd.oasis.opendocument.text"
        content = odt.read("content.xml").decode("utf-8")
    assert content.count("<text:h ") >= 8 and "<text:list " in content and "<text:list-item>" in content
    from odf.opendocument import load  # odfpy reads it back as a real ODF text document
    from odf.text import H

    assert len(load(str(NOTICES / name)).getElementsByType(H)) >= 8


def test_html_notices_carry_site_chrome():
    pages = [p for p in B_NOTICES if p.suffix == ".html"]
    assert len(pages) == 3
    # Each piece of chrome, with the spellings an old table-less CMS and a modern theme use for it.
    chrome = {"cookie banner": ("cookie",), "menu": ("<nav", 'id="menu"'), "sidebar": ("<aside", "sidenav"),
              "footer": ("<footer", 'id="footer"'), "page heading": ("<h1",)}
    for page in pages:
        html = page.read_text(encoding="utf-8").lower()
        for part, spellings in chrome.items():
            assert any(s in html for s in spellings), f"{page.name} lacks a {part}"


# --------------------------------------------------------------------------- labels


def test_every_b_notice_is_labelled_exactly_once():
    labelling_rules.check_one_label_per_notice([row["file"] for row in ROWS], [f"notices/{p.name}" for p in B_NOTICES])
    assert len(B_NOTICES) == 28


# The nation comes from the context alone, as for the A half (most B notices are PDF/DOCX/ODT, not scannable text).
B_CHECKS = labelling_rules.standard_checks(labelling_rules.CORPUS_SCHEMA, nation=labelling_rules.nation_from_context)


@pytest.mark.parametrize("row, check", labelling_rules.cases(ROWS, B_CHECKS))
def test_b_labels_follow_labelling_rules(row, check):
    check(row)


def test_b_corpus_covers_the_brief():
    suffixes = [Path(row["file"]).suffix for row in ROWS]
    assert suffixes.count(".pdf") >= 6 and suffixes.count(".docx") >= 6 and suffixes.count(".odt") >= 2
    assert suffixes.count(".html") == 3
    labelling_rules.check_spans_every_era_and_audience(ROWS)
    assert sum(not row["findings"] for row in ROWS) >= 4, "precision needs complete, current notices"
    assert {row["context"].get("jurisdiction") for row in ROWS} & {"scotland", "northern-ireland"}
    assert sum("age_range" not in row["context"] for row in ROWS) >= 3, "some settings are left unknown"
    assert {row["context"].get("school_type") for row in ROWS} >= {"academy", "maintained", "independent"}
    assert any(row["context"]["as_of"] != "2026-11-24" for row in ROWS)
    every_rule = set().union(*(row["findings"] for row in ROWS))
    assert every_rule == labelling_rules.KNOWN_RULES, f"never exercised: {labelling_rules.KNOWN_RULES - every_rule}"


def _words(text: str) -> list[str]:
    text = re.sub(r"https?://\S+|www\.\S+", " ", text)  # shared links are citations, not copied prose
    return re.findall(r"[a-z0-9]+", text.lower().replace("\u2019", "'"))


@pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/seeds is not beside the repository")
def test_b_notices_do_not_copy_the_real_seed_notices():
    run = 12
    seen = set()
    for seed in SEEDS.glob("*.txt"):
        words = _words(seed.read_text(encoding="utf-8", errors="replace"))
        seen |= {tuple(words[i:i + run]) for i in range(len(words) - run + 1)}
    for path in B_NOTICES:
        text = build.extract_text(path) if path.suffix in build.RENDERERS else path.read_text(encoding="utf-8")
        words = _words(text)
        copied = [" ".join(words[i:i + run]) for i in range(len(words) - run + 1) if tuple(words[i:i + run]) in seen]
        assert not copied, f"{path.name} repeats a seed notice: {copied[:3]}"
