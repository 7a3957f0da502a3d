"""The /v1 routes: `meta` (health, policy, OpenAPI document) and `checks` (text, image, profile)."""
