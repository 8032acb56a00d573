"""Citizens' feedback as Open311 GeoReport v2 (/open311/v2/), JSON and XML as the specification says."""
