"""Deal extraction: from recognised entities, money and sentences to SCHEMA.md deal records.

Each module does one job: ``cues`` (the words that state a deal type), ``sentences`` (sentences
that state a deal and the companies it is between), ``links`` (whether a sentence's words relate
two of its companies), ``candidates`` (sentences grouped into
deal candidates), ``facts`` (per-document look-ups), ``relevance`` (whether a candidate is a
biopharma deal), ``roles``, ``terms`` (status, money, royalties), ``subjects`` (assets, targets,
indications, modalities) and ``extract`` (a candidate's record, with its evidence spans).
"""

from biodeals.nlp.deals.extract import extract_deals

__all__ = ["extract_deals"]
