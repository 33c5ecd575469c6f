"""Reading reference files (CSV, XLSX) in the shapes ministries publish, and parsing their rows."""
