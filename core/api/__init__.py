"""What every app's JSON API shares (DESIGN.md, "API"): the error format, idempotent writes, rate limits
per key and per address, pagination, ETags, the permission class over the apps' rules and the schema's
common parts. Apps keep their serializers and views in their own ``api/`` package."""
