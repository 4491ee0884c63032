from django.urls import path

from reports import views_national

urlpatterns = [
    path("reports/national/", views_national.national_dashboard, name="national-dashboard"),
    path("reports/national/tenants.csv", views_national.national_tenants_csv, name="national-tenants-csv"),
    path("reports/national/shares.csv", views_national.national_shares_csv, name="national-shares-csv"),
    path("reports/national/report.pdf", views_national.national_report, name="national-report"),
    path(
        "reports/national/<slug:slug>/report.pdf",
        views_national.national_tenant_report,
        name="national-tenant-report",
    ),
    path("reports/quarterly/report.pdf", views_national.quarterly_report, name="quarterly-report"),
]
