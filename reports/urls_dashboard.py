from django.urls import path

from reports import views_dashboard

D = "reports/dashboard/"

urlpatterns = [
    path(D, views_dashboard.dashboard, name="dashboard"),
    path(D + "periods.csv", views_dashboard.dashboard_periods_csv, name="dashboard-periods-csv"),
    path(D + "meetings.csv", views_dashboard.dashboard_meetings_csv, name="dashboard-meetings-csv"),
    path(D + "meetings/<int:meeting_id>/", views_dashboard.dashboard_meeting, name="dashboard-meeting"),
    path(
        D + "meetings/<int:meeting_id>/items.csv",
        views_dashboard.dashboard_meeting_items_csv,
        name="dashboard-meeting-items-csv",
    ),
    path(
        D + "meetings/<int:meeting_id>/reading.csv",
        views_dashboard.dashboard_meeting_reading_csv,
        name="dashboard-meeting-reading-csv",
    ),
]
