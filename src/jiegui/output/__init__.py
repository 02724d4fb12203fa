"""Everything that turns results into bytes for the user: tables, JSON, CSV (`render`), the HTML report."""
