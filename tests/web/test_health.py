import pytest
from django.urls import reverse


@pytest.mark.django_db
def test_health_answers_ok_when_the_database_is_reachable(client):
    response = client.get(reverse("health"))

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert "no-cache" in response.headers["Cache-Control"]


def test_health_rejects_post(client, db):
    assert client.post(reverse("health")).status_code == 405


def test_ping_answers_without_touching_the_database(client, db, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/ping/")

    assert response.status_code == 200
    assert response.content == b"pong"
