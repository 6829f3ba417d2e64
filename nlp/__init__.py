"""Extraction of companies, agencies, models, policies, token metrics and risk signals from
Chinese and English news (spaCy pipelines + KB + rules). Pure: text in, `Extraction` out.

Offsets: when `title` is given, the analysed string is `title + "\\n\\n" + text` and all
offsets index into that joined string.

    >>> from nlp import extract
    >>> extract("火山引擎日均Token消耗量突破30万亿", published_at="2025-05-10").metrics[0].value
    30000000000000.0
"""

from nlp.errors import NlpError
from nlp.extractor import DocInput, Extractor, extract
from nlp.types import Entity, Extraction, Metric, PolicyInfo, Risk

__all__ = [
    "DocInput",
    "Entity",
    "Extraction",
    "Extractor",
    "Metric",
    "NlpError",
    "PolicyInfo",
    "Risk",
    "extract",
]
