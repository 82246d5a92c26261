"""The light HTML tree (htmltree.py) reads every page exactly as BeautifulSoup did.

The same markup is parsed both ways and compared node by node (names,
attributes, source line and column, string types and text), and the blocks
html.py builds from each tree must be equal. Inputs: every HTML notice in
the corpus, a 150 KB school page with a mega-menu and footer link farms,
every HTML string literal in the test suite, the HTML mammoth makes from
the corpus Word files, the demo pages, and random tag soup.
"""

from __future__ import annotations

import ast
import glob
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from noticecheck.load import htmltree
from noticecheck.load.encoding import declared_charset, decode
from noticecheck.load.html import _without_inert, bs4_tree, html_to_blocks

ROOT = Path(__file__).resolve().parent.parent
CORPUS_HTML = sorted((ROOT / "corpus").glob("**/*.html"))


def _as_compared(value):
    return list(value) if isinstance(value, list) else str(value)


def assert_same_tree(soup_node, light_node, path: str = "") -> None:
    from bs4 import Tag

    if isinstance(soup_node, Tag):
        assert isinstance(light_node, htmltree.Tag), path
        where = f"{path}/{soup_node.name}"
        assert light_node.name == soup_node.name, where
        assert light_node.attrs == {k: _as_compared(v) for k, v in soup_node.attrs.items()}, where
        assert (light_node.sourceline, light_node.sourcepos) == (soup_node.sourceline, soup_node.sourcepos), where
        assert len(light_node.contents) == len(soup_node.contents), where
        for index, (a, b) in enumerate(zip(soup_node.contents, light_node.contents)):
            assert_same_tree(a, b, f"{where}[{index}]")
    else:
        assert type(light_node).__name__ == type(soup_node).__name__, path
        assert str(light_node) == str(soup_node), path


def assert_read_alike(markup: str) -> None:
    """Same tree (or the same refusal), and the same blocks, title and notes, for a page and a document."""
    from bs4 import BeautifulSoup

    prepared = _without_inert(markup)
    try:
        soup = BeautifulSoup(prepared, "html.parser")
    except Exception:  # noqa: BLE001 - then the light parser must refuse it too
        with pytest.raises(Exception):  # noqa: B017
            htmltree.parse(prepared)
    else:
        assert_same_tree(soup, htmltree.parse(prepared))
    for web_page in (True, False):
        assert html_to_blocks(markup, web_page=web_page) == html_to_blocks(markup, web_page=web_page, tree=bs4_tree())


def _decoded(path: Path) -> str:
    data = path.read_bytes()
    return decode(data, declared=declared_charset(data, None, html=True)).text


@pytest.mark.parametrize("path", CORPUS_HTML, ids=lambda p: p.name)
def test_corpus_pages_read_alike(path):
    assert_read_alike(_decoded(path))


def test_corpus_has_web_pages():
    assert len(CORPUS_HTML) >= 10


def school_site_page(content: str, size: int = 150_000) -> str:
    """A notice page wrapped in what school site builders add: mega-menu, icons, scripts, link farms."""
    items = "".join(
        f'<li class="menu-item"><a href="/section-{i // 12}/page-{i}">Page {i} of section {i // 12}</a>'
        + (f'<ul class="sub-menu"><li><a href="/s/{i}/a">Sub page {i}</a></li></ul>' if i % 3 == 0 else "")
        + "</li>\n"
        for i in range(160)
    )
    icon = '<svg class="icon" viewBox="0 0 24 24"><path d="' + "M12 2L2 7l10 5 10-5z " * 20 + '"/></svg>\n'
    columns = "".join(
        f'<div class="footer-col"><h4>Column {c}</h4><ul>'
        + "".join(f'<li><a href="/f/{c}/{j}">Footer link {c}.{j}</a></li>' for j in range(15))
        + "</ul></div>\n"
        for c in range(6)
    )
    script = "<script>\n" + "window.__state = {};\nfunction f(x) { return x * 2; }\n" * 300 + "</script>\n"
    style = "<style>\n" + ".a .b > .c { margin: 0 auto; padding: 1px 2px; }\n" * 200 + "</style>\n"
    page = content.replace("</head>", style + script + "</head>", 1)
    body = page.index(">", page.index("<body")) + 1
    page = f'{page[:body]}\n<nav class="mega-menu" aria-label="Site"><ul class="menu">\n{items}</ul></nav>\n{icon * 10}{page[body:]}'
    footer = f'<footer class="site-footer">{columns}<p>Registered office: 1 School Lane.</p>{icon * 6}</footer>\n{script}'
    page = page.replace("</body>", footer + "</body>", 1)
    while len(page) < size:
        page = page.replace("</body>", f'<div class="related-links sidebar"><ul>{items}</ul></div>\n</body>', 1)
    return page


def test_large_school_page_reads_alike():
    page = school_site_page(_decoded(ROOT / "corpus" / "notices" / "b15-thornhallow-academy-privacy-page.html"))
    assert len(page) > 150_000
    assert_read_alike(page)
    blocks, _, notes = html_to_blocks(page)
    assert "Footer link 1.1" not in " ".join(b.text for b in blocks)
    assert any("removed" in note for note in notes)


def _html_literals() -> list[str]:
    """Every string literal in the test suite that holds HTML markup."""
    found: set[str] = set()
    for name in sorted(glob.glob(str(ROOT / "tests" / "*.py"))):
        tree = ast.parse(Path(name).read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                text = node.value
                if "<" in text and ">" in text and any(tag in text.lower() for tag in ("<p", "<div", "<h1", "<li", "<body", "<a ")):
                    found.add(text)
    return sorted(found)


HTML_LITERALS = _html_literals()


def test_every_html_string_in_the_test_suite_reads_alike():
    assert len(HTML_LITERALS) > 20
    for markup in HTML_LITERALS:
        assert_read_alike(markup)


def test_golden_input_and_demo_pages_read_alike():
    from noticecheck.demo.documents import Block, to_html_fragment

    for path in sorted((ROOT / "tests" / "golden" / "inputs").glob("*.html")):
        assert_read_alike(_decoded(path))
    assert_read_alike(to_html_fragment([Block("h1", "Privacy notice"), Block("p", "We are the controller."), Block("li", "DfE")]))


@pytest.mark.slow
def test_word_documents_converted_by_mammoth_read_alike():
    from noticecheck.load.docx import _to_html

    for path in sorted((ROOT / "corpus" / "notices").glob("*.docx")):
        assert_read_alike(_to_html(path.read_bytes()))


def test_tables_of_the_tree_builder_match_beautifulsoup():
    from bs4.builder import HTMLTreeBuilder
    from bs4.dammit import EntitySubstitution, UnicodeDammit

    builder = HTMLTreeBuilder()
    assert htmltree.VOID_ELEMENTS == builder.empty_element_tags
    assert htmltree.PRESERVE_WHITESPACE == builder.preserve_whitespace_tags
    assert {k: v.__name__ for k, v in htmltree.STRING_CONTAINERS.items()} == {
        k: v.__name__ for k, v in builder.string_containers.items()
    }
    assert htmltree.LIST_ATTRIBUTES == {k: set(v) for k, v in builder.cdata_list_attributes.items()}
    assert htmltree.ENTITIES == EntitySubstitution.HTML_ENTITY_TO_CHARACTER
    numbers = [*range(0x3000), *range(0xD7F0, 0xE010), *range(0xFDC0, 0xFE00), *range(0xFFF0, 0x10010), 0x10FFFF, 0x110000, 10**9]
    for number in numbers:
        assert htmltree.numeric_reference(number) == UnicodeDammit.numeric_character_reference(number)[0], number


# -- random tag soup ---------------------------------------------------------------------

TAGS = [
    "p", "div", "b", "strong", "a", "li", "ul", "pre", "textarea", "script", "style", "rt", "template", "main", "nav",
    "header", "footer", "h1", "h2", "br", "img", "input", "span", "table", "td", "article", "aside", "form", "head",
    "body", "title", "hr", "svg", "noscript", "BR", "Div",
]  # fmt: skip
ATTRIBUTES = [
    "", ' class="nav menu"', ' class=" a\tb\n"', " class=''", ' id="content"', " id=main-content", ' role="main"',
    " role=navigation", ' href="https://x.example/a?b=1&amp;c=2"', ' href="mailto:a@b.example"', ' class="x" class="y"',
    " hidden", ' aria-label="Main menu"', ' class="page-title"', ' rel="a b"', " class=cookie-banner",
]  # fmt: skip
TEXTS = [
    "Privacy notice", "We collect data.", " ", "\n", "\n\n  \t", "\x0c", "&amp;", "&nbsp;", "&foo;", "&copy", "&#150;",
    "&#x9d;", "&#0;", "&#xD800;", "&#12abc;", "&#x41;", "&#1114112;", "\u2022 item", "- item", "x & y", "Line\nbreak",
    "<", "&", "&#", "&#x;",
]  # fmt: skip
SPECIALS = [
    "<!-- c -->", "<!---->", "<!DOCTYPE html>", "<![CDATA[x<y]]>", "<?php echo 1 ?>", "<!weird>", "</br>", "</p>",
    "<br/>", "<div/>", "</>", "<a href='x", "</div", "<!-- unterminated", "<script>var a = '</p>';",
]  # fmt: skip


@st.composite
def _token(draw) -> str:
    kind = draw(st.integers(0, 9))
    if kind <= 3:
        return f"<{draw(st.sampled_from(TAGS))}{draw(st.sampled_from(ATTRIBUTES))}{draw(st.sampled_from(['', ' ', '/']))}>"
    if kind <= 5:
        return f"</{draw(st.sampled_from(TAGS))}>"
    if kind <= 8:
        return draw(st.sampled_from(TEXTS))
    return draw(st.sampled_from(SPECIALS))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_token(), max_size=40))
def test_random_tag_soup_reads_alike(tokens):
    assert_read_alike("".join(tokens))
