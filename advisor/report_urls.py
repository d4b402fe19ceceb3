"""Routes that show a result: the page, the PDF and the JSON download, for owner and share link."""

from django.urls import path

from advisor import report_views

urlpatterns = [
    path("a/<str:token>/result/", report_views.assessment_result, name="assessment-result"),
    path("a/<str:token>/export.json", report_views.assessment_export, name="assessment-export"),
    path("a/<str:token>/report.pdf", report_views.assessment_pdf, name="assessment-pdf"),
    path("s/<str:token>/", report_views.share_result, name="share-result"),
    path("s/<str:token>/export.json", report_views.share_export, name="share-export"),
    path("s/<str:token>/report.pdf", report_views.share_pdf, name="share-pdf"),
]
