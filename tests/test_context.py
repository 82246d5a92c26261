"""Context detection from the notice's own words; caller's options always win."""

from helpers import check_snippet


def test_audience_from_title():
    assert check_snippet("Privacy notice for the school workforce\n\nWe use staff data.").context.audience == "workforce"
    assert check_snippet("Privacy notice for governors and volunteers\n\nText.").context.audience == "governors"
    assert check_snippet("Privacy notice for parents and carers\n\nHow we use your child's data.").context.audience == "parents"
    assert check_snippet("How we use pupil information\n\nText.").context.audience == "pupils"


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
