"""Read queries over the knowledge base. Each returns plain dicts, the same for the CLI's tables,
its JSON/CSV output, exports and the HTTP API.

The queries live in modules by what they read (``deals``, ``facets`` (the deals' counts),
``documents``, ``entities``, ``readouts``, ``stats``; ``lookup`` finds what a query names); this
module gathers them, so surfaces import one place.
"""

from biodeals.model import DEAL_STATUSES, DEAL_TYPES, ROLES
from biodeals.service.deals import DEAL_SORTS, DealFilter, DealSort, get_deal, list_deals
from biodeals.service.documents import document_id_by_hash, document_texts, get_document, search_documents
from biodeals.service.entities import get_company, list_assets, list_companies
from biodeals.service.facets import Counts, count_deals, deal_facets, left_out, selection_counts
from biodeals.service.lookup import matching_entities
from biodeals.service.readouts import count_readouts, get_readout, list_readouts
from biodeals.service.stats import stats

__all__ = [
    "DEAL_SORTS",
    "DEAL_STATUSES",
    "DEAL_TYPES",
    "ROLES",
    "Counts",
    "DealFilter",
    "DealSort",
    "count_deals",
    "count_readouts",
    "deal_facets",
    "document_id_by_hash",
    "document_texts",
    "get_company",
    "get_deal",
    "get_document",
    "get_readout",
    "left_out",
    "list_assets",
    "list_companies",
    "list_deals",
    "list_readouts",
    "matching_entities",
    "search_documents",
    "selection_counts",
    "stats",
]
