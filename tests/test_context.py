"""Context detection from the notice's own words; caller's options always win."""

from helpers import check_snippet


def test_audience_from_title():
    assert check_snippet("Privacy notice for the school workforce\n\nWe use staff data.").context.audience == "workforce"
    assert check_snippet("Privacy notice for governors and volunteers\n\nText.").context.audience == "governors"
    assert check_snippet("Privacy notice for parents and carers\n\nHow we use your child's data.").context.audience == "parents"
    # said about pupils in the third person: read by parents (as the corpus labels it)
    assert check_snippet("How we use pupil information\n\nText.").context.audience == "parents"
    assert check_snippet("Privacy notice for students\n\nWe hold your exam results.").context.audience == "pupils"


def test_audience_from_scope_statements_not_one_word():
    own_data = "Privacy notice\n\nThis notice explains how we collect and use personal data about parents and carers of pupils at our school."
    assert check_snippet(own_data).context.audience == "parents"
    both = "Privacy notice\n\nThis notice explains how we use information about pupils and their families."
    assert check_snippet(both).context.audience == "parents"
    # a pointer to another notice does not say whom this one covers
    pointer = ("Privacy notice\n\nThis notice explains how we use personal data about pupils and parents. "
               "There is a separate privacy notice for staff and another for governors and volunteers.")
    assert check_snippet(pointer).context.audience == "parents"
    staff_too = "Privacy notice\n\nThis notice covers staff, pupils and parents."
    assert check_snippet(staff_too).context.audience in ("pupils", "parents")  # still a pupil-data notice
    assert check_snippet("Privacy Notice for Visitors and Contractors\n\nWe keep your name.").context.audience == "other"
    cctv = "Privacy notice\n\nThis notice tells you what to expect when we record CCTV images of you on the school premises."
    assert check_snippet(cctv).context.audience == "other"
    volunteers = "Privacy notice\n\nThis notice explains how we use data about individuals working with the school in a voluntary capacity, including governors."
    assert check_snippet(volunteers).context.audience == "governors"


def test_told_to_the_child_or_to_the_parent():
    child = "Our privacy notice\n\nWe keep information about you so your teachers can help you. Ask your parents if you are unsure."
    assert check_snippet(child).context.audience == "pupils"
    parent = "Our privacy notice\n\nWe keep information about your child so that their teachers can help them. Pupils' records are kept safe."
    assert check_snippet(parent).context.audience == "parents"
    # a running footer naming another notice does not outweigh the title
    footer = ("Privacy notice for parents and carers\n\nWe use your child's data to teach them.\n\n"
              + "\n\n".join("Privacy Notice for Pupils - Page %d of 4" % n for n in range(1, 5)))
    assert check_snippet(footer).context.audience == "parents"


def test_options_override_detection():
    ctx = check_snippet("Privacy notice for the school workforce", audience="pupils", school_type="independent").context
    assert ctx.audience == "pupils" and ctx.school_type == "independent"
    assert "audience" not in ctx.detected


def test_age_and_type_detection():
    secondary = check_snippet("Students in Years 7 to 13, including our sixth form, at this academy.").context
    assert (secondary.age_low, secondary.age_high) == (11, 18) and secondary.school_type == "academy"
    primary = check_snippet("Our primary school serves children in Reception to Year 6. Free school meals are offered.").context
    assert primary.age_high == 11 and primary.school_type is None  # "free school meals" is not a free school


def test_unknown_stays_unknown():
    ctx = check_snippet("We use data.").context
    assert ctx.age_high is None and ctx.school_type is None and ctx.audience is None


def test_welsh_and_scottish_notices_are_recognised():
    welsh = "We send data to the Welsh Government through PLASC. Estyn inspects the school."
    assert check_snippet(welsh).context.jurisdiction == "wales"
    scottish = "Data goes to the Scottish Government through ScotXed for statistics."
    assert check_snippet(scottish).context.jurisdiction == "scotland"
    assert check_snippet("We share data with the DfE. Our pupils in Wales class.").context.jurisdiction == "england"


def test_bursary_fund_does_not_make_a_sixth_form_independent():
    text = ("Privacy notice for students\n\nOur sixth form students may apply to the 16 to 19 Bursary Fund. "
            "We share data with the Department for Education through the school census.")
    assert check_snippet(text).context.school_type != "independent"


def test_independent_school_signals():
    for text in ("We are a group of independent, international boarding schools.",
                 "We are inspected by the Independent Schools Inspectorate.",
                 "Parents pay school fees termly."):
        assert check_snippet(text).context.school_type == "independent", text
