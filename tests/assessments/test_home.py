import pytest
from django.urls import reverse


@pytest.mark.django_db
def test_home_says_what_the_tool_does_and_links_to_a_new_assessment(client):
    response = client.get(reverse("home"))

    assert response.status_code == 200
    body = response.content.decode()
    assert "Prompting, retrieval, fine-tuning, or both?" in body
    assert reverse("assessment-start") in body


@pytest.mark.django_db
def test_home_serves_its_assets_from_its_own_origin(client):
    body = client.get(reverse("home")).content.decode()

    assert "/static/vendor/bootstrap/bootstrap.min.css" in body
    assert "/static/django-htmx/" in body or "htmx" in body
    assert "https://" not in body.replace("https://json-schema", "")


@pytest.mark.django_db
def test_pages_carry_a_content_security_policy_with_a_nonce(client):
    response = client.get(reverse("home"))

    policy = response.headers["Content-Security-Policy"]
    assert "'nonce-" in policy
    assert "frame-ancestors 'none'" in policy
    assert "unsafe-eval" not in policy
