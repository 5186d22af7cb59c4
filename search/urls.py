"""URLs of the search pages, mounted at ``/search/``."""

from django.urls import path

from search.feeds import search_feed
from search.views import partners_page, search_page, similar_page, statistics_page

app_name = "search"

urlpatterns = [
    path("", search_page, name="search"),
    path("feed/", search_feed, name="feed"),
    path("statistics/", statistics_page, name="statistics"),
    path("partners/", partners_page, name="partners"),
    path("similar/<str:record_id>/", similar_page, name="similar"),
]
