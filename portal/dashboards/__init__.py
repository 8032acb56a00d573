"""The province's and the commune's dashboards: figures read from maintained aggregates (``CommuneMonth``),
shown as charts with their tables behind them."""
