from django.urls import path

from reports.measurement import views

D = "reports/dashboard/"

urlpatterns = [
    # the tenant's dashboard
    path(D, views.dashboard, name="dashboard"),
    path(D + "periods.csv", views.dashboard_periods_csv, name="dashboard-periods-csv"),
    path(D + "meetings.csv", views.dashboard_meetings_csv, name="dashboard-meetings-csv"),
    path(D + "meetings/<int:meeting_id>/", views.dashboard_meeting, name="dashboard-meeting"),
    path(
        D + "meetings/<int:meeting_id>/count/", views.dashboard_meeting_count, name="dashboard-meeting-count"
    ),
    path(
        D + "meetings/<int:meeting_id>/items.csv",
        views.dashboard_meeting_items_csv,
        name="dashboard-meeting-items-csv",
    ),
    path(
        D + "meetings/<int:meeting_id>/reading.csv",
        views.dashboard_meeting_reading_csv,
        name="dashboard-meeting-reading-csv",
    ),
    # the national dashboard and the quarterly reports
    path("reports/national/", views.national_dashboard, name="national-dashboard"),
    path("reports/national/tenants.csv", views.national_tenants_csv, name="national-tenants-csv"),
    path("reports/national/shares.csv", views.national_shares_csv, name="national-shares-csv"),
    path("reports/national/report.pdf", views.national_report, name="national-report"),
    path(
        "reports/national/<slug:slug>/report.pdf",
        views.national_tenant_report,
        name="national-tenant-report",
    ),
    path("reports/quarterly/report.pdf", views.quarterly_report, name="quarterly-report"),
    # the tenant's yardsticks
    path("reports/settings/", views.report_settings_page, name="report-settings"),
]
