"""Six-month and annual reports: forms pre-filled from the platform, narrative, submission and
acceptance, consolidation up the tree, frozen once accepted, exported as DOCX, PDF and XLSX in
the Vietnamese administrative format."""
