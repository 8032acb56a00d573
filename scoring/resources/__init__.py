"""Excel in and out: the criteria set's workbook (``criteria`` resources over the rows ``workbook``
reads and checks) and the province's rankings (``rankings``)."""
