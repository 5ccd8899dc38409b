"""Exporting deals: flat rows for CSV / Parquet / XLSX, nested records for JSON and JSON Lines.

The XLSX workbook has one sheet per table (deals, parties, terms, sources), money as numbers.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, select

from biodeals.errors import ConfigError
from biodeals.model import MONEY_KINDS
from biodeals.service.deals import DealFilter, list_deals
from biodeals.store import schema as t

EXPORT_FORMATS = (".csv", ".json", ".jsonl", ".parquet", ".xlsx")


def flat_deal(deal: dict[str, Any]) -> dict[str, Any]:
    """One deal as a spreadsheet row: lists joined with "; ", money as amount + currency columns."""
    row: dict[str, Any] = {
        "id": deal["id"],
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
    row["sources"] = deal["sources"]
    return row


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
    rows = [flat_deal(d) for d in deals]
    columns = list(rows[0]) if rows else list(flat_deal(_EMPTY_DEAL))
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
        _write_xlsx(engine, path, deals, rows, columns)
    return len(deals)


_EMPTY_DEAL: dict[str, Any] = {
    "id": 0, "announced": None, "year": None, "status": None, "types": [], "parties": [], "royalties": None,
    "assets": [], "targets": [], "indications": [], "modalities": [], "sources": 0,
    **dict.fromkeys(MONEY_KINDS),
}  # fmt: skip


def _arrow_schema(columns: list[str]) -> Any:
    import pyarrow as pa

    def kind(column: str) -> Any:
        if column.endswith("_amount"):
            return pa.float64()
        if column in ("id", "year", "sources"):
            return pa.int64()
        if column == "royalties":
            return pa.bool_()
        return pa.string()

    return pa.schema([(column, kind(column)) for column in columns])


def _write_xlsx(
    engine: Engine, path: Path, deals: list[dict[str, Any]], rows: list[dict[str, Any]], columns: list[str]
) -> None:
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
        sources = conn.execute(
            select(
                t.deal_sources.c.deal_id,
                t.documents.c.name,
                t.documents.c.title,
                t.deal_sources.c.published,
                t.deal_sources.c.status,
                t.documents.c.url,
            )
            .join(t.documents, t.documents.c.id == t.deal_sources.c.document_id)
            .where(t.deal_sources.c.deal_id.in_(ids))
            .order_by(t.deal_sources.c.deal_id, t.deal_sources.c.published)
        ).all()
    book = Workbook(write_only=True)
    sheets: dict[str, tuple[list[str], Iterable[Iterable[Any]]]] = {
        "deals": (columns, ([row[c] for c in columns] for row in rows)),
        "parties": (
            ["deal_id", "company", "role"],
            ([d["id"], p["name"], p["role"]] for d in deals for p in d["parties"]),
        ),
        "terms": (["deal_id", "kind", "amount", "currency", "document"], (list(r) for r in terms)),
        "sources": (["deal_id", "document", "title", "published", "status", "url"], (list(r) for r in sources)),
    }
    for title, (header, body) in sheets.items():
        sheet = book.create_sheet(title)
        sheet.append(header)
        for values in body:
            sheet.append(values)
    book.save(path)
