"""Issue 7: the kinds of sentence that are never a section's content, on text we wrote for the purpose.

Real notices (most of them built from a model notice, many cut short by the web page they came
from) are full of sentences that carry a section's words without its content: sentences about the
notice itself, definitions, pointers to elsewhere, unfilled placeholders, lead-ins whose list was
lost, a category list's "collect, hold and share". Each test gives one such kind, then the same
content delivered for real, so the test fails if the kind is missed and fails if the filter
overreaches.
"""

import pytest

from helpers import check_snippet, present, rules_fired


def sections_of(text: str) -> set[str]:
    return present(check_snippet(text))


# --- sentences about the notice, or the right to be informed ---------------------------------


@pytest.mark.parametrize(
    "meta",
    [
        "Data protection law gives everyone a right to be informed about how their school uses their personal data.",
        "This privacy statement sets out what rights families have over the records we keep.",
        "Please read this leaflet carefully; it will explain your rights and how we keep information.",
        "It is important that parents read this notice so that you are aware of how and why we use data and what your rights are.",
    ],
)
def test_sentences_about_the_notice_are_not_a_rights_section(meta):
    assert "rights" not in sections_of(meta)


def test_a_specific_right_is_a_rights_section():
    for text in (
        "Parents may ask to see the records we keep about their child.",
        "You can ask us to correct anything in your file that is wrong.",
        "If you gave consent for photographs, you may withdraw it at any time.",
        "You have the right to object to our use of your information.",
    ):
        assert "rights" in sections_of(text), text


def test_a_subject_access_request_mentioned_as_a_use_is_not_a_right():
    text = "Camera footage may be viewed by staff and released in response to a subject access request."
    assert "rights" not in sections_of(text)


# --- pointers -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "pointer",
    [
        "Our data protection officer is Priya Lal (details in the Contact section below).",
        "You can reach our data protection officer here.",
        "For questions, see 'Contact us' at the end of this notice.",
    ],
)
def test_pointers_are_not_contact_details(pointer):
    assert "contacts" not in sections_of(pointer)


def test_a_named_dpo_with_a_pointer_is_still_a_named_dpo():
    assert "dpo" in sections_of("Our data protection officer is Priya Lal (details in the Contact section below).")


def test_real_contact_details_are_contacts():
    for text in (
        "Questions about this notice can be sent to records@willowmead.example.sch.uk.",
        "Please ring the school office on 01632 960 418.",
        "Write to the Head Teacher, Willowmead School, Mill Lane, Tarnby TB4 7QX.",
        "Please contact Mrs Ada Quist, our business manager, with any questions.",
    ):
        assert "contacts" in sections_of(text), text


def test_the_icos_details_are_not_the_schools():
    text = "You can contact the Information Commissioner's Office on 0303 123 1113 or at https://ico.org.uk/make-a-complaint/."
    assert "contacts" not in sections_of(text)


# --- placeholders -----------------------------------------------------------------------------


def test_a_placeholder_names_no_dpo_and_gives_no_basis():
    result = check_snippet(
        "Our data protection officer is TBC.\n\n"
        "We rely on the following lawful bases: [Setting to insert the lawful bases here]"
    )
    assert not {"dpo", "lawful_basis"} & present(result)


def test_the_rest_of_a_sentence_with_a_placeholder_still_counts():
    text = "Questions can go to the school office on 01632 960 552 or to [insert DPO name]."
    assert "contacts" in sections_of(text)


def test_a_placeholder_does_not_satisfy_a_check():
    # the special category condition is asked for, and a placeholder is not one
    text = (
        "We hold ethnicity and medical information about pupils.\n\n"
        "For special category data we rely on [insert conditions for processing special category data]."
    )
    assert "special-category-condition-missing" in rules_fired(check_snippet(text))


# --- lead-ins whose list was lost -------------------------------------------------------------


def test_lead_ins_without_their_lists_say_nothing():
    text = (
        "Why we collect and use this information\n\n"
        "We use the pupil data to:\n\n"
        "We use parent and carer contact details to:\n\n"
        "Our lawful bases for processing are:\n\n"
        "How we store pupil data\n\n"
        "Pupil files are locked away in the office."
    )
    got = sections_of(text)
    assert not {"purposes", "lawful_basis"} & got


def test_a_lead_in_with_its_list_counts():
    text = (
        "We use the pupil data to:\n\n"
        "- support pupils' learning\n"
        "- look after their wellbeing\n\n"
        "We rely on these lawful bases:\n\n"
        "- public task (Article 6(1)(e))\n"
        "- legal obligation (Article 6(1)(c))\n"
    )
    assert {"purposes", "lawful_basis"} <= sections_of(text)


def test_short_lines_under_a_lead_in_are_its_list_not_headings():
    text = (
        "The personal data we hold about pupils includes:\n\n"
        "Names and dates of birth\n\n"
        "Attendance information\n\n"
        "Details of medical conditions and allergies\n"
    )
    assert "categories" in sections_of(text)


# --- a word's other meanings ----------------------------------------------------------------------


def test_collect_hold_and_share_introduces_data_not_recipients():
    text = "The kinds of pupil information that we collect, hold and share include names, addresses and attendance."
    assert "recipients" not in sections_of(text)


def test_data_provided_to_us_is_a_source_not_a_recipient():
    text = "Most of the information parents give us is required, but some is provided to us voluntarily."
    assert "recipients" not in sections_of(text)


def test_a_recipient_receiving_data_is_a_recipient():
    text = "The council and the Welsh Government receive information about pupils through the annual census."
    assert "recipients" in sections_of(text)


def test_the_retention_principle_is_not_a_retention_period():
    result = check_snippet("We keep personal information only for as long as we need it, then dispose of it securely.")
    assert "retention" not in present(result)
    fired = rules_fired(result)
    # said, but without a period: the warning that says so, not "nothing on retention"
    assert "retention-period-missing" in fired and "retention-missing" not in fired


def test_a_named_retention_schedule_in_a_list_of_links_is_retention():
    text = "Related documents\n\nSafeguarding Policy\n\nRecords Retention Schedule\n\nComplaints Procedure\n"
    assert "retention" in sections_of(text)


def test_keeping_in_touch_is_not_retention():
    text = "The careers service will keep in touch with you until you are 19 to offer advice."
    assert "retention" not in sections_of(text)


def test_cookie_banners_are_not_retention():
    text = "This website uses cookies. Cookies are used to retain user preferences and store items in a basket."
    assert "retention" not in sections_of(text)


def test_a_controller_definition_is_not_a_purpose():
    text = "Being the data controller means the school determines the purposes for which personal data is processed."
    assert "purposes" not in sections_of(text)


def test_for_the_purposes_of_the_law_is_not_a_purpose():
    text = "We, Elmstead Infant School, are the data controller for the purposes of data protection law."
    assert "purposes" not in sections_of(text)
    assert "controller" in sections_of(text)


def test_a_definition_and_its_examples_are_not_categories():
    text = (
        "Personal data is any information that identifies a living person. For example a name, "
        "a postal address, a telephone number and a date of birth."
    )
    assert "categories" not in sections_of(text)


def test_a_single_disclosures_statute_is_not_the_lawful_basis():
    text = (
        "We are required to share information about pupils with the Department for Education under regulation 5 "
        "of The Education (Information About Individual Pupils) (England) Regulations 2013."
    )
    assert "lawful_basis" not in sections_of(text)


def test_a_statute_for_the_processing_is_the_lawful_basis():
    assert "lawful_basis" in sections_of("The Academy is required by law to collect and process personal data about its pupils.")


def test_a_condition_is_not_a_statement_of_basis():
    assert "lawful_basis" not in sections_of("We use information about you only when the law lets us.")


# --- layout that extraction breaks ----------------------------------------------------------------


def test_an_address_one_line_per_block_reaches_the_dpo():
    text = "The Data Protection Officer,\n\nLegal Services,\n\nCounty Hall,\n\nTarnby\n\nTB9 2XY\n"
    assert {"dpo", "contacts"} <= sections_of(text)


def test_a_lost_space_between_sentences_still_splits_them():
    text = (
        "This notice explains how we use your data.Our office can be reached at admin@fernley.example.sch.uk "
        "for any question."
    )
    assert "contacts" in sections_of(text)


def test_word_documents_nbsp_mojibake_is_removed():
    assert "controller" in sections_of("Fernley School is the DataÂ\u00a0Controller for pupil records.")


def test_contact_details_as_data_are_not_a_way_to_contact_us():
    text = "We use the contact details of parents and carers:\n\n- to send newsletters\n- to reach you in an emergency\n"
    assert "contacts" not in sections_of(text)


def test_statutory_returns_to_the_dfe_name_a_recipient():
    text = "The law obliges the school to make statutory data returns to the Department for Education and the council."
    assert "recipients" in sections_of(text)


# --- a right denied, and a right with an aside --------------------------------------------------


def test_a_right_denied_grants_no_right_but_one_given_beside_it_counts():
    assert "rights" not in sections_of("Pupils do not have the right to see their exam scripts.")
    assert "rights" not in sections_of("Parents have no right to see some safeguarding records.")
    for text in (
        "Pupils do not have the right to see exam scripts, but they have the right to ask for a copy of their records.",
        "You do not need to pay a fee to exercise your right of access.",
        "You have the right, in some cases, to have your data deleted.",
    ):
        assert "rights" in sections_of(text), text


def test_a_period_by_which_data_goes_is_retention():
    assert "retention" in sections_of("CCTV footage is automatically overwritten after 28 days.")
    assert "retention" in sections_of("Application forms of unsuccessful candidates are destroyed within six months.")
    assert "retention" not in sections_of("Paper records are destroyed securely.")
