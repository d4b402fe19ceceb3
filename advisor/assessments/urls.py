"""The interview and the owner's actions, under the private edit link."""

from django.urls import path

from advisor.assessments import views
from advisor.web.capability_urls import edit_route

urlpatterns = [
    path("", views.home, name="home"),
    path("assessments/", views.my_assessments, name="assessment-list"),
    path("assessments/new/", views.start_assessment, name="assessment-start"),
    path("assessments/forget/", views.forget_assessment, name="assessment-forget"),
    path(edit_route(), views.resume, name="assessment-resume"),
    path(edit_route("step/<slug:slug>/"), views.step, name="assessment-step"),
    path(edit_route("check/"), views.check_answers, name="assessment-check"),
    path(edit_route("share/"), views.share_link, name="assessment-share"),
    path(edit_route("share/rotate/"), views.rotate_share_link, name="assessment-share-rotate"),
    path(edit_route("share/revoke/"), views.revoke_share_link, name="assessment-share-revoke"),
    path(edit_route("duplicate/"), views.duplicate, name="assessment-duplicate"),
    path(edit_route("delete/"), views.delete_assessment, name="assessment-delete"),
    path("assessments/deleted/", views.assessment_deleted, name="assessment-deleted"),
]
