"""The text engine and its rule kinds."""
