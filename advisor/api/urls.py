"""The API's routes. Anything under /api/v1/ answers in problem details, refusals by the
framework (an unknown path, a method an endpoint does not take) included."""

import functools
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, include, path

from advisor.api.endpoints import api
from advisor.api.problems import PROBLEM_JSON, problem


def _as_problem(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        response = view(request, *args, **kwargs)
        if response.status_code == 405 and response.get("Content-Type") != PROBLEM_JSON:
            return problem(
                405,
                f"{request.method} is not one of the methods here ({response['Allow']}).",
                headers={"Allow": response["Allow"]},
            )
        return response

    return wrapper


def _unknown(request: HttpRequest, rest: str) -> HttpResponse:
    return problem(404, "No such endpoint; /api/v1/docs lists them.")


_patterns, _app, _namespace = api.urls
_wrapped = [
    URLPattern(p.pattern, _as_problem(p.callback), p.default_args, p.name) for p in _patterns
]

urlpatterns = [
    path("api/v1/", include((_wrapped, _app), namespace=_namespace)),
    path("api/v1/<path:rest>", _unknown),
]
