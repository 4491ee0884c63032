from django.urls import path

from reports.measurement import api

urlpatterns = [
    path("reports/dashboard/", api.DashboardApi.as_view(), name="dashboard"),
    path("reports/national/", api.NationalApi.as_view(), name="national"),
    path("reports/settings/", api.ReportSettingsApi.as_view(), name="report-settings"),
]
