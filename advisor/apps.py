from django.apps import AppConfig


class AdvisorConfig(AppConfig):
    name = "advisor"
    verbose_name = "RAG or fine-tune advisor"
    default_auto_field = "django.db.models.BigAutoField"
