"""Minutes, conclusions and follow-up, and the measurement of what is saved."""
