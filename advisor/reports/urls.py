"""Routes that show a result: the page, the PDF and the JSON download, for owner and share link,
and the owner's re-run with today's engine."""

from django.urls import path

from advisor.reports import views
from advisor.web.capability_urls import edit_route, share_route

urlpatterns = [
    path(edit_route("result/"), views.assessment_result, name="assessment-result"),
    path(edit_route("export.json"), views.assessment_export, name="assessment-export"),
    path(edit_route("report.pdf"), views.assessment_pdf, name="assessment-pdf"),
    path(edit_route("costs.csv"), views.assessment_csv, name="assessment-csv"),
    path(edit_route("rerun/"), views.rerun, name="assessment-rerun"),
    path(edit_route("rerun/keep/"), views.keep_rerun, name="assessment-rerun-keep"),
    path(share_route(), views.share_result, name="share-result"),
    path(share_route("export.json"), views.share_export, name="share-export"),
    path(share_route("report.pdf"), views.share_pdf, name="share-pdf"),
    path(share_route("costs.csv"), views.share_csv, name="share-csv"),
]
