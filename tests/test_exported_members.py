"""The public API is exactly what `checker.__all__` lists (as httpx does): nothing exported by accident."""

import checker


def test_all_is_sorted_and_complete():
    public = {name for name in dir(checker) if not name.startswith("_")} - {"errors", "findings", "policy", "text", "image", "grammar", "cli", "linear_regex", "lru"}
    assert checker.__all__ == sorted(set(checker.__all__))
    assert public | {"__version__"} == set(checker.__all__)


def test_the_design_contract_names_are_exported():
    for name in ("check_text", "check_image", "check_profile", "load_policy", "Finding", "Report"):
        assert name in checker.__all__
