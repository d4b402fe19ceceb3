from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_cookie

from advisor.access import remembered_assessments


@vary_on_cookie  # the list of your assessments comes from a cookie
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    assessments = remembered_assessments(request)[:5]
    response = render(request, "home.html", {"assessments": assessments})
    if assessments:
        add_never_cache_headers(response)  # it lists this browser's private links
    return response


@never_cache
@require_GET
def health(request: HttpRequest) -> JsonResponse:
    """Answers 200 when the app can reach its database, 503 when it cannot."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


@require_GET
def ping(request: HttpRequest) -> HttpResponse:
    """A bare response that touches no database: the baseline the benchmark compares pages to."""
    return HttpResponse("pong", content_type="text/plain")
