"""Section finding: by content whatever the heading, by heading only when there is content under it."""

from helpers import check_snippet, present


def test_headings_as_questions_and_plain_content():
    text = """Privacy notice for parents

Why do we collect and use your child's information?
We use it to support your child's learning and to keep children safe.

Who do we share it with?
We routinely share pupil information with our local authority and the Department for Education.

How long do we keep it?
We keep pupil files until the pupil reaches the age of 25.
"""
    got = present(check_snippet(text))
    assert {"purposes", "recipients", "retention"} <= got


def test_no_headings_at_all_one_paragraph_many_topics():
    text = (
        "Oak Lane School collects information such as names, addresses, dates of birth, attendance and "
        "assessment results so that we can support learning and keep children safe. We share this information "
        "with the local authority and the Department for Education, and we keep it until the pupil is 25. "
        "Parents have the right to request access to the information we hold. Contact office@oaklane.example.org."
    )
    got = present(check_snippet(text))
    assert {"categories", "purposes", "recipients", "retention", "rights", "contacts"} <= got


def test_negated_sharing_does_not_name_recipients():
    text = "We never pass information about pupils to anybody without consent unless the law allows it."
    assert "recipients" not in present(check_snippet(text))


def test_negated_transfer_statement_still_makes_transfers_present():
    assert "transfers" in present(check_snippet("We do not transfer your personal data outside the UK."))


def test_heading_without_content_is_not_presence():
    text = "Privacy notice\n\nHow long we keep your data\n\nContact us\n\nEmail office@example.org with any questions about this notice."
    result = check_snippet(text)
    assert not result.sections["retention"].present


def test_colon_lead_in_is_body_text_not_a_heading():
    text = "Who we share information with\n\nWe share information with:\n\n- the local authority\n- the Department for Education\n- the school nurse"
    result = check_snippet(text)
    assert result.sections["recipients"].present


def test_child_friendly_wording():
    text = """Your information and you

We need to know your name and your birthday so that we can look after you.
We might tell:
- the school nurse, so they can check your eyes
- your new school when you leave
You can ask to see the information we have about you.
If you are worried, tell Mrs Patel in the office.
"""
    got = present(check_snippet(text))
    assert {"purposes", "recipients", "rights"} <= got


def test_evidence_points_at_real_lines():
    text = "Title\n\nSome intro.\n\nWe use the data we hold to support pupils' learning and to monitor their progress."
    result = check_snippet(text)
    ev = result.sections["purposes"].evidence[0]
    assert ev.line == 5
    assert "support pupils' learning" in ev.quote


def test_rights_object_to_automated_decisions_is_not_an_automated_decisions_statement():
    text = "You have the right to:\n\n- object to decisions being taken by automated means\n- not be subject to decisions based solely on automated processing"
    assert "automated_decisions" not in present(check_snippet(text))


def test_dotted_initials_do_not_end_a_sentence_but_a_full_stop_still_does():
    from noticecheck.sections import split_sentences

    assert split_sentences("We comply with the U.K. GDPR and the Data Protection Act 2018.") == [
        "We comply with the U.K. GDPR and the Data Protection Act 2018."
    ]
    assert split_sentences("We follow the law. Data is kept safe.") == ["We follow the law.", "Data is kept safe."]
