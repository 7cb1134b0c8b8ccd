"""Tokens for lexical search that keep Vietnamese figures whole.

"1.200", "7,39%", "30.372", "17/139" are single tokens: a tokenizer that splits "1.200" into "1" and
"200" loses the figure and matches every "200" in the corpus. Words are lower-cased syllables
(Vietnamese writes one syllable per space-separated unit); accents are kept, because "thu" (revenue)
and "thú" are different words.
"""

from __future__ import annotations

import re
import unicodedata

_TOKEN = re.compile(r"\d+(?:[.,/]\d+)*%?|[^\W\d_]+", re.UNICODE)


def tokenize(text: str) -> list[str]:
    """Lower-cased syllables and whole numbers: "Thu 1.200 triệu USD" -> ["thu", "1.200", "triệu", "usd"]."""
    text = unicodedata.normalize("NFC", text).lower()
    return _TOKEN.findall(text)
