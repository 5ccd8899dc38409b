"""Exporting deals: flat rows for CSV / Parquet / XLSX, nested records for JSON and JSON Lines.

Every file carries each deal's headline, and (but for the command line's quick CSV of a list) its
source titles and URLs. The XLSX workbook has one sheet per table (deals, parties, terms, sources),
each with a frozen header and an autofilter, dates and money as typed cells.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, select

from biodeals.errors import ConfigError
from biodeals.model import MONEY_KINDS
from biodeals.service.deals import DealFilter, list_deals
from biodeals.service.public import web_url
from biodeals.store import schema as t

EXPORT_FORMATS = (".csv", ".json", ".jsonl", ".parquet", ".xlsx")
_CHUNK = 500  # deal ids per query, far below any database's limit on bound parameters


def flat_deal(deal: dict[str, Any], sources: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """One deal as a spreadsheet row: lists joined with "; ", money as amount + currency columns;
    with its ``sources`` (documents with title and url), their titles and links too."""
    row: dict[str, Any] = {
        "id": deal["id"],
        "headline": deal["headline"],
        "announced": deal["announced"],
        "year": deal["year"],
        "status": deal["status"],
        "types": "; ".join(deal["types"]),
        "parties": "; ".join(f"{p['name']} ({p['role']})" for p in deal["parties"]),
    }
    for kind in MONEY_KINDS:
        money = deal[kind]
        row[f"{kind}_amount"] = money["amount"] if money else None
        row[f"{kind}_currency"] = money["currency"] if money else None
    row["royalties"] = deal["royalties"]
    for group in ("assets", "targets", "indications"):
        row[group] = "; ".join(item["name"] for item in deal[group])
    row["modalities"] = "; ".join(deal["modalities"])
    row["therapeutic_areas"] = "; ".join(deal["therapeutic_areas"])
    row["stage"] = deal["stage"]
    row["confidence"] = deal["confidence"]
    row["review"] = deal["review"]
    row["sources"] = deal["sources"]
    if sources is not None:
        row["source_titles"] = "; ".join(s["title"] or s["name"] for s in sources)
        row["source_urls"] = "; ".join(s["url"] for s in sources if s["url"])
    return row


def deal_sources(engine: Engine, ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    """The source documents of the deals ``ids``, oldest report first: name, title, url,
    published date and the status each reported."""
    found: dict[int, list[dict[str, Any]]] = {deal_id: [] for deal_id in ids}
    query = (
        select(
            t.deal_sources.c.deal_id,
            t.documents.c.name,
            t.documents.c.title,
            t.deal_sources.c.published,
            t.deal_sources.c.status,
            t.documents.c.url,
        )
        .join(t.documents, t.documents.c.id == t.deal_sources.c.document_id)
        .order_by(t.deal_sources.c.deal_id, t.deal_sources.c.published, t.documents.c.id)
    )
    with engine.connect() as conn:
        for start in range(0, len(ids), _CHUNK):  # an export of every deal: ids a chunk at a time
            chunk = ids[start : start + _CHUNK]
            for row in conn.execute(query.where(t.deal_sources.c.deal_id.in_(chunk))).mappings():
                found[row["deal_id"]].append({**row, "url": web_url(row["url"])})
    return found


def write_csv(rows: Iterable[dict[str, Any]], handle: Any, columns: list[str]) -> None:
    writer = csv.DictWriter(handle, fieldnames=columns, extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)


def export_deals(engine: Engine, path: Path, deal_filter: DealFilter | None = None) -> int:
    """Write the deals ``deal_filter`` selects (all of them by default) to ``path``, in the
    format its suffix names. Returns the number of deals written."""
    suffix = path.suffix.lower()
    if suffix not in EXPORT_FORMATS:
        raise ConfigError(f"{path}: unknown export format {suffix or '(none)'}; use one of {', '.join(EXPORT_FORMATS)}")
    if not path.parent.is_dir():
        raise ConfigError(f"{path}: folder {path.parent} does not exist")
    f = deal_filter or DealFilter(limit=None)
    deals = list_deals(engine, f)
    sources = deal_sources(engine, [d["id"] for d in deals])
    rows = [flat_deal(d, sources[d["id"]]) for d in deals]
    columns = list(flat_deal(_EMPTY_DEAL, []))
    if suffix == ".csv":
        with path.open("w", newline="", encoding="utf-8") as handle:
            write_csv(rows, handle, columns)
    elif suffix == ".json":
        path.write_text(json.dumps(deals, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    elif suffix == ".jsonl":
        with path.open("w", encoding="utf-8") as handle:
            handle.writelines(json.dumps(d, ensure_ascii=False) + "\n" for d in deals)
    elif suffix == ".parquet":
        import pyarrow as pa
        import pyarrow.parquet as pq

        pq.write_table(pa.Table.from_pylist(rows, schema=_arrow_schema(columns)), path)
    else:
        _write_xlsx(engine, path, deals, rows, columns, sources)
    return len(deals)


_EMPTY_DEAL: dict[str, Any] = {
    "id": 0, "headline": "", "confidence": None, "review": None, "announced": None, "year": None, "status": None, "types": [], "parties": [], "royalties": None,
    "assets": [], "targets": [], "indications": [], "modalities": [], "therapeutic_areas": [], "stage": None, "sources": 0,
    **dict.fromkeys(MONEY_KINDS),
}  # fmt: skip


def _arrow_schema(columns: list[str]) -> Any:
    import pyarrow as pa

    def kind(column: str) -> Any:
        if column.endswith("_amount"):
            return pa.float64()
        if column in ("id", "year", "sources"):
            return pa.int64()
        if column == "confidence":
            return pa.float64()
        if column == "royalties":
            return pa.bool_()
        return pa.string()

    return pa.schema([(column, kind(column)) for column in columns])


def _write_xlsx(
    engine: Engine,
    path: Path,
    deals: list[dict[str, Any]],
    rows: list[dict[str, Any]],
    columns: list[str],
    sources: dict[int, list[dict[str, Any]]],
) -> None:
    """The workbook: a sheet per table, each with a frozen header row, an autofilter and columns
    as wide as their content; dates, amounts and numbers as typed cells."""
    from openpyxl import Workbook

    ids = [d["id"] for d in deals]
    with engine.connect() as conn:
        terms = conn.execute(
            select(
                t.money_terms.c.deal_id,
                t.money_terms.c.kind,
                t.money_terms.c.amount,
                t.money_terms.c.currency,
                t.documents.c.name,
            )
            .join(t.documents, t.documents.c.id == t.money_terms.c.document_id)
            .where(t.money_terms.c.deal_id.in_(ids))
            .order_by(t.money_terms.c.deal_id, t.money_terms.c.kind)
        ).all()
    source_columns = ["deal_id", "document", "title", "published", "status", "url"]
    sheets: dict[str, tuple[list[str], list[list[Any]]]] = {
        "deals": (columns, [[_typed(c, row[c]) for c in columns] for row in rows]),
        "parties": (
            ["deal_id", "company", "role"],
            [[d["id"], _typed("company", p["name"]), p["role"]] for d in deals for p in d["parties"]],
        ),
        "terms": (["deal_id", "kind", "amount", "currency", "document"], [[*r[:4], _typed("document", r[4])] for r in terms]),
        "sources": (
            source_columns,
            [
                [i, _typed("document", s["name"]), _typed("title", s["title"]), s["published"], s["status"], s["url"]]
                for i in ids
                for s in sources[i]
            ],
        ),
    }
    book = Workbook()
    book.remove(book.active)
    for title, (header, body) in sheets.items():
        sheet = book.create_sheet(title)
        sheet.append(header)
        for values in body:
            sheet.append(values)
        _dress(sheet, header, body)
    book.save(path)


_MAX_WIDTH = 60


# text a spreadsheet would run as a formula ("=HYPERLINK(...)" in a title written by anyone)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _typed(column: str, value: Any) -> Any:
    """A cell's value as Excel should hold it: an ISO date as a date; text that would start a
    formula with a leading apostrophe, so it stays text."""
    if column == "announced" and isinstance(value, str):
        return date.fromisoformat(value)
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _dress(sheet: Any, header: list[str], body: list[list[Any]]) -> None:
    """Freeze the header, filter every column, size each to its content, format numbers."""
    from openpyxl.utils import get_column_letter

    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(header))}{len(body) + 1}"
    for index, name in enumerate(header, start=1):
        letter = get_column_letter(index)
        widest = max([len(name), *(len(str(row[index - 1])) for row in body if row[index - 1] is not None)])
        sheet.column_dimensions[letter].width = min(widest + 2, _MAX_WIDTH)
        number_format = "#,##0" if name == "amount" or name.endswith("_amount") else None
        number_format = "0.00" if name == "confidence" else number_format
        number_format = "yyyy-mm-dd" if name in ("announced", "published") else number_format
        if number_format:
            for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                cell.number_format = number_format
