"""The pages of what comes after the session, one list per subject."""

from reports.followup.urls import urlpatterns as followup
from reports.measurement.urls import urlpatterns as measurement
from reports.minutes.urls import urlpatterns as minutes

app_name = "reports"

urlpatterns = [*minutes, *followup, *measurement]
