"""The accounts app's part of the JSON API (/api/v1/): who is signed in, with which roles."""
