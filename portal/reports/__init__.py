"""Reports composed from the dashboards' figures: the annual report DoHA sends upward, as a page, a
workbook (``xlsx``) and an official document (``pdf``), all printed from one ``annual.AnnualReport``."""
