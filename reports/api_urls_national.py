from django.urls import path

from reports import api_national

urlpatterns = [
    path("reports/national/", api_national.NationalApi.as_view(), name="api-national"),
]
