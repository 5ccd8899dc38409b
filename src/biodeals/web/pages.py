"""The web app: server-rendered pages over the service layer, enhanced with vendored htmx,
Chart.js and Cytoscape.js (nothing is loaded from a CDN).

Every page has a JSON twin under ``/api/``; pages read the same filters (``DealQuery``), and an
empty form field means "no filter" rather than an error. Stored URLs become links only through
the ``web_url`` filter (http(s) only), and sources are shown through ``public_source``; no page
has an inline script, as the Content-Security-Policy allows scripts from /static only.
"""

from __future__ import annotations

from collections import Counter
from itertools import combinations
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from pydantic import BaseModel, ValidationError

from biodeals.errors import ConfigError, NotFound
from biodeals.model import MONEY_KINDS
from biodeals.service import filters, queries, watchlists
from biodeals.service.comparables import comparables_of
from biodeals.service.curation import DEAL_FIELDS
from biodeals.service.display import describe_edit, format_money
from biodeals.service.filters import MAX_ID, DealQuery, ReadoutQuery
from biodeals.service.public import public_source, web_url
from biodeals.service.trends import NO_STAGE, trends
from biodeals.service.valuation import STAGES, value_of
from biodeals.web.highlight import highlight

HERE = Path(__file__).parent
MAX_SOURCE_TEXTS = 12  # a much-reported deal shows the text of its first sources, lists the rest

router = APIRouter(include_in_schema=False)
templates = Jinja2Templates(directory=HERE / "templates")
templates.env.filters["money"] = format_money
templates.env.filters["web_url"] = web_url
templates.env.filters["public_source"] = public_source
templates.env.filters["describe_edit"] = describe_edit
templates.env.filters["thousands"] = lambda number: f"{number:,}"
_FACETS = filters.FACETED
templates.env.globals["facet_names"] = _FACETS
templates.env.globals["deal_fields"] = DEAL_FIELDS
# the filter form is built from the one declaration of the deal filters
templates.env.globals["form_fields"] = filters.FORM_FIELDS
templates.env.globals["filter_names"] = filters.FILTERS
templates.env.globals["filter_label"] = filters.label
templates.env.globals["filter_example"] = filters.example
templates.env.globals["filter_choices"] = filters.choices
templates.env.globals["filter_help"] = lambda name: (DealQuery.model_fields[name].description or "").replace("`", "")
# the money terms a deal page shows, in the model's order: "total_value" -> "Total value"
templates.env.globals["money_kinds"] = {kind: kind.replace("_", " ").capitalize() for kind in MONEY_KINDS}


def static_files() -> StaticFiles:
    return StaticFiles(directory=HERE / "static")


def _page(request: Request, template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    """``template`` rendered; ``writable`` says whether curation forms are shown (the server has
    write tokens; the forms send the one the user enters, through the API)."""
    context.setdefault("writable", bool(getattr(request.app.state, "tokens", None)))
    if status_code == 200:  # with the filters the page applied (bad ones are dropped)
        context.setdefault("alternate", json_twin(request, context.get("params")))
    return templates.TemplateResponse(request, template, context, status_code=status_code)


# pages whose JSON twin is not /api + their own path
_TWINS = {"/": "/api/deals", "/dashboard": "/api/trends", "/docs": "/openapi.json"}


def json_twin(request: Request, params: dict[str, Any] | None = None) -> str:
    """The API URL that answers this page's content as JSON, with the same filters (``params``,
    default: the filled query parameters)."""
    path = request.url.path
    twin = _TWINS.get(path, "/api" + path)
    params = _filled(request) if params is None else {k: v for k, v in params.items() if v}
    return f"{twin}?{urlencode(params)}" if params and twin.startswith("/api/") else twin


def error_page(request: Request, status_code: int, message: str) -> HTMLResponse:
    return _page(request, "error.html", status_code, status=status_code, message=message)


def docs_page(request: Request) -> HTMLResponse:
    """The API docs: the vendored Swagger UI, started by /static/swagger-init.js."""
    return _page(request, "docs.html")


def _filled(request: Request) -> dict[str, str]:
    """The query parameters that hold something (an empty form field is no filter)."""
    return {key: value.strip() for key, value in request.query_params.items() if value.strip()}


def _texts(request: Request, names: tuple[str, ...], max_length: int = 200) -> tuple[dict[str, str | None], list[str]]:
    """The filled text filters ``names``; one too long or holding a NUL (which PostgreSQL cannot
    compare) is dropped and explained."""
    chosen: dict[str, str | None] = {}
    problems: list[str] = []
    for name in names:
        value = _filled(request).get(name)
        if value is not None and ("\x00" in value or len(value) > max_length):
            problems.append(f"{name}: expected at most {max_length} characters and no NUL character; filter ignored")
            value = None
        chosen[name] = value
    return chosen, problems


def _known_id(value: int, kind: str) -> int:
    """``value`` when the store could hold it as an id, else NotFound (a 404 page, not an overflow)."""
    if not 1 <= value <= MAX_ID:
        raise NotFound(f"{kind} {value}: no such {kind}")
    return value


Query = TypeVar("Query", bound=BaseModel)


def _query(model: type[Query], params: dict[str, str]) -> tuple[Query, dict[str, str], list[str]]:
    """``params`` read as ``model``; when they are bad, the defaults, no params and the problems
    (explained on the page, which lists as if no filter were given)."""
    try:
        return model.model_validate(params), params, []
    except ValidationError as error:
        return model(), {}, filters.problems(error)


class _Links:
    """Builds this page's URL with some parameters changed; changing a filter resets paging."""

    def __init__(self, path: str, params: dict[str, str]) -> None:
        self.path = path
        self.params = params

    def __call__(self, **changes: Any) -> str:
        params = dict(self.params)
        if any(key not in ("offset", "sort", "order") for key in changes):
            params.pop("offset", None)
        for key, value in changes.items():
            if value is None:
                params.pop(key, None)
            else:
                params[key] = str(value)
        return f"{self.path}?{urlencode(params)}" if params else self.path

    def download(self, extension: str) -> str:
        params = {k: v for k, v in self.params.items() if k not in ("limit", "offset")}
        return f"/api/deals.{extension}" + (f"?{urlencode(params)}" if params else "")


@router.get("/", response_class=HTMLResponse)
def deals_page(request: Request) -> HTMLResponse:
    engine = request.app.state.engine
    params = _filled(request)
    query, params, problems = _query(DealQuery, params)
    deals: list[dict[str, Any]] = []
    total, facets = 0, {name: [] for name in _FACETS}
    left_out = {"rejected": 0, "low_confidence": 0}
    try:
        deal_filter = query.to_filter()
        counts = queries.selection_counts(engine, deal_filter)  # cached until the data changes
        total, facets, left_out = counts.total, counts.facets, counts.left_out
        deals = queries.list_deals(engine, deal_filter, selected=total)
    except ConfigError as error:  # e.g. search text without a word in it: explained, nothing listed
        problems.append(str(error))
    return _page(
        request,
        "deals.html",
        deals=deals,
        total=total,
        facets=facets,
        left_out=left_out,
        query=query,
        params=params,
        link=_Links("/", params),
        problems=problems,
    )


@router.get("/deals/{deal_id}", response_class=HTMLResponse)
def deal_page(request: Request, deal_id: int) -> HTMLResponse:
    engine = request.app.state.engine
    deal = queries.get_deal(engine, _known_id(deal_id, "deal"))
    document_ids = list(dict.fromkeys(h["document"]["id"] for h in deal["history"]))
    texts = queries.document_texts(engine, document_ids[:MAX_SOURCE_TEXTS])
    sources = [
        {
            **texts[doc_id],
            "html": highlight(texts[doc_id]["text"], [e for e in deal["evidence"] if e["document_id"] == doc_id]),
        }
        for doc_id in document_ids[:MAX_SOURCE_TEXTS]
    ]
    by_field: dict[str, list[dict[str, Any]]] = {}
    for item in deal["evidence"]:
        by_field.setdefault(item["field"], []).append(item)
    stage = _filled(request).get("stage")
    try:
        valuation = value_of(deal, stage=stage)
    except ConfigError as error:  # a stage typed wrong: explained in the panel
        valuation = {"rnpv": None, "reason": str(error), "cash_flows": [], "not_valued": [], "stage": None}
    return _page(
        request,
        "deal.html",
        deal=deal,
        valuation=valuation,
        stages=STAGES,
        comparables=comparables_of(engine, deal, k=5),
        sources=sources,
        more_sources=len(document_ids) - len(sources),
        evidence=by_field,
        several_sources=len(document_ids) > 1,
    )


@router.get("/companies", response_class=HTMLResponse)
def companies_page(request: Request) -> HTMLResponse:
    chosen, problems = _texts(request, ("name",))
    companies = queries.list_companies(request.app.state.engine, chosen["name"], limit=200)
    return _page(request, "companies.html", companies=companies, name=chosen["name"] or "", problems=problems)


TOP_PARTNERS = 8  # the network shows this many partners until asked for more


@router.get("/companies/{company_id}", response_class=HTMLResponse)
def company_page(request: Request, company_id: int) -> HTMLResponse:
    company = queries.get_company(request.app.state.engine, str(_known_id(company_id, "company")))
    shown = TOP_PARTNERS if _filled(request).get("partners") != "all" else None
    graph = partner_graph(company, shown)
    return _page(request, "company.html", company=company, graph=graph, hidden_partners=graph["hidden"])


def partner_graph(company: dict[str, Any], top: int | None = TOP_PARTNERS) -> dict[str, Any]:
    """Cytoscape elements: the company, its ``top`` partners by deals together (None: all; ties
    by name), and an edge for each pair of them party to the same deal (weight = such deals);
    ``hidden`` counts the partners left out."""
    names = {company["id"]: company["name"]}
    pairs: Counter[tuple[int, int]] = Counter()
    for deal in company["deals"]:
        ids = sorted({party["id"] for party in deal["parties"]})
        names.update({party["id"]: party["name"] for party in deal["parties"]})
        pairs.update(combinations(ids, 2))
    together = Counter(
        {
            other: n
            for (a, b), n in pairs.items()
            for other in (a, b)
            if company["id"] in (a, b) and other != company["id"]
        }
    )
    ranked = sorted(together, key=lambda i: (-together[i], names[i]))
    kept = {company["id"], *ranked[:top]} if top is not None else set(names)
    deal_counts = Counter(party_id for pair, count in pairs.items() for party_id in pair for _ in range(count))
    nodes = [
        {"data": {"id": str(i), "label": name, "deals": deal_counts.get(i, 0), "focus": i == company["id"]}}
        for i, name in names.items()
        if i in kept
    ]
    edges = [
        {"data": {"id": f"{a}-{b}", "source": str(a), "target": str(b), "weight": n}}
        for (a, b), n in pairs.items()
        if a in kept and b in kept
    ]
    return {"nodes": nodes, "edges": edges, "hidden": len(names) - len(kept)}


@router.get("/readouts", response_class=HTMLResponse)
def readouts_page(request: Request) -> HTMLResponse:
    engine = request.app.state.engine
    params = _filled(request)
    query, params, problems = _query(ReadoutQuery, params)
    readouts = queries.list_readouts(engine, limit=query.limit, offset=query.offset, **query.filters())
    total = queries.count_readouts(engine, **query.filters())
    return _page(
        request,
        "readouts.html",
        readouts=readouts,
        total=total,
        query=query,
        params=params,
        link=_Links("/readouts", params),
        problems=problems,
    )


@router.get("/readouts/{readout_id}", response_class=HTMLResponse)
def readout_page(request: Request, readout_id: int) -> HTMLResponse:
    engine = request.app.state.engine
    readout = queries.get_readout(engine, _known_id(readout_id, "readout"))
    text = queries.document_texts(engine, [readout["document_id"]])[readout["document_id"]]["text"]
    return _page(request, "readout.html", readout=readout, html=highlight(text, readout["evidence"]))


@router.get("/dashboard", response_class=HTMLResponse)
def dashboard_page(request: Request) -> HTMLResponse:
    """The figures of the whole knowledge base (trusted deals, or ``all``), and the trends of
    the deals the filters select (the filters of the deals page)."""
    engine = request.app.state.engine
    params = {k: v for k, v in _filled(request).items() if k in filters.FILTERS}
    query, params, problems = _query(DealQuery, params)
    stats = queries.stats(engine, trusted=not query.all)
    found = trends(engine, query.to_filter(paged=False))
    downloads = f"?{urlencode(params)}" if params else ""
    return _page(
        request,
        "dashboard.html",
        stats=stats,
        trends=found,
        stages=[*STAGES, NO_STAGE],  # the order of the stage charts' bars
        params=params,
        downloads=downloads,
        problems=problems,
    )


@router.get("/watchlists", response_class=HTMLResponse)
def watchlists_page(request: Request) -> HTMLResponse:
    """The watchlists, each with its newest deals, and (on a server that takes writes) a form
    saving the deal filters of the query string, as the deals page's "Watch these filters" sends them."""
    engine = request.app.state.engine
    params = {k: v for k, v in _filled(request).items() if k in filters.FILTERS}
    query, _, problems = _query(DealQuery, params)
    chosen = query.model_dump(mode="json", exclude_defaults=True)
    found = [watchlists.public_watchlist(w) for w in watchlists.list_watchlists(engine)]
    newest = {w["name"]: watchlists.feed_deals(engine, w["name"], limit=3)[1] for w in found}
    return _page(
        request, "watchlists.html", watchlists=found, newest=newest, filters=chosen, problems=problems, params={}
    )


@router.get("/search", response_class=HTMLResponse)
def search_page(request: Request) -> HTMLResponse:
    chosen, problems = _texts(request, ("q",), max_length=500)
    text = chosen["q"] or ""
    results: list[dict[str, Any]] = []
    if text:
        try:
            results = queries.search_documents(request.app.state.engine, text, limit=50)
        except ConfigError as error:
            problems.append(str(error))
    # the empty search form has no content to answer as JSON
    return _page(
        request,
        "search.html",
        q=text,
        results=results,
        problems=problems,
        alternate=json_twin(request) if text else None,
    )


@router.get("/documents/{document_id}", response_class=HTMLResponse)
def document_page(request: Request, document_id: int) -> HTMLResponse:
    document = queries.get_document(request.app.state.engine, _known_id(document_id, "document"))
    return _page(request, "document.html", document=document, html=highlight(document["text"], document["evidence"]))
