"""The JSON API under ``/api/``: the queries of ``biodeals.service`` and ingesting one document.

Reads are open; ``POST /api/documents`` needs ``Authorization: Bearer <BIODEALS_API_TOKEN>``,
checked from the headers before the body is read (``biodeals.api.middleware.TokenFirst``).
Every route documents its error answers in the one envelope (``biodeals.api.envelope``); ids,
limits and offsets are bounded so no number reaches the database that it cannot hold.
"""

from __future__ import annotations

import io
import tempfile
from dataclasses import replace
from pathlib import Path as FilePath
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Path, Query, Request, Response
from fastapi.responses import FileResponse
from fastapi.security import HTTPBearer
from starlette.background import BackgroundTask
from starlette.routing import BaseRoute

from biodeals.api.envelope import DOWNLOAD, INVALID, NOT_FOUND, WRITE, XLSX
from biodeals.api.feeds import MEDIA_TYPE, watchlist_feed
from biodeals.api.middleware import token_problem, token_user
from biodeals.api.models import (
    EditBody,
    MergeCompaniesBody,
    MergeDealsBody,
    NewDocument,
    ReviewBody,
    SplitBody,
    UndoBody,
    WatchlistBody,
)
from biodeals.errors import IngestError, NotFound
from biodeals.ingest import ReadOptions
from biodeals.service import curation, queries, watchlists
from biodeals.service.comparables import MAX_K, comparables
from biodeals.service.edits import list_edits
from biodeals.service.export import export_deals, write_csv
from biodeals.service.filters import (
    FACETED,
    MAX_ID,
    MAX_PAGE,
    DealQuery,
    ReadoutQuery,
    SearchText,
    StatsQuery,
    Text,
    has_words,
)
from biodeals.service.public import public_document
from biodeals.service.trends import trend_rows, trends
from biodeals.service.valuation import STAGES, value_deal

router = APIRouter(prefix="/api", tags=["api"], responses=INVALID)

Limit = Annotated[int, Query(ge=1, le=MAX_PAGE, description="At most this many items")]
Name = Annotated[Text | None, Query(max_length=200)]
Id = Annotated[int, Path(ge=1, le=MAX_ID, description="The item's id")]


def _engine(request: Request) -> Any:
    return request.app.state.engine


Engine = Annotated[Any, Depends(_engine)]
Deals = Annotated[DealQuery, Query()]


@router.get("/deals", summary="Deals, filtered, sorted and paged")
def deals(engine: Engine, query: Deals) -> dict[str, Any]:
    deal_filter = query.to_filter()
    found = has_words(query.q)  # text without a word to search for (e.g. '±') selects nothing
    total = queries.count_deals(engine, deal_filter) if found else 0
    return {
        "total": total,
        "limit": query.limit,
        "offset": query.offset,
        "items": queries.list_deals(engine, deal_filter, selected=total) if found else [],
    }


@router.get("/deals/facets", summary="Counts of the selected deals by type, status, stage, modality, year and company")
def deal_facets(engine: Engine, query: Deals) -> dict[str, Any]:
    if not has_words(query.q):
        return {name: [] for name in FACETED}
    return queries.deal_facets(engine, query.to_filter(paged=False))


@router.get(
    "/deals.{extension}",
    summary="The selected deals as a CSV or XLSX download (all pages)",
    response_class=Response,  # documented by DOWNLOAD: a file, never JSON
    responses=DOWNLOAD,
)
def download_deals(engine: Engine, query: Deals, extension: Literal["csv", "xlsx"]) -> FileResponse:
    folder = tempfile.TemporaryDirectory(prefix="biodeals-export-")
    path = FilePath(folder.name) / f"biodeals-deals.{extension}"
    deal_filter = query.to_filter(paged=False)
    if not has_words(query.q):  # nothing selected: the file holds the column names only
        deal_filter = replace(deal_filter, text=None, limit=0)
    export_deals(engine, path, deal_filter)
    media = {"csv": "text/csv; charset=utf-8", "xlsx": XLSX}[extension]
    return FileResponse(path, media_type=media, filename=path.name, background=BackgroundTask(folder.cleanup))


@router.get(
    "/deals/{deal_id}",
    summary="One deal: every field, status history, terms per source, evidence",
    responses=NOT_FOUND,
)
def deal(engine: Engine, deal_id: Id) -> dict[str, Any]:
    found = queries.get_deal(engine, deal_id)
    for entry in found["history"]:
        entry["document"] = public_document(entry["document"])
    return found


@router.get(
    "/deals/{deal_id}/value",
    summary="Risk-adjusted NPV of a deal's terms (licensor's side), with every cash flow and assumption",
    responses=NOT_FOUND,
)
def deal_value(
    engine: Engine,
    deal_id: Id,
    stage: Annotated[Text | None, Query(max_length=20, description=f"Stage at signing: {', '.join(STAGES)}")] = None,
    area: Annotated[
        Text | None,
        Query(max_length=40, description="Therapeutic area of the success rates (default: the deal's own, else all)"),
    ] = None,
    discount_rate: Annotated[float | None, Query(ge=0, lt=1, description="Yearly discount rate (default 0.10)")] = None,
) -> dict[str, Any]:
    return value_deal(engine, deal_id, stage=stage, area=area, discount_rate=discount_rate)


@router.get(
    "/deals/{deal_id}/comparables",
    summary="The deals most like one, with why each matched and the spread of their terms",
    responses=NOT_FOUND,
)
def deal_comparables(
    engine: Engine, deal_id: Id, k: Annotated[int, Query(ge=1, le=MAX_K, description="How many")] = 10
) -> dict[str, Any]:
    return comparables(engine, deal_id, k)


@router.get(
    "/trends",
    summary="Deals and money by quarter per modality and area, medians by stage, and top targets of the selected deals",
)
def deal_trends(engine: Engine, query: Deals) -> dict[str, Any]:
    return trends(engine, query.to_filter(paged=False))


@router.get(
    "/trends/{table}.csv",
    summary="A trends table of the selected deals as CSV",
    response_class=Response,
    responses={200: {"description": "CSV", "content": {"text/csv": {"schema": {"type": "string"}}}}},
)
def deal_trends_csv(
    engine: Engine, query: Deals, table: Literal["by_quarter", "by_area", "by_stage", "top_targets"]
) -> Response:
    columns, rows = trend_rows(trends(engine, query.to_filter(paged=False)), table)
    buffer = io.StringIO()
    write_csv(rows, buffer, columns)
    headers = {"Content-Disposition": f'attachment; filename="biodeals-{table}.csv"'}
    return Response(buffer.getvalue(), media_type="text/csv; charset=utf-8", headers=headers)


@router.get("/companies", summary="Companies party to deals, most deals first")
def companies(engine: Engine, name: Name = None, limit: Limit = 50) -> list[dict[str, Any]]:
    return queries.list_companies(engine, name, limit=limit)


@router.get(
    "/companies/{name}",
    summary="One company (by name, alias or id): deals, partners, assets",
    responses=NOT_FOUND,
)
def company(engine: Engine, name: Annotated[Text, Path(min_length=1, max_length=200)]) -> dict[str, Any]:
    if name.isdigit() and not (name.isascii() and int(name) <= MAX_ID):
        raise NotFound(f"company {name!r}: no such company")  # not an id the store can hold
    return queries.get_company(engine, name)


@router.get("/assets", summary="Drugs and programmes, most deals first")
def assets(engine: Engine, name: Name = None, limit: Limit = 50) -> list[dict[str, Any]]:
    return queries.list_assets(engine, name, limit=limit)


@router.get("/readouts", summary="Clinical readouts with their sponsor and endpoints, newest first, paged")
def readouts(engine: Engine, query: Annotated[ReadoutQuery, Query()]) -> dict[str, Any]:
    return {
        "total": queries.count_readouts(engine, **query.filters()),
        "limit": query.limit,
        "offset": query.offset,
        "items": queries.list_readouts(engine, limit=query.limit, offset=query.offset, **query.filters()),
    }


@router.get(
    "/readouts/{readout_id}", summary="One readout with its evidence and the decisions about it", responses=NOT_FOUND
)
def readout(engine: Engine, readout_id: Id) -> dict[str, Any]:
    return queries.get_readout(engine, readout_id)


@router.get("/search", summary="Full-text search over the stored documents")
def search(
    engine: Engine, q: Annotated[SearchText, Query(min_length=1, max_length=500)], limit: Limit = 20
) -> list[dict[str, Any]]:
    if not has_words(q):
        return []
    return [public_document(hit) for hit in queries.search_documents(engine, q, limit=limit)]


@router.get("/stats", summary="Counts, deal counts and values by year, type and modality, the largest deals")
def stats(engine: Engine, query: Annotated[StatsQuery, Query()]) -> dict[str, Any]:
    return queries.stats(engine, trusted=not query.all)


@router.get(
    "/documents/{document_id}",
    summary="One document: text, its deals and readouts, evidence spans",
    responses=NOT_FOUND,
)
def document(engine: Engine, document_id: Id) -> dict[str, Any]:
    return public_document(queries.get_document(engine, document_id))


_bearer = HTTPBearer(auto_error=False, description="The server's BIODEALS_API_TOKEN")


def _authorized(request: Request, _credentials: Annotated[Any, Depends(_bearer)] = None) -> str:
    """The user of the write token, checked again here (TokenFirst has refused a wrong one
    before the body was read); ``_bearer`` documents the scheme in OpenAPI."""
    authorization = request.headers.get("authorization", "")
    problem = token_problem(request.app.state.tokens, authorization)
    if problem is not None:
        status, detail, headers = problem
        raise HTTPException(status, detail, headers or None)
    return token_user(request.app.state.tokens, authorization) or "api"


User = Annotated[str, Depends(_authorized)]


def needs_token(route: BaseRoute) -> bool:
    """Whether ``route`` takes writes (for ``TokenFirst``): those guarded by ``_authorized``."""
    dependant = getattr(route, "dependant", None)
    return dependant is not None and any(d.call is _authorized for d in _dependencies(dependant))


def _dependencies(dependant: Any) -> list[Any]:
    found = []
    for sub in dependant.dependencies:
        found += [sub, *_dependencies(sub)]
    return found


@router.post(
    "/documents",
    summary="Ingest a document (text or URL): extract, resolve and store it",
    dependencies=[Depends(_authorized)],
    status_code=201,
    responses={200: {"description": "Already stored: nothing changed"}, **WRITE},
)
def add_document(engine: Engine, request: Request, body: NewDocument, response: Response) -> dict[str, Any]:
    from biodeals.ingest import make_document, read_inputs
    from biodeals.service.ingest import ingest_documents

    if body.text is not None:
        document = make_document(body.text, name=body.name or "api", source=body.source, title=body.title)
        document.published = body.published
        if body.name is None:
            document.name = f"api-{document.id[:12]}"
        results: list[Any] = [document]
    else:
        results = list(read_inputs([str(body.url)], ReadOptions(max_bytes=request.app.state.max_body_bytes)))
    with request.app.state.write_lock:
        summary = ingest_documents(results, engine, alert_wait=None)  # alerts go on after the answer
    if not summary.new and not summary.skipped:
        raise IngestError(str(body.url or "text"), "; ".join(summary.failures) or "no document in this input")
    stored = [
        doc
        for doc in (queries.document_id_by_hash(engine, r.id) for r in results if not isinstance(r, IngestError))
        if doc is not None
    ]
    if not summary.new:
        response.status_code = 200
    return {**summary.as_dict(), "documents": [_document_summary(engine, doc) for doc in stored]}


def _document_summary(engine: Any, document_id: int) -> dict[str, Any]:
    stored = queries.get_document(engine, document_id)
    return {
        "id": stored["id"],
        "name": stored["name"],
        "content_hash": stored["content_hash"],
        "deals": [deal["id"] for deal in stored["deals"]],
        "readouts": [readout["id"] for readout in stored["readouts"]],
    }


# -- curation: what people decide, recorded with the token's user ---------------------------------

_DECISION = {"status_code": 201, "responses": {**WRITE, **NOT_FOUND}}


@router.post("/deals/{deal_id}/review", summary="Confirm or reject a deal (or reset it to unreviewed)", **_DECISION)
def review_deal(engine: Engine, user: User, deal_id: Id, body: ReviewBody) -> dict[str, Any]:
    return curation.review(engine, "deal", deal_id, body.state, user, body.note)


@router.post("/readouts/{readout_id}/review", summary="Confirm or reject a readout", **_DECISION)
def review_readout(engine: Engine, user: User, readout_id: Id, body: ReviewBody) -> dict[str, Any]:
    return curation.review(engine, "readout", readout_id, body.state, user, body.note)


@router.post("/deals/{deal_id}/edits", summary="Set one field of a deal (kept through every re-ingest)", **_DECISION)
def edit_deal(engine: Engine, user: User, deal_id: Id, body: EditBody) -> dict[str, Any]:
    return curation.edit_deal(engine, deal_id, body.field, body.value, user, body.note, body.quote)


@router.post("/deals/{deal_id}/split", summary="Take a company off a deal", **_DECISION)
def split_party(engine: Engine, user: User, deal_id: Id, body: SplitBody) -> dict[str, Any]:
    return curation.split_party(engine, deal_id, body.company, user, body.note)


@router.post("/deals/{deal_id}/merge", summary="Make another deal part of this one", **_DECISION)
def merge_deals(engine: Engine, user: User, deal_id: Id, body: MergeDealsBody) -> dict[str, Any]:
    return curation.merge_deals(engine, deal_id, body.absorb, user, body.note)


@router.post("/companies/{name}/merge", summary="Make another company one with this one", **_DECISION)
def merge_companies(
    engine: Engine, user: User, name: Annotated[Text, Path(min_length=1, max_length=200)], body: MergeCompaniesBody
) -> dict[str, Any]:
    return curation.merge_companies(engine, name, body.absorb, user, body.note)


@router.post("/edits/{edit_id}/undo", summary="Revert one decision", **_DECISION)
def undo(engine: Engine, user: User, edit_id: Id, body: UndoBody) -> dict[str, Any]:
    return curation.undo(engine, edit_id, user, body.note)


@router.get("/edits", summary="The record of decisions, newest first")
def edits(
    engine: Engine,
    deal: Annotated[int | None, Query(ge=1, le=MAX_ID, description="Only those about this deal")] = None,
    limit: Limit = 100,
) -> list[dict[str, Any]]:
    return list_edits(engine, "deal" if deal else None, deal, limit)


@router.get("/edits/{edit_id}", summary="One decision", responses=NOT_FOUND)
def edit(engine: Engine, edit_id: Id) -> dict[str, Any]:
    return curation.get_edit(engine, edit_id)


# -- watchlists: saved deal filters, their feeds and webhooks -------------------------------------

WatchName = Annotated[str, Path(pattern=f"^{watchlists.NAME.pattern}$", description=watchlists.NAME_HELP)]


@router.get("/watchlists", summary="Every watchlist with its filters and the number of deals it selects")
def list_watchlists(engine: Engine, limit: Limit = 100) -> list[dict[str, Any]]:
    return [watchlists.public_watchlist(w) for w in watchlists.list_watchlists(engine, limit)]


@router.post("/watchlists", summary="Save deal filters as a watchlist", status_code=201, responses=WRITE)
def add_watchlist(engine: Engine, user: User, body: WatchlistBody) -> dict[str, Any]:
    made = watchlists.add_watchlist(engine, body.name, body.filters, str(body.webhook) if body.webhook else None)
    return watchlists.public_watchlist(made)


@router.get(
    "/watchlists/{name}.atom",
    summary="A watchlist's newest deals as an Atom feed",
    response_class=Response,
    responses={**NOT_FOUND, 200: {"description": "Atom 1.0", "content": {MEDIA_TYPE: {"schema": {"type": "string"}}}}},
)
def watchlist_feed_route(engine: Engine, request: Request, name: WatchName) -> Response:
    watchlist, deals = watchlists.feed_deals(engine, name)
    return Response(watchlist_feed(watchlist, deals, str(request.base_url)), media_type=MEDIA_TYPE)


@router.get("/watchlists/{name}", summary="A watchlist, its newest deals and its alert log", responses=NOT_FOUND)
def watchlist(engine: Engine, name: WatchName) -> dict[str, Any]:
    found, deals = watchlists.feed_deals(engine, name)
    for deal in deals:
        deal["reported_at"] = deal["reported_at"].isoformat() if deal["reported_at"] else None
    log = watchlists.public_log(watchlists.delivery_log(engine, name))
    return {**watchlists.public_watchlist(found), "deals": deals, "log": log}


@router.delete("/watchlists/{name}", summary="Forget a watchlist and its alert log", responses={**WRITE, **NOT_FOUND})
def remove_watchlist(engine: Engine, user: User, name: WatchName) -> dict[str, Any]:
    return watchlists.public_watchlist(watchlists.remove_watchlist(engine, name))
