import json
from types import SimpleNamespace
from urllib.parse import urlsplit

import pytest
from jsonschema import Draft202012Validator

from advisor.assessments.models import Assessment
from advisor.engine import assess
from advisor.web import ratelimit
from tests.api.conftest import EXAMPLES, RESULT_SCHEMA, answers, engine_speaks_result_v2


def bearer(token: str, **headers: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}", **headers}


def test_the_schema_is_openapi_3_1_with_the_contracts_as_components(api):
    spec = api.spec
    assert spec["openapi"].startswith("3.1")
    schemas = spec["components"]["schemas"]
    assert schemas["AnswersV2"]["x-contract"] == "answers-v2"
    assert schemas["ResultV2"]["x-contract"] == "result-v2"
    # Taken from the files, not retyped: the required lists are the files'.
    assert schemas["ResultV2"]["required"] == RESULT_SCHEMA["required"]
    assert set(spec["paths"]) == {
        "/api/v1/advise",
        "/api/v1/assessments",
        "/api/v1/assessment",
        "/api/v1/prices",
    }
    text = json.dumps(spec)
    assert "#/$defs/" not in text  # every reference resolves inside the OpenAPI document


@pytest.mark.parametrize("index", range(len(EXAMPLES)), ids=[e["id"] for e in EXAMPLES])
def test_advise_returns_what_the_engine_says_and_stores_nothing(api, index):
    response = api.post("/api/v1/advise", json=answers(index))
    assert response.status_code == 200
    assert response.json() == json.loads(json.dumps(assess(answers(index))))
    assert Assessment.objects.count() == 0


def test_results_match_result_v2(api):
    if not engine_speaks_result_v2():
        pytest.skip("the engine on this branch still returns result-v1")
    result = api.post("/api/v1/advise", json=answers()).json()
    Draft202012Validator(RESULT_SCHEMA).validate(result)


def test_bad_answers_name_every_field_with_the_wizards_words(api):
    response = api.post(
        "/api/v1/advise", json=answers(monthly_queries=-3, needs_citations="yes", colour="blue")
    )
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["status"] == 422
    by_field = {e["field"]: e for e in problem["errors"]}
    assert set(by_field) == {"monthly_queries", "needs_citations", "colour"}
    assert by_field["monthly_queries"]["message"] == (
        "must be a whole number between 0 and 100,000,000,000"
    )
    assert by_field["monthly_queries"]["pointer"] == "/monthly_queries"
    assert by_field["colour"]["message"] == "is not a question the advisor asks"
    # The check-answers page's sentence: the question as asked, then the message.
    assert by_field["monthly_queries"]["detail"].endswith(by_field["monthly_queries"]["message"])
    assert by_field["monthly_queries"]["detail"] != by_field["monthly_queries"]["message"]


@pytest.mark.parametrize(
    ("body", "content_type", "status", "message"),
    [
        (b"{not json", "application/json", 400, "is not valid JSON"),
        (b"[1, 2]", "application/json", 422, "must be a JSON object of answers"),
        (b'{"project_name": NaN}', "application/json", 400, "is not valid JSON"),
        (b"\xff\xfe", "application/json", 400, "cannot be read"),
        (b'{"project_name": "\\ud800"}', "application/json", 400, "not valid Unicode"),
        (b"[" * 100_000, "application/json", 400, "nested too deeply"),
        (b"monthly_queries=3", "application/x-www-form-urlencoded", 415, None),
    ],
)
def test_unreadable_bodies_get_problem_details_never_a_500(
    api, body, content_type, status, message
):
    response = api.post("/api/v1/advise", content=body, headers={"Content-Type": content_type})
    assert response.status_code == status
    problem = response.json()
    if message:
        assert problem["errors"][0]["field"] == "(document)"
        assert message in problem["errors"][0]["message"]


def test_create_returns_links_tokens_etag_and_result_and_stores_it(api):
    response = api.post("/api/v1/assessments", json=answers(1))
    assert response.status_code == 201
    body = response.json()
    assert response.headers["etag"] == '"1"'
    assert response.headers["cache-control"] == "private, no-store"
    assert body["access"] == "owner"
    assert body["edit_url"].endswith(f"/a/{body['edit_token']}/")
    assert body["share_url"].endswith(f"/s/{body['share_token']}/")
    assert body["result"] == json.loads(json.dumps(assess(answers(1))))
    stored = Assessment.objects.get()
    assert stored.is_complete and stored.result == body["result"]
    # The web's links open it too.
    assert api.http.get(urlsplit(body["share_url"]).path).status_code == 200
    assert api.http.get(urlsplit(body["edit_url"]).path, follow_redirects=True).status_code == 200


def test_the_share_token_reads_but_cannot_write(api):
    created = api.post("/api/v1/assessments", json=answers()).json()
    read = api.get("/api/v1/assessment", headers=bearer(created["share_token"]))
    assert read.status_code == 200
    assert read.json()["access"] == "share"
    assert read.json()["edit_url"] is None and read.json()["share_token"] is None
    assert read.json()["result"] == created["result"]

    write = api.put(
        "/api/v1/assessment",
        json=answers(monthly_queries=5),
        headers=bearer(created["share_token"], **{"If-Match": '"1"'}),
    )
    assert write.status_code == 403
    assert Assessment.objects.get().revision == 1


def test_unknown_malformed_and_missing_tokens(api):
    created = api.post("/api/v1/assessments", json=answers()).json()
    unknown = api.get("/api/v1/assessment", headers=bearer("x" * 43))
    malformed = api.get("/api/v1/assessment", headers=bearer("not-a-token"))
    missing = api.get("/api/v1/assessment")
    assert (unknown.status_code, malformed.status_code) == (404, 404)
    assert unknown.json()["detail"] == malformed.json()["detail"]
    assert missing.status_code == 401
    assert missing.headers["www-authenticate"].startswith("Bearer")
    # Tokens never belong in the address: a token in the query string is ignored.
    in_url = api.get(f"/api/v1/assessment?token={created['edit_token']}")
    assert in_url.status_code == 401


def test_update_needs_if_match_and_a_stale_write_changes_nothing(api):
    created = api.post("/api/v1/assessments", json=answers()).json()
    token = created["edit_token"]
    changed = answers(monthly_queries=2_000_000)

    no_condition = api.put("/api/v1/assessment", json=changed, headers=bearer(token))
    assert no_condition.status_code == 428

    first = api.put(
        "/api/v1/assessment", json=changed, headers=bearer(token, **{"If-Match": '"1"'})
    )
    assert first.status_code == 200
    assert first.headers["etag"] == '"2"'
    assert first.json()["answers"]["monthly_queries"] == 2_000_000
    assert first.json()["result"] == json.loads(json.dumps(assess(changed)))

    stale = api.put(
        "/api/v1/assessment",
        json=answers(monthly_queries=7),
        headers=bearer(token, **{"If-Match": '"1"'}),
    )
    assert stale.status_code == 412
    assert stale.headers["etag"] == '"2"'
    stored = Assessment.objects.get()
    assert (stored.revision, stored.answers["monthly_queries"]) == (2, 2_000_000)

    weak = api.put(
        "/api/v1/assessment", json=changed, headers=bearer(token, **{"If-Match": 'W/"2"'})
    )
    assert weak.status_code == 412

    read = api.get("/api/v1/assessment", headers=bearer(token))
    assert read.headers["etag"] == '"2"'
    assert read.json()["access"] == "owner"
    assert read.json().get("edit_token") is None


def test_an_invalid_update_names_the_fields_and_changes_nothing(api):
    token = api.post("/api/v1/assessments", json=answers()).json()["edit_token"]
    response = api.put(
        "/api/v1/assessment",
        json=answers(labeled_examples="many"),
        headers=bearer(token, **{"If-Match": '"1"'}),
    )
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["labeled_examples"]
    assert Assessment.objects.get().revision == 1


def test_prices_list_sources_and_checked_on_dates(api):
    response = api.get("/api/v1/prices")
    assert response.status_code == 200
    catalog = response.json()
    assert catalog["prices"]
    sources = {s["key"]: s for s in catalog["sources"]}
    for entry in catalog["prices"]:
        assert entry["checked_on"] >= catalog["prices_as_of"]
        assert entry["source"] in sources
    items = {p["item"]: p for p in catalog["prices"]}
    assert items["gpt-4o input tokens"]["usd"] > 0
    assert items["Fine-tuned deployment hour"]["usd"] == 1.70
    assert sources["openai-pricing"]["url"].startswith("https://")


@pytest.fixture
def limits(settings, monkeypatch):
    settings.RATE_LIMITS = {"token-lookup": (3, 60), "create-assessment": (2, 3600)}
    # Mid-window, so that no test straddles the start of a new one.
    monkeypatch.setattr(ratelimit, "time", SimpleNamespace(time=lambda: 1_800_000_030.0))


def test_creating_is_rate_limited_like_the_web_with_retry_after(api, limits):
    statuses = [api.post("/api/v1/assessments", json=answers()).status_code for _ in range(3)]
    assert statuses == [201, 201, 429]
    refused = api.post("/api/v1/assessments", json=answers())
    assert refused.headers["content-type"] == "application/problem+json"
    assert 1 <= int(refused.headers["retry-after"]) <= 3600
    assert Assessment.objects.count() == 2


def test_token_lookups_are_rate_limited_like_the_web(api, limits):
    statuses = [
        api.get("/api/v1/assessment", headers=bearer("y" * 43)).status_code for _ in range(4)
    ]
    assert statuses == [404, 404, 404, 429]


def test_the_docs_page_works_under_the_sites_csp_with_local_assets(api):
    page = api.http.get("/api/v1/docs")
    assert page.status_code == 200
    csp = page.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    html = page.text
    assets = [part.split('"')[0] for part in html.split('src="')[1:] + html.split('href="')[1:]]
    assert assets, html
    for asset in assets:
        assert asset.startswith("/static/"), asset
        assert api.http.get(asset).status_code == 200
    # No inline script to execute: the settings are JSON data read by a local script.
    assert "<script>" not in html


def test_unknown_endpoints_and_methods_get_problem_details(api):
    wrong_method = api.http.delete("/api/v1/assessment")
    assert wrong_method.status_code == 405
    assert wrong_method.headers["content-type"] == "application/problem+json"
    assert set(wrong_method.headers["allow"].replace(" ", "").split(",")) == {"GET", "PUT"}
    unknown = api.http.get("/api/v1/nothing-here")
    assert unknown.status_code == 404
    assert unknown.json()["status"] == 404
