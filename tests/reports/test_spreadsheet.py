import csv
import io
from urllib.parse import urlsplit

import httpx2
import pytest

from advisor.reports.spreadsheet import HEADER, as_csv
from tests.api.conftest import answers


def rows_of(text: str) -> list[list[str]]:
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline="")))


@pytest.mark.django_db(transaction=True)
def test_owner_and_share_links_download_every_line_item(live_server):
    with httpx2.Client(base_url=live_server.url) as http:
        created = http.post("/api/v1/assessments", json=answers()).json()
        owner = http.get(urlsplit(created["edit_url"]).path + "costs.csv")
        shared = http.get(urlsplit(created["share_url"]).path + "costs.csv")
        page = http.get(urlsplit(created["edit_url"]).path + "result/")
    for response in (owner, shared):
        assert response.status_code == 200
        assert response.headers["content-type"] == "text/csv; charset=utf-8"
        assert response.content.startswith(b"\xef\xbb\xbf")
        assert response.headers["content-disposition"].endswith('.csv"')
        assert response.headers["x-robots-tag"].startswith("noindex")
    assert owner.content == shared.content
    rows = rows_of(owner.content.decode("utf-8"))
    assert tuple(rows[0]) == HEADER
    options = created["result"]["costs"]["options"]
    assert len(rows) - 1 == sum(len(o["breakdown"]) for o in options.values())
    amounts = sorted(round(float(r[3]), 6) for r in rows[1:])
    expected = sorted(round(i["amount_usd"], 6) for o in options.values() for i in o["breakdown"])
    assert amounts == expected
    assert "costs.csv" in page.text


@pytest.mark.django_db(transaction=True)
def test_unknown_links_get_404(live_server):
    with httpx2.Client(base_url=live_server.url) as http:
        assert http.get("/s/" + "z" * 43 + "/costs.csv").status_code == 404
        assert http.get("/a/" + "z" * 43 + "/costs.csv").status_code == 404


def test_formulas_are_neutralised_and_numbers_kept():
    result = {
        "costs": {
            "prices_as_of": "2026-11-01",
            "options": {
                "rag": {
                    "breakdown": [
                        {
                            "label": '=HYPERLINK("http://x","y")',
                            "amount_usd": 12.5,
                            "kind": "monthly",
                            "basis": "+1 call x $0.01",
                            "source": "pinecone",
                        },
                        {
                            "label": "@SUM(A1)",
                            "amount_usd": 0,
                            "kind": "upfront",
                            "basis": "-3 hours; \tnote",
                            "source": "unknown-key",
                            "unit_price_usd": 0.02,
                        },
                    ]
                }
            },
        },
        "sources": [{"key": "pinecone", "title": "Pinecone — pricing", "checked_on": "2026-10-02"}],
    }
    rows = rows_of(as_csv(result))
    first, second = rows[1], rows[2]
    assert first[1] == '\'=HYPERLINK("http://x","y")'
    assert first[4] == "'+1 call x $0.01"
    assert (first[3], first[6], first[7]) == ("12.5", "Pinecone — pricing", "2026-10-02")
    assert second[1] == "'@SUM(A1)" and second[4] == "'-3 hours; \tnote"
    assert (second[5], second[6], second[7]) == ("0.02", "unknown-key", "2026-11-01")
    for row in rows:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r"))
