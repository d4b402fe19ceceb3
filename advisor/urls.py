from django.urls import include, path

from advisor import views

urlpatterns = [
    path("", views.home, name="home"),
    path("health/", views.health, name="health"),
    path("assessments/new/", views.start_assessment, name="assessment-start"),
    path("", include("advisor.report_urls")),
]
