"""HTML: site chrome removed, main content chosen, structure and line numbers kept."""

from __future__ import annotations

import textwrap

import pytest

from noticecheck.load import to_text
from noticecheck.model import BlockKind, Document, UnreadableInput

H, P, L = BlockKind.HEADING, BlockKind.PARAGRAPH, BlockKind.LIST_ITEM

SCHOOL_PAGE = """\
<!DOCTYPE html>
<html lang="en">
<head>
<title>Privacy notice | Oak Hill Primary</title>
<style>.x { color: red }</style>
<script>var menu = "<p>script text must not appear</p>";</script>
</head>
<body>
<a class="skip-link" href="#main">Skip to content</a>
<div id="cookie-banner">We use cookies to improve this site. <a href="#">Accept all</a></div>
<header class="site-header">
  <div class="logo">Oak Hill Primary</div>
  <nav aria-label="Main menu"><ul><li><a href="/">Home</a></li><li><a href="/about">About us</a></li></ul></nav>
</header>
<div class="breadcrumbs"><a href="/">Home</a> &gt; Policies</div>
<div class="wrapper">
<aside class="sidebar"><h3>Latest news</h3><p>Sports day moved to Friday.</p></aside>
<main id="main">
  <h1>Privacy notice for parents</h1>
  <p>Oak Hill Primary is the data controller.
     Contact our DPO at <a href="mailto:dpo@oakhill.example.org?subject=Privacy">our DPO</a>.</p>
  <h2>What we collect</h2>
  <ul>
    <li>Names and addresses</li>
    <li>Attendance records<ul><li>sessions attended</li></ul></li>
  </ul>
  <p><strong>How long we keep it</strong></p>
  <p>We follow the <a href="https://irms.org.uk/page/SchoolsToolkit">IRMS toolkit</a> and
  <a href="/retention">our schedule</a>.</p>
  <div class="social-share"><a href="https://twitter.com/share">Share on X</a></div>
</main>
</div>
<footer><p>&copy; 2026 Oak Hill Primary. Registered in England.</p></footer>
<div class="gdpr-banner">Manage consent preferences</div>
</body>
</html>
"""


def load(markup: str, name: str = "notice.html"):
    return to_text(Document(source=name, data=markup.encode("utf-8"), filename=name))


def test_chrome_is_removed_and_main_content_kept():
    text = load(SCHOOL_PAGE)
    joined = " ".join(b.text for b in text.blocks)
    for chrome in ("Skip to content", "cookies", "About us", "Latest news", "Sports day", "Registered in England",
                   "Manage consent", "Share on X", "script text", "Policies"):  # fmt: skip
        assert chrome not in joined, chrome
    assert [(b.kind, b.text) for b in text.blocks] == [
        (H, "Privacy notice for parents"),
        (P, "Oak Hill Primary is the data controller. Contact our DPO at our DPO (dpo@oakhill.example.org)."),
        (H, "What we collect"),
        (L, "Names and addresses"),
        (L, "Attendance records"),
        (L, "sessions attended"),
        (H, "How long we keep it"),
        (P, "We follow the IRMS toolkit (https://irms.org.uk/page/SchoolsToolkit) and our schedule."),
    ]
    assert text.title == "Privacy notice | Oak Hill Primary"
    assert text.media_type == "text/html"
    assert any(note.startswith("main content: <main>") for note in text.notes)


def test_heading_levels_and_bold_heading_level():
    blocks = load(SCHOOL_PAGE).blocks
    assert [(b.text, b.level) for b in blocks if b.is_heading] == [
        ("Privacy notice for parents", 1),
        ("What we collect", 2),
        ("How long we keep it", 3),
    ]
    assert all(b.level == 0 for b in blocks if not b.is_heading)


def test_line_numbers_point_at_the_original_lines():
    lines = SCHOOL_PAGE.split("\n")
    for block in load(SCHOOL_PAGE).blocks:
        first_word = block.text.split()[0]
        assert first_word in lines[block.line - 1], (block, lines[block.line - 1])
    blocks = load(SCHOOL_PAGE).blocks
    assert blocks[0].line == 19  # <h1>
    assert blocks[1].line == 20  # the <p> that spans two lines starts here


def test_text_node_after_newlines_gets_its_own_line():
    blocks = load("<html><body><div>\n\n\n   Text three lines down</div></body></html>").blocks
    assert blocks[0].line == 4


def test_content_named_like_chrome_is_kept():
    markup = """\
    <html><body>
    <div class="page-content-header-wrapper">
      <div class="content-header"><h1>Privacy notice</h1></div>
      <div class="privacy-notice">
        <p>We collect names and addresses of pupils to run the school and keep them safe every day.</p>
        <section id="cookies"><h2>Cookies</h2>
          <p>Our website sets a small number of cookies. Analytics cookies are only set if you agree to them,
          and you can change your mind at any time through the settings link at the foot of every page on
          this website, where the cookies we use are listed with how long each one lasts and what it is for.</p>
        </section>
      </div>
    </div>
    <nav><a href="/">Home</a></nav>
    </body></html>
    """
    texts = [b.text for b in load(textwrap.dedent(markup)).blocks]
    assert texts[0] == "Privacy notice"
    assert "Cookies" in texts
    assert any(t.startswith("We collect names") for t in texts)
    assert "Home" not in texts


def test_main_content_too_small_falls_back_to_body():
    markup = """<html><body>
    <article><p>Teaser.</p></article>
    <div class="text"><h2>Who we are</h2><p>We are a school and this paragraph is the real notice text,
    long enough to outweigh the teaser above by a wide margin, with more words and more detail.</p></div>
    </body></html>"""
    text = load(markup)
    assert [b.text for b in text.blocks][:2] == ["Teaser.", "Who we are"]
    assert any("held too little" in note for note in text.notes)


def test_old_cms_page_with_br_br_paragraphs_bold_headings_and_bullet_lines():
    markup = """<html><body><div id="maincontent">
<div class="pagetitle">Pupil Privacy Notice</div>
<div class="text">
<b>How we use pupil information</b><br><br>
This page is for parents.<br><br>
<b>What we collect</b><br>
&middot; Personal details<br>
&middot; Attendance<br><br>
<b>Who we are</b><br>We are a school.<br>We teach children.
<p>We use workforce data to:<br>
- pay staff<br>
- check qualifications</p>
<div>&bull; a bullet in its own div</div>
</div></div></body></html>"""
    assert [(b.kind, b.text, b.level) for b in load(markup).blocks] == [
        (H, "Pupil Privacy Notice", 1),
        (H, "How we use pupil information", 3),
        (P, "This page is for parents.", 0),
        (H, "What we collect", 3),
        (L, "Personal details", 0),
        (L, "Attendance", 0),
        (H, "Who we are", 3),
        (P, "We are a school. We teach children.", 0),
        (P, "We use workforce data to:", 0),
        (L, "pay staff", 0),
        (L, "check qualifications", 0),
        (L, "a bullet in its own div", 0),
    ]


def test_bold_inside_a_sentence_is_not_a_heading():
    blocks = load("<p><strong>Note:</strong> we do not sell data.</p><p><b>We keep records for six years.</b></p>").blocks
    assert [b.kind for b in blocks] == [P, P]


def test_tables_and_definition_lists_become_paragraphs():
    markup = "<table><tr><th>Data</th><td>Name and address</td></tr></table><dl><dt>Controller</dt><dd>Oak Trust</dd></dl>"
    assert [(b.kind, b.text) for b in load(markup).blocks] == [
        (P, "Data"),
        (P, "Name and address"),
        (P, "Controller"),
        (P, "Oak Trust"),
    ]


def test_link_urls_are_shown_once():
    markup = (
        '<p>See <a href="https://ico.org.uk/">https://ico.org.uk/</a>, <a href="https://gov.uk/x">the DfE</a>, '
        '<a href="mailto:office@school.example">office@school.example</a> and <a href="/local">this page</a>.</p>'
    )
    assert load(markup).blocks[0].text == (
        "See https://ico.org.uk/, the DfE (https://gov.uk/x), office@school.example and this page."
    )


@pytest.mark.parametrize(
    "markup",
    [
        "<html><body><p>Unclosed <b>bold <div>and div</p></i></span>text after</body>",
        "<p>Attr without quote <a href=https://x.example/a>link</a><p>next",
        "<<<>>> <p>stray brackets & ampersands &nbsp &copy</p>",
        "<div>" * 3000 + "Deeply nested text" + "</div>" * 10,
        "<p>Comment <!-- never closed",
        "<![CDATA[ weird ]]><p>After CDATA</p><?php echo 1; ?>",
    ],
)
def test_malformed_html_still_yields_text(markup):
    text = load(markup)
    assert text.blocks
    assert all(b.text for b in text.blocks)


def test_page_with_only_chrome_is_empty():
    with pytest.raises(UnreadableInput) as caught:
        load("<html><body><nav><a href='/'>Home</a></nav><script>x()</script></body></html>")
    assert caught.value.code == "empty"


def test_declared_charset_and_entities():
    markup = '<html><head><meta charset="windows-1252"></head><body><p>Fee: \u00a310 \u2013 don\u2019t worry &amp; relax</p></body></html>'
    text = to_text(Document("n.html", markup.encode("cp1252"), filename="n.html"))
    assert text.blocks[0].text == "Fee: \u00a310 \u2013 don\u2019t worry & relax"


def test_html_sniffed_without_extension_from_content_or_hint():
    doc = Document("https://school.example/privacy", b"<!doctype html><title>T</title><p>Body text.</p>")
    assert to_text(doc).media_type == "text/html"
    fragment = Document("-", b"<div><p>Body text.</p><p>More.</p></div>", media_type="text/html; charset=utf-8")
    assert [b.text for b in to_text(fragment).blocks] == ["Body text.", "More."]


def test_page_title_outside_main_is_kept_first():
    markup = """<html><body>
<div class="hero"><h1>Privacy notice</h1></div>
<main><h2>Who we are</h2><p>We are Oak School and we hold information about pupils and parents.</p></main>
<aside><h1>Other news</h1></aside>
</body></html>"""
    blocks = load(markup).blocks
    assert [(b.kind, b.text, b.line) for b in blocks] == [
        (H, "Privacy notice", 2),
        (H, "Who we are", 3),
        (P, "We are Oak School and we hold information about pupils and parents.", 3),
    ]


def test_scripts_styles_and_comments_keep_line_numbers():
    markup = "<html><head>\n<script>\nvar a = '<p>x</p>';\n</script>\n<style>\np {}\n</style>\n</head>\n<body>\n<!-- a\ncomment -->\n<p>Line twelve</p>\n<svg>\n<text>icon</text>\n</svg><p>Line fifteen</p>"
    blocks = load(markup).blocks
    assert [(b.text, b.line) for b in blocks] == [("Line twelve", 12), ("Line fifteen", 15)]
