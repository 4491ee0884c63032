"""Papers: versions, distribution by per-object permission, stamping per reader."""
