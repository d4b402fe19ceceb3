from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict:
    return {"site_origin": settings.SITE_ORIGIN, "site_name": "Model customisation advisor"}
