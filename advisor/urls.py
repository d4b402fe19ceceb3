"""The site's URLs: each package brings its own."""

from django.urls import include, path

from advisor.web import views

handler404 = "advisor.web.errors.page_not_found"

urlpatterns = [
    path("health/", views.health, name="health"),
    path("ping/", views.ping, name="ping"),
    path("", include("advisor.assessments.urls")),
    path("", include("advisor.reports.urls")),
    path("", include("advisor.api.urls")),
]
