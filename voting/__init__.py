"""Opinions and votes: positions before the session, opinion slips, ballots."""
