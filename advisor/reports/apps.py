from django.apps import AppConfig


class ReportsConfig(AppConfig):
    """The report built from a stored result: pages, PDF, exports and the advise command."""

    name = "advisor.reports"
    verbose_name = "Reports"

    def ready(self) -> None:
        from advisor.assessments.models import result_saved

        result_saved.connect(_render_when_saved, dispatch_uid="render-pdf-when-saved")


def _render_when_saved(sender: object, **kwargs: object) -> None:
    # Imported on first use: the task module brings the report and PDF modules, which a
    # command such as `advise --format json` never needs.
    from advisor.reports.tasks import render_when_saved

    render_when_saved(sender, **kwargs)
