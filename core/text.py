"""Text folding for Vietnamese names: search ignores case and diacritics."""

import unicodedata


def fold(text: str) -> str:
    """'Quảng Minh' → 'quang minh'; 'Đồng' → 'dong'."""
    decomposed = unicodedata.normalize("NFD", text.lower().replace("đ", "d"))
    return " ".join("".join(c for c in decomposed if unicodedata.category(c) != "Mn").split())
