"""Write a graph's facts as CSV: one row per fact and evidence sentence."""

from __future__ import annotations

import csv
from pathlib import Path

import pyoxigraph

from kgbuild.atomic import atomic_write
from kgbuild.dataset import SortedDataset
from kgbuild.export.graphview import FactRow, build_view

#: Columns of the CSV export, in order.
COLUMNS = ("subject", "subject_label", "relation", "predicate", "object", "object_label", "status",
           "confidence", "evidence", "article", "article_title", "article_url", "start", "end", "qualifiers")


def write_csv(source: pyoxigraph.Store | SortedDataset, path: Path) -> None:
    """Write every fact of a store or dataset to ``path`` as CSV with a header row, atomically."""
    rows = [fact_row(fact) for fact in build_view(source, with_facts=True).facts]
    with atomic_write(Path(path), "w") as out:
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(COLUMNS)
        writer.writerows(rows)


def fact_row(fact: FactRow) -> list[str]:
    """Return the CSV cells of one fact."""
    evidence = fact.evidence
    return [
        fact.subject, fact.subject_label, fact.relation, fact.predicate, fact.object, fact.object_label,
        fact.status,
        "" if evidence is None or evidence.confidence is None else f"{evidence.confidence:g}",
        evidence.text if evidence else "",
        evidence.article if evidence else "",
        evidence.article_title if evidence else "",
        evidence.article_url if evidence else "",
        "" if evidence is None or evidence.start is None else str(evidence.start),
        "" if evidence is None or evidence.end is None else str(evidence.end),
        "; ".join(f"{name}={value}" for name, value in evidence.qualifiers) if evidence else "",
    ]
