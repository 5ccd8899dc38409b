"""The JSON API under ``/api/``: the queries of ``biodeals.service`` and ingesting one document.

Reads are open; ``POST /api/documents`` needs ``Authorization: Bearer <BIODEALS_API_TOKEN>``.
"""

from __future__ import annotations

import secrets
import tempfile
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Query, Request, Response
from fastapi.responses import FileResponse
from starlette.background import BackgroundTask

from biodeals.api.models import MAX_PAGE, DealQuery, NewDocument
from biodeals.errors import IngestError
from biodeals.ingest import ReadOptions
from biodeals.service import queries
from biodeals.service.export import export_deals

router = APIRouter(prefix="/api", tags=["api"])

Limit = Annotated[int, Query(ge=1, le=MAX_PAGE, description="At most this many items")]
Name = Annotated[str | None, Query(max_length=200)]


def _engine(request: Request) -> Any:
    return request.app.state.engine


Engine = Annotated[Any, Depends(_engine)]
Deals = Annotated[DealQuery, Query()]


@router.get("/deals", summary="Deals, filtered, sorted and paged")
def deals(engine: Engine, query: Deals) -> dict[str, Any]:
    deal_filter = query.to_filter()
    return {
        "total": queries.count_deals(engine, deal_filter),
        "limit": query.limit,
        "offset": query.offset,
        "items": queries.list_deals(engine, deal_filter),
    }


@router.get("/deals/facets", summary="Counts of the selected deals by type, status, modality, year and company")
def deal_facets(engine: Engine, query: Deals) -> dict[str, Any]:
    return queries.deal_facets(engine, query.to_filter(paged=False))


@router.get("/deals.{extension}", summary="The selected deals as a CSV or XLSX download (all pages)")
def download_deals(engine: Engine, query: Deals, extension: Literal["csv", "xlsx"]) -> FileResponse:
    folder = tempfile.TemporaryDirectory(prefix="biodeals-export-")
    path = Path(folder.name) / f"biodeals-deals.{extension}"
    export_deals(engine, path, query.to_filter(paged=False))
    media = {
        "csv": "text/csv; charset=utf-8",
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    }[extension]
    return FileResponse(path, media_type=media, filename=path.name, background=BackgroundTask(folder.cleanup))


@router.get("/deals/{deal_id}", summary="One deal: every field, status history, terms per source, evidence")
def deal(engine: Engine, deal_id: int) -> dict[str, Any]:
    return queries.get_deal(engine, deal_id)


@router.get("/companies", summary="Companies party to deals, most deals first")
def companies(engine: Engine, name: Name = None, limit: Limit = 50) -> list[dict[str, Any]]:
    return queries.list_companies(engine, name, limit=limit)


@router.get("/companies/{name}", summary="One company (by name, alias or id): deals, partners, assets")
def company(engine: Engine, name: str) -> dict[str, Any]:
    return queries.get_company(engine, name)


@router.get("/assets", summary="Drugs and programmes, most deals first")
def assets(engine: Engine, name: Name = None, limit: Limit = 50) -> list[dict[str, Any]]:
    return queries.list_assets(engine, name, limit=limit)


@router.get("/readouts", summary="Clinical readouts with their endpoints, newest first")
def readouts(
    engine: Engine,
    asset: Name = None,
    trial: Name = None,
    indication: Name = None,
    phase: Annotated[str | None, Query(max_length=20)] = None,
    limit: Limit = 50,
) -> list[dict[str, Any]]:
    return queries.list_readouts(engine, asset=asset, trial=trial, indication=indication, phase=phase, limit=limit)


@router.get("/search", summary="Full-text search over the stored documents")
def search(
    engine: Engine, q: Annotated[str, Query(min_length=1, max_length=500)], limit: Limit = 20
) -> list[dict[str, Any]]:
    return queries.search_documents(engine, q, limit=limit)


@router.get("/stats", summary="Counts, and deal counts and values by year, type and modality")
def stats(engine: Engine) -> dict[str, Any]:
    return queries.stats(engine)


@router.get("/documents/{document_id}", summary="One document: text, its deals and readouts, evidence spans")
def document(engine: Engine, document_id: int) -> dict[str, Any]:
    return queries.get_document(engine, document_id)


def _authorized(request: Request) -> None:
    token = request.app.state.api_token
    if token is None:
        raise HTTPException(403, "writes are disabled: start the server with BIODEALS_API_TOKEN set")
    scheme, _, given = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not secrets.compare_digest(given.strip().encode(), token.encode()):
        raise HTTPException(401, "writes need the header 'Authorization: Bearer <token>'", {"WWW-Authenticate": "Bearer"})


@router.post(
    "/documents",
    summary="Ingest a document (text or URL): extract, resolve and store it",
    dependencies=[Depends(_authorized)],
    status_code=201,
    responses={200: {"description": "Already stored: nothing changed"}},
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
        summary = ingest_documents(results, engine)
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
