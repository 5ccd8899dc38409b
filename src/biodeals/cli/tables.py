"""Rich renderings of deals for the terminal: the deals table and one deal in full."""

from __future__ import annotations

from typing import Any

from rich.markup import escape
from rich.table import Table

from biodeals.cli.options import console, names_of
from biodeals.model import MONEY_KINDS
from biodeals.service.display import describe_edit, format_money


def deals_table(rows: list[dict[str, Any]], title: str | None = None) -> Table:
    """A table of deal summaries, one row per deal."""
    view = Table(title=title or f"{len(rows)} deals", show_lines=False)
    for column in (
        "id",
        "announced",
        "status",
        "types",
        "parties",
        "upfront",
        "milestones",
        "total",
        "assets / targets",
        "src",
        "conf",
        "review",
    ):
        view.add_column(column, overflow="fold")
    for d in rows:
        parties = "\n".join(f"{p['name']} ({p['role']})" for p in d["parties"]) or "-"
        assets = ", ".join(x["name"] for x in d["assets"] + d["targets"]) or "-"
        view.add_row(
            str(d["id"]),
            d["announced"] or (str(d["year"]) if d["year"] else "-"),
            d["status"] or "-",
            ", ".join(d["types"]) or "-",
            parties,
            format_money(d["upfront"]),
            format_money(d["milestones"]),
            format_money(d["total_value"]),
            assets,
            str(d["sources"]),
            confidence(d["confidence"]),
            d["review"],
        )
    return view


def confidence(value: float | None) -> str:
    """'0.93'; '-' when the deal was stored before confidences were kept."""
    return f"{value:.2f}" if value is not None else "-"


def print_deal(deal: dict[str, Any]) -> None:
    """Every field of ``deal`` (as ``get_deal`` gives it), its status history and evidence."""
    console.print(f"[bold]{escape(deal['headline'])}[/bold]")
    console.print(
        f"Deal {deal['id']}: {', '.join(deal['types']) or '-'} · status {deal['status'] or '-'} · "
        f"announced {deal['announced'] or '-'} · year {deal['year'] or '-'} · "
        f"confidence {confidence(deal['confidence'])} · review {deal['review']}"
    )
    fields = Table("field", "value", show_header=False)
    fields.add_row("parties", "\n".join(f"{p['name']} ({p['role']})" for p in deal["parties"]) or "-")
    for kind in MONEY_KINDS:
        stated = [f"{format_money(m)} ({m['document_id']})" for m in deal["terms"] if m["kind"] == kind]
        note = " — sources disagree: " + ", ".join(stated) if kind in deal["conflicts"] else ""
        parts = deal["milestone_split"] if kind == "milestones" else None
        split = " (" + ", ".join(f"{k} {format_money(v)}" for k, v in parts.items()) + ")" if parts else ""
        fields.add_row(kind, format_money(deal[kind]) + split + note)
    fields.add_row("royalties", {True: "yes", False: "no", None: "-"}[deal["royalties"]])
    for group in ("assets", "targets", "indications"):
        fields.add_row(group, names_of(deal[group]))
    fields.add_row("modalities", ", ".join(deal["modalities"]) or "-")
    fields.add_row("therapeutic areas", ", ".join(deal["therapeutic_areas"]) or "-")
    fields.add_row("stage at signing", deal["stage"] or "-")
    console.print(fields)
    history = Table("published", "status", "stage", "document", "title", title="Status history (one row per source)")
    for h in deal["history"]:
        history.add_row(
            h["published"] or "-",
            h["status"] or "(mentioned)",
            h["stage"] or "-",
            h["document"]["name"],
            h["document"]["title"] or "-",
        )
    console.print(history)
    evidence = Table("fields it states", "sentence", "document", title="Evidence (one row per sentence)")
    for (sentence, document), fields in quoted_fields(deal["evidence"]).items():
        evidence.add_row("\n".join(fields), sentence, document)
    console.print(evidence)
    if deal["edits"]:
        console.print(edits_table(deal["edits"]))


def edits_table(edits: list[dict[str, Any]], title: str = "Curation history (newest first)") -> Table:
    """Decisions people made, one row each."""
    view = Table("edit", "when", "who", "what", "note", title=title)
    for e in edits:
        view.add_row(
            str(e["id"]) + (f" (undone by {e['undone_by']})" if e["undone_by"] else ""),
            e["at"].replace("T", " "),
            e["user"],
            describe_edit(e),
            e["note"] or "",
        )
    return view


def quoted_fields(evidence: list[dict[str, Any]]) -> dict[tuple[str, str], list[str]]:
    """The evidence grouped by the sentence (of a document) it quotes, in order of first quote:
    for each, the fields it states with their words ('parties: Aldane Bio, Quorra'), or "deal"
    for a sentence that only says there is one."""
    grouped: dict[tuple[str, str], dict[str, list[str]]] = {}
    for item in evidence:
        fields = grouped.setdefault((item["sentence"], item["document"]), {})
        words = fields.setdefault(item["field"], [])
        if item["field"] != "deal" and item["text"] not in words:
            words.append(item["text"])
    return {
        key: [f"{field}: {', '.join(words)}" for field, words in fields.items() if words] or ["deal"]
        for key, fields in grouped.items()
    }
