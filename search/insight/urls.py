"""The dashboard page, mounted at ``/insight/``."""

from django.urls import path

from search.insight.views import insight_page

app_name = "insight"

urlpatterns = [path("", insight_page, name="insight")]
