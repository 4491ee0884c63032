"""eCabinet: paperless cabinet meetings for the Government and People's Committees."""
