"""The democracy app's part of the JSON API (/api/v1/): serializers, views and routes."""
