"""Manager dashboards: figures, lists, grid and timeline, calendar, iCalendar feed, exports.

`snapshot` decides which rows a view looks at (filters, and "as of" a past day from the
recorded history); `selectors` aggregates them in the database; the other modules turn
the results into SVG, iCalendar, CSV and XLSX.
"""
