"""Write a benchmark corpus of news-like articles as JSON Lines: CaRB dev sentences plus the examples.

The CaRB dev sentences (one per line) are grouped into articles of about 20 sentences and the
example articles are added; the whole set is then repeated until the corpus holds the requested
number of sentences. Each copy opens with a numbered dateline sentence ("Wire copy 3.") so that
every article has a distinct text, and so a distinct content-hash id, while the text to parse stays
almost the same. The corpus is generated, never committed.

    python benchmarks/make_corpus.py --sentences 20000 -o /tmp/kgbuild-bench/corpus-20k.jsonl
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kgbuild.sources import read_text_file  # noqa: E402

#: Where the CaRB dev split (Bhardwaj et al., 2019; one tokenised sentence per line) may be:
#: in the shared folder next to a clone or next to a worktree folder.
CARB_DEV_CANDIDATES = (
    ROOT.parent / "shared" / "data" / "carb" / "dev.txt",
    ROOT.parent.parent / "shared" / "data" / "carb" / "dev.txt",
)
EXAMPLES = ROOT / "examples" / "articles"
SENTENCES_PER_ARTICLE = 20


@dataclass(frozen=True)
class Template:
    """An article body that the corpus repeats, with its approximate sentence count."""

    title: str
    body: str
    sentences: int


def find_carb_dev() -> Path:
    """Locate the CaRB dev sentences next to the repository, or at /work/shared."""
    for candidate in CARB_DEV_CANDIDATES:
        if candidate.is_file():
            return candidate
    raise SystemExit(f"CaRB dev sentences not found at {CARB_DEV_CANDIDATES[0]}; pass --carb-dev")


def templates(carb_dev: Path | None, examples: Path) -> list[Template]:
    """Group the CaRB sentences (if given) into articles and add the example articles."""
    text = carb_dev.read_text(encoding="utf-8") if carb_dev else ""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    groups = [lines[i:i + SENTENCES_PER_ARTICLE] for i in range(0, len(lines), SENTENCES_PER_ARTICLE)]
    if len(groups) > 1 and len(groups[-1]) < SENTENCES_PER_ARTICLE // 2:
        groups[-2].extend(groups.pop())
    found = [Template(f"CaRB dev {number:02d}", " ".join(group), len(group))
             for number, group in enumerate(groups, start=1)]
    for path in sorted(examples.glob("*.txt")):
        article = read_text_file(path)
        found.append(Template(article.title, article.text, len(re.findall(r"[.!?](\s|$)", article.text))))
    return found


def corpus_records(sentences: int, carb_dev: Path | None, examples: Path = EXAMPLES) -> Iterator[dict[str, str]]:
    """Yield JSON Lines records until about ``sentences`` sentences (datelines included) are written."""
    bodies = templates(carb_dev, examples)
    written = copy = 0
    while written < sentences:
        copy += 1
        for template in bodies:
            if written >= sentences:
                return
            yield {"title": f"{template.title} (copy {copy})", "text": f"Wire copy {copy}.\n{template.body}"}
            written += template.sentences + 1


def main() -> None:
    """Parse the command line and write the corpus."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sentences", type=int, default=20_000, help="sentences to write (default 20000)")
    parser.add_argument("--carb-dev", type=Path, default=None, help="CaRB dev.txt (found next to the repo)")
    parser.add_argument("-o", "--output", type=Path, required=True, help="JSON Lines file to write")
    args = parser.parse_args()
    args.output.parent.mkdir(parents=True, exist_ok=True)
    articles = 0
    with args.output.open("w", encoding="utf-8") as handle:
        for record in corpus_records(args.sentences, args.carb_dev or find_carb_dev()):
            handle.write(json.dumps(record, ensure_ascii=False, sort_keys=True) + "\n")
            articles += 1
    print(f"wrote {articles} articles (about {args.sentences} sentences) to {args.output}")


if __name__ == "__main__":
    main()
