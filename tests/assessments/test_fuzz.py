"""Random input through the real views, the answers validator and the advise command: a wrong
answer is always a plain error that names its question, never a crash or a stored bad value."""

import io
import json
import re
import sys
from urllib.parse import quote_from_bytes

import pytest
from django.core.management import call_command
from django.test import Client
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from advisor.assessments.links import create_assessment
from advisor.assessments.models import Assessment
from advisor.engine import QUESTIONS, STEPS, AnswersInvalid, validate_answers
from tests.wizard_steps import STEP_DATA, step_url

FUZZ = settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

# The required answers, all valid: stored answers laid over these must still validate.
REQUIRED = {
    "problem_type": "knowledge",
    "data_change_frequency": "weekly",
    "needs_citations": True,
    "labeled_examples": 0,
    "monthly_queries": 15_000,
}
STEP_FIELDS = {step.slug: list(step.question_ids) for step in STEPS}
FORM_NAMES = ["revision", "go", "shown", "csrfmiddlewaretoken", "fragment", "question"]

# Text as it arrives over the wire: any bytes, including NUL, invalid UTF-8 and the UTF-8 form of
# lone surrogates, which a form must reject or store only as valid text.
awkward_text = st.text(alphabet=st.characters(exclude_categories=()), max_size=60).map(
    lambda text: text.encode("utf-8", "surrogatepass")
)
numbers_as_text = st.one_of(
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.sampled_from(
        [
            "-0",
            "1e999",
            "-1e999",
            "NaN",
            "inf",
            "0x10",
            "1,2,3",
            "$-5",
            "\u0661\u0662\u0663",
            "\uff11\uff12",
            " 7 ",
            "9" * 5000,
        ]
    ),
).map(str.encode)
long_text = st.sampled_from([b"x" * 121, "é".encode() * 5000, b"9" * 20_000, b"\x00" * 300])


def valid_values(qid: str) -> st.SearchStrategy[bytes]:
    q = QUESTIONS[qid]
    if q.kind == "choice":
        values = [c.value for c in q.choices] + ["dont_know"]
    elif q.kind == "boolean":
        values = ["yes", "no", "dont_know"]
    else:
        values = [STEP_DATA[q.step].get(qid, ""), ""]
    return st.sampled_from(values).map(str.encode)


def near_misses(qid: str) -> st.SearchStrategy[bytes]:
    """Values just outside what this question accepts."""
    q = QUESTIONS[qid]
    if q.kind in ("choice", "boolean"):
        values = [c.value for c in q.choices] or ["yes", "no"]
        misses = [values[0].upper(), values[0] + " ", "true", "1", "dont_know", "other"]
    elif q.kind in ("integer", "number"):
        misses = [str(q.minimum - 1), str(q.maximum + 1), str(q.maximum * 10), "0.5", "-0.01"]
    elif qid == "model":
        misses = ["gpt-4o-minii", "GPT4", "ft:gpt-4o", "x" * 121]
    else:
        misses = ["x" * ((q.max_length or 120) + 1), "\x00name", "a\x00"]
    return st.sampled_from(misses).map(str.encode)


def field_value(qid: str) -> st.SearchStrategy[bytes]:
    return st.one_of(
        near_misses(qid),
        valid_values(qid),
        awkward_text,
        numbers_as_text,
        long_text,
        st.binary(max_size=40),
    )


@st.composite
def step_posts(draw, slug: str) -> tuple[list[tuple[bytes, bytes]], bool]:
    """A form body for one step (as name/value byte pairs) and whether the correct revision is
    sent. Most answers are sensible and a few are not, so that saves, refusals and partial saves
    (going back) all happen."""
    fields = STEP_FIELDS[slug]
    broken = {draw(st.sampled_from(fields))} | draw(st.sets(st.sampled_from(fields), max_size=2))
    pairs: list[tuple[bytes, bytes]] = []
    for qid in fields:
        if qid not in broken:
            pairs.append((qid.encode(), draw(valid_values(qid))))
            continue
        roll = draw(st.integers(0, 4))
        if roll == 0:
            continue  # missing
        count = 2 if roll == 4 else 1  # now and then the same field twice
        wrong = near_misses(qid) if roll % 2 else field_value(qid)
        pairs += [(qid.encode(), draw(wrong)) for _ in range(count)]
    for name in draw(st.lists(st.sampled_from(FORM_NAMES[1:]), max_size=3)):
        value = draw(st.one_of(awkward_text, st.sampled_from([b"back", b"next", b"label_quality"])))
        pairs.append((name.encode(), value))
    if draw(st.booleans()):
        other = draw(st.sampled_from([q for q in QUESTIONS if q not in fields]))
        pairs.append((other.encode(), draw(field_value(other))))  # a field from another step
    if draw(st.integers(0, 5)) == 0:
        pairs.append((draw(awkward_text), draw(awkward_text)))  # a name nobody expects
    current = draw(st.sampled_from([True] * 7 + [False]))
    return pairs, current


def form_body(pairs: list[tuple[bytes, bytes]]) -> bytes:
    return b"&".join(
        quote_from_bytes(k).encode() + b"=" + quote_from_bytes(v).encode() for k, v in pairs
    )


def assert_stored_answers_are_valid(assessment: Assessment) -> None:
    assessment.refresh_from_db()
    assert set(assessment.answers) <= set(QUESTIONS)
    assert set(assessment.unknown) <= set(QUESTIONS)
    assert not set(assessment.unknown) & set(assessment.answers)
    assert set(assessment.saved_steps) <= set(STEP_FIELDS)
    validate_answers({**REQUIRED, **assessment.answers})  # raises if any stored value is bad
    for value in assessment.answers.values():
        if isinstance(value, str):
            assert "\x00" not in value
            value.encode("utf-8")  # no lone surrogates


def question_blocks(body: str) -> dict[str, str]:
    """The page from each question's block to the next one, by question id."""
    starts = [(m.start(), m.group(1)) for m in re.finditer(r'id="q-([a-z_]+)"', body)]
    ends = [start for start, _ in starts[1:]] + [len(body)]
    return {qid: body[start:end] for (start, qid), end in zip(starts, ends, strict=True)}


def assert_every_error_names_its_question(response, slug: str) -> None:
    body = response.content.decode()
    errors = response.context["form"].errors
    assert errors, "a refused step must say what is wrong"
    assert set(errors) <= set(STEP_FIELDS[slug])  # no error without a question to point at
    assert "Some answers need another look" in body
    blocks = question_blocks(body)
    for qid in errors:
        label = QUESTIONS[qid].label
        assert f'href="#q-{qid}">{label}</a>' in body.replace("&#x27;", "'").replace("&quot;", '"')
        assert "invalid-feedback" in blocks[qid]
    for qid, block in blocks.items():
        if "invalid-feedback" in block:
            assert qid in errors


@pytest.mark.django_db
@pytest.mark.parametrize("slug", list(STEP_FIELDS))
@FUZZ
@given(data=st.data(), htmx=st.booleans())
def test_random_step_posts_never_crash_and_never_store_a_bad_answer(slug, data, htmx):
    pairs, current = data.draw(step_posts(slug))
    assessment = create_assessment()
    revision = str(assessment.revision if current else assessment.revision + 7).encode()
    body = form_body([(b"revision", revision), *pairs])
    headers = {"HX-Request": "true", "HX-Target": "wizard"} if htmx else {}

    response = Client().post(
        step_url(assessment.edit_token, slug),
        body,
        content_type="application/x-www-form-urlencoded",
        headers=headers,
    )

    event(f"status {response.status_code}")
    assert response.status_code in (200, 302, 409)
    if response.status_code == 200:
        assert_every_error_names_its_question(response, slug)
    if response.status_code == 302:
        assert response.url.startswith(f"/a/{assessment.edit_token}/")
    before = assessment.revision
    assert_stored_answers_are_valid(assessment)
    if response.status_code != 302:
        assert assessment.revision == before and assessment.answers == {}


@pytest.mark.django_db
@FUZZ
@given(
    slug=st.sampled_from(list(STEP_FIELDS)),
    params=st.lists(
        st.tuples(
            st.sampled_from([*QUESTIONS, "fragment", "question", "shown", "more"]),
            st.one_of(st.text(max_size=30), st.sampled_from(["question", "label_quality", "1"])),
        ),
        max_size=6,
    ),
)
def test_random_step_page_queries_never_crash(slug, params):
    assessment = create_assessment()
    if any(name == "fragment" for name, _ in params):
        params.append(("question", "label_quality"))

    response = Client().get(
        step_url(assessment.edit_token, slug), params, headers={"HX-Request": "true"}
    )

    assert response.status_code in (200, 204, 404)
    assessment.refresh_from_db()
    assert assessment.revision == 1


# The answers validator on its own


json_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**40), max_value=10**40),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(alphabet=st.characters(exclude_categories=()), max_size=40),
)
json_values = st.recursive(
    json_scalars,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=12,
)
answer_documents = st.one_of(
    json_values,
    st.dictionaries(
        st.one_of(st.sampled_from(list(QUESTIONS)), st.text(max_size=20)), json_values, max_size=12
    ),
    st.dictionaries(st.sampled_from(list(QUESTIONS)), json_scalars, max_size=len(QUESTIONS)).map(
        lambda extra: {**REQUIRED, **extra}
    ),
)


@settings(max_examples=150, deadline=None)
@given(doc=answer_documents)
def test_the_validator_only_ever_raises_answers_invalid_naming_real_fields(doc):
    try:
        answers = validate_answers(doc)
    except AnswersInvalid as invalid:
        assert invalid.errors
        named = (
            set(QUESTIONS)
            | {"(document)"}
            | ({str(k) for k in doc} if isinstance(doc, dict) else set())
        )
        for error in invalid.errors:
            assert error.field in named
            assert isinstance(error.message, str) and error.message
    else:
        assert set(answers) == set(QUESTIONS)


# The advise command reading whatever arrives on standard input


def _json_text(value) -> bytes:
    return json.dumps(value, ensure_ascii=False, allow_nan=True).encode("utf-8", "surrogatepass")


stdin_bytes = st.one_of(
    st.binary(max_size=200),
    json_values.map(_json_text),
    st.dictionaries(st.sampled_from(list(QUESTIONS)), json_scalars, max_size=4).map(
        lambda extra: _json_text({**REQUIRED, **extra})
    ),
    st.just(REQUIRED).map(_json_text),
    st.integers(1, 3000).map(lambda depth: b"[" * depth + b"]" * depth),
    st.sampled_from([b"", b"\xff\xfe", b"9" * 5000, b'{"project_name": "\\ud800"}', b"\x00"]),
)


def run_advise(monkeypatch, data: bytes, errors: str) -> tuple[int, bytes]:
    """The command as a real process runs it: a UTF-8 standard input and output."""
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), "utf-8", errors))
    raw = io.BytesIO()
    out = io.TextIOWrapper(raw, "utf-8", "strict", write_through=True)
    try:
        call_command("advise", "-", stdout=out, stderr=io.StringIO())
        status = 0
    except SystemExit as exit_:
        status = exit_.code
    return status, raw.getvalue()


@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=stdin_bytes, errors=st.sampled_from(["strict", "surrogateescape"]))
def test_advise_on_random_input_exits_2_quietly_or_prints_json(monkeypatch, data, errors):
    status, out = run_advise(monkeypatch, data, errors)

    assert status in (0, 2)
    if status == 2:
        assert out == b""
    else:
        result = json.loads(out.decode("utf-8"))
        assert result["approach"] in ("prompt_engineering", "rag", "fine_tuning", "hybrid")
