"""Routes for the downloadable report (PDF)."""

urlpatterns: list = []
