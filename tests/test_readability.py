"""The light word count gives the same reading age as spaCy's tokenizer, on every notice we have.

`readability.plain_words` stands in for spaCy on the common path so that a
check never imports spaCy; these tests hold it to the reference: the same
rounded reading age and the same verdict against every reading-age rule's
limit, for every notice in corpus/ (with its held-out sets) and in
../shared/realnotices, whatever the notice's audience.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from noticecheck.load import to_text
from noticecheck.model import Document, UnreadableInput
from noticecheck.readability import plain_words, reading_age, spacy_words
from noticecheck.rulebook import default_rulebook
from noticecheck.sections import find_sections

ROOT = Path(__file__).resolve().parents[1]
SETS = [ROOT / "corpus", ROOT.parent / "shared" / "realnotices"]


def _notices():
    for top in SETS:
        for path in sorted(top.rglob("notices/*")):
            if path.is_file():
                yield path


def _body(path: Path) -> list[str]:
    """The sentences the reading-age rule reads (engine._reading_age: every sentence that is not a heading)."""
    text = to_text(Document(str(path), path.read_bytes(), filename=path.name))
    analysis = find_sections(text, default_rulebook().cues)
    return [s.text for s in analysis.sentences if not s.is_heading]


def test_same_reading_age_as_spacy_on_every_notice():
    limits = {r.check["max_reading_age"] for r in default_rulebook().rules if r.check["kind"] == "reading-age"}
    assert limits
    checked, differ = 0, []
    for path in _notices():
        try:
            body = _body(path)
        except UnreadableInput:
            continue
        light, reference = reading_age(body), reading_age(body, words=spacy_words)
        checked += 1
        same = f"{light:.0f}" == f"{reference:.0f}" and all((light > x) == (reference > x) for x in limits)
        if not same:
            differ.append(f"{path.name}: {light:.2f} vs spaCy {reference:.2f}")
    assert checked >= 100, f"only {checked} notices found under {SETS}"
    assert not differ, "\n".join(differ)


@pytest.mark.parametrize(
    "sentence",
    [
        "We can't share your child's data, and we cannot sell it.",
        "Contact dpo@example.sch.uk or see https://www.gov.uk/data-protection (the ICO) today.",
        "Parents/carers get well-being help from Mr. Jones at St. Anne's Ltd. in Sept. 2024.",
        "Tell the DfE. The Department (DfE) holds it under Directive 95/46/EC and/or the GDPR.",
        "We keep records for 6 years; you.Then we \u201cdelete\u201d them \u2014 all of them.",
    ],
)
def test_words_like_spacy(sentence):
    assert plain_words(sentence) == next(iter(spacy_words([sentence])))
