"""Text that would mislead a reader is refused with a message naming the field, by the answers
validation and so by the wizard's forms; legitimate text in any script, emoji included, is kept."""

import pytest
from django.urls import reverse

from advisor.assessments.links import create_assessment
from advisor.assessments.models import Assessment
from advisor.engine import AnswersInvalid, validate_answers
from advisor.engine.safe_text import misleading_character
from tests.wizard_steps import STEP_DATA


def project_name_errors(text: str) -> list[str]:
    """What the validation says about this project name (other answers may be missing: only
    this field's messages count here)."""
    try:
        validate_answers({"project_name": text})
    except AnswersInvalid as invalid:
        return [e.message for e in invalid.errors if e.field == "project_name"]
    return []


MISLEADING = {
    "right-to-left override": "Invoice\u202egpj.exe",
    "left-to-right embedding": "a\u202ab",
    "pop directional formatting": "a\u202cb",
    "first strong isolate": "a\u2068b\u2069",
    "right-to-left isolate": "\u2067name",
    "zero-width space": "Support\u200bbot",
    "word joiner": "Support\u2060bot",
    "byte order mark": "\ufeffSupport bot",
    "soft hyphen": "Sup\u00adport",
    "Hangul filler": "\u3164",
    "C1 next line": "Support\u0085bot",
    "C1 control sequence introducer": "Support\u009b31mbot",
    "line separator": "Support\u2028bot",
    "tag characters outside a flag": "bot\U000e0041\U000e0042",
    "a joiner alone": "\u200d",
    "a joiner at the end": "bot\u200d",
    "a joiner next to a space": "Support \u200cbot",
}

LEGITIMATE = {
    "family emoji (ZWJ sequence)": "Team \U0001f468\u200d\U0001f469\u200d\U0001f467",
    "rainbow flag (VS16 + ZWJ)": "Pride \U0001f3f3\ufe0f\u200d\U0001f308",
    "skin tone and ZWJ": "\U0001f469\U0001f3fd\u200d\U0001f4bb coder",
    "England flag (tag sequence)": (
        "\U0001f3f4\U000e0067\U000e0062\U000e0065\U000e006e\U000e0067\U000e007f fans"
    ),
    "Persian with ZWNJ": "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645",
    "Devanagari with ZWJ after virama": "\u0915\u094d\u200d\u0937",
    "Malayalam chillu with ZWJ": "\u0d28\u0d4d\u200d",
    "Hebrew with a right-to-left mark": "\u05e9\u05dc\u05d5\u05dd\u200f 2024",
    "Arabic": "\u0645\u0633\u0627\u0639\u062f \u0627\u0644\u062f\u0639\u0645",
    "accents and CJK": "Caf\u00e9 \u5ba2\u670d\u673a\u5668\u4eba",
    "keycap": "Plan 1\ufe0f\u20e3",
}


@pytest.mark.parametrize("text", MISLEADING.values(), ids=MISLEADING.keys())
def test_the_validation_refuses_misleading_text_naming_the_field(text):
    [message] = project_name_errors(text)

    assert message.startswith("must not contain control characters, invisible characters")
    assert "U+" in message


@pytest.mark.parametrize("text", LEGITIMATE.values(), ids=LEGITIMATE.keys())
def test_legitimate_text_in_any_script_is_kept(text):
    assert misleading_character(text) is None
    assert project_name_errors(text) == []


def test_the_message_says_which_character_and_where():
    [message] = project_name_errors("abc\u202edef")

    assert message.endswith(
        "(found U+202E RIGHT-TO-LEFT OVERRIDE at character 4: it reorders the text around it)"
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    "text",
    [MISLEADING["right-to-left override"], MISLEADING["zero-width space"], "a\u009bb"],
    ids=["override", "zero-width space", "C1 control"],
)
def test_the_wizard_refuses_it_on_the_field_and_stores_nothing(client, text):
    assessment = create_assessment()
    url = reverse("assessment-step", args=[assessment.edit_token, "product"])

    response = client.post(url, {**STEP_DATA["product"], "project_name": text, "revision": "1"})

    body = response.content.decode()
    assert response.status_code == 200
    assert "must not contain control characters, invisible characters" in body
    assert 'id="id_project_name_error"' in body or "id_project_name" in body
    stored = Assessment.objects.get(pk=assessment.pk)
    assert stored.revision == 1
    assert "project_name" not in stored.answers


@pytest.mark.django_db
def test_the_wizard_keeps_an_emoji_sequence(client):
    assessment = create_assessment()
    url = reverse("assessment-step", args=[assessment.edit_token, "product"])
    name = LEGITIMATE["family emoji (ZWJ sequence)"]

    response = client.post(url, {**STEP_DATA["product"], "project_name": name, "revision": "1"})

    assert response.status_code == 302
    assert Assessment.objects.get(pk=assessment.pk).answers["project_name"] == name
