# Filled by a later issue; the app exists now so that its migrations start from the foundation.
