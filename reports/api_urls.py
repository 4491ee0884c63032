"""The API of what comes after the session, one list per subject."""

from reports.followup.api_urls import urlpatterns as followup
from reports.measurement.api_urls import urlpatterns as measurement
from reports.minutes.api_urls import urlpatterns as minutes

app_name = "reports_api"

urlpatterns = [*minutes, *followup, *measurement]
