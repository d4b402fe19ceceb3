from django.urls import include, path

from advisor import views, wizard_views

urlpatterns = [
    path("", views.home, name="home"),
    path("health/", views.health, name="health"),
    path("ping/", views.ping, name="ping"),
    path("assessments/", wizard_views.my_assessments, name="assessment-list"),
    path("assessments/new/", wizard_views.start_assessment, name="assessment-start"),
    path("assessments/forget/", wizard_views.forget_assessment, name="assessment-forget"),
    path("a/<str:token>/", wizard_views.resume, name="assessment-resume"),
    path("a/<str:token>/step/<slug:slug>/", wizard_views.step, name="assessment-step"),
    path("a/<str:token>/check/", wizard_views.check_answers, name="assessment-check"),
    path("a/<str:token>/share/", wizard_views.share_link, name="assessment-share"),
    path(
        "a/<str:token>/share/rotate/",
        wizard_views.rotate_share_link,
        name="assessment-share-rotate",
    ),
    path(
        "a/<str:token>/share/revoke/",
        wizard_views.revoke_share_link,
        name="assessment-share-revoke",
    ),
    path("a/<str:token>/duplicate/", wizard_views.duplicate, name="assessment-duplicate"),
    path("a/<str:token>/rerun/", wizard_views.rerun, name="assessment-rerun"),
    path("a/<str:token>/rerun/keep/", wizard_views.keep_rerun, name="assessment-rerun-keep"),
    path("", include("advisor.report_urls")),
]
