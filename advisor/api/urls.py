from django.urls import path

from advisor.api.endpoints import api

urlpatterns = [path("api/v1/", api.urls)]
