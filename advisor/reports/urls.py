"""Routes that show a result: the page, the PDF and the JSON download, for owner and share link,
the owner's re-run with today's engine, and comparisons (owner pages and their share link)."""

from django.urls import path

from advisor.reports import views
from advisor.web.capability_urls import comparison_route, edit_route, share_route

COMPARISON = "comparisons/<uuid:comparison_id>/"

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
    path(edit_route("compare/"), views.compare, name="assessment-compare"),
    path(edit_route(COMPARISON), views.comparison_owner, name="comparison-owner"),
    path(
        edit_route(f"{COMPARISON}comparison.pdf"),
        views.comparison_owner_pdf,
        name="comparison-owner-pdf",
    ),
    path(
        edit_route(f"{COMPARISON}comparison.csv"),
        views.comparison_owner_csv,
        name="comparison-owner-csv",
    ),
    path(
        edit_route(f"{COMPARISON}share/rotate/"),
        views.comparison_share_rotate,
        name="comparison-share-rotate",
    ),
    path(
        edit_route(f"{COMPARISON}share/revoke/"),
        views.comparison_share_revoke,
        name="comparison-share-revoke",
    ),
    path(comparison_route(), views.comparison_share, name="comparison-share"),
    path(
        comparison_route("comparison.pdf"), views.comparison_share_pdf, name="comparison-share-pdf"
    ),
    path(
        comparison_route("comparison.csv"), views.comparison_share_csv, name="comparison-share-csv"
    ),
]
