"""The computation: the metrics a computed criterion names (``metrics``), the figures they give stored
as snapshots on assessments (``compute``), and the totals, knock-outs and stars of an assessment
(``stars``)."""
