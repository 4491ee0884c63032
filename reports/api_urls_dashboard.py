from django.urls import path

from reports import api_dashboard

urlpatterns = [
    path("reports/dashboard/", api_dashboard.DashboardApi.as_view(), name="api-dashboard"),
]
