"""CPU per page on real outlets' pages: our parse+clean+extract against trafilatura.extract alone.

The real corpus (tests/fixtures/pages/real) is repeated under distinct URLs to --pages copies, each copy's
bytes made distinct by a comment naming the copy. Both sides run in this one process, interleaved block by
block over the same pages (this machine's speed drifts by +-20% within minutes, so a drift hits both alike);
the ratio of their CPU seconds is the figure (issue 16's target: at most 1.3x).

Usage: python benchmarks/real_pages_speed.py [--pages 2000] [--block 25] [--json OUT]
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from critics.tasks.extract.review import extract_review  # noqa: E402
from critics.tasks.text.clean import clean_page  # noqa: E402
from critics.tasks.text.parse import parse_page  # noqa: E402

MANIFEST = ROOT / "tests" / "fixtures" / "pages" / "real" / "manifest.json"
TARGET_RATIO = 1.3


def corpus(manifest: Path = MANIFEST) -> list[tuple[str, bytes]]:
    """(url, bytes) of every page of the real corpus present on disk."""
    entries = json.loads(manifest.read_text(encoding="utf-8"))
    return [(e.get("url") or f"http://unknown-{i}.invalid/page.html", (manifest.parent / e["file"]).read_bytes())
            for i, e in enumerate(entries) if (manifest.parent / e["file"]).is_file()]


def copies(pages: list[tuple[str, bytes]], count: int) -> list[tuple[str, bytes]]:
    """count pages cycling through the corpus, copy k under its own URL with its own bytes."""
    out = []
    for k in range(count):
        url, body = pages[k % len(pages)]
        sep = "&" if "?" in url else "?"
        out.append((f"{url}{sep}copy={k}", body + f"\n<!-- copy {k} -->\n".encode()))
    return out


def ours(url: str, body: bytes) -> None:
    """The pipeline's CPU-bound half for one page, as the flow runs it."""
    page = parse_page(body, url, "text/html")
    if not page.reject_reason:
        extract_review(clean_page(page))


def floor(url: str, body: bytes) -> None:
    """trafilatura.extract alone, default options, as benchmarks/run.py's floor."""
    import trafilatura

    trafilatura.extract(body)


def measure(pages: list[tuple[str, bytes]], block: int) -> dict:
    """CPU seconds of each side, interleaved block by block; per-block ratios for the spread."""
    for url, body in pages[:3]:  # imports, model load and caches outside the clock
        ours(url, body)
        floor(url, body)
    totals, ratios = {"ours": 0.0, "trafilatura": 0.0}, []
    for i in range(0, len(pages), block):
        chunk = pages[i:i + block]
        spent = {}
        for name, fn in (("ours", ours), ("trafilatura", floor)) if (i // block) % 2 == 0 else \
                (("trafilatura", floor), ("ours", ours)):
            start = time.process_time()
            for url, body in chunk:
                fn(url, body)
            spent[name] = time.process_time() - start
            totals[name] += spent[name]
        ratios.append(spent["ours"] / spent["trafilatura"] if spent["trafilatura"] else float("nan"))
    n = len(pages)
    return {
        "pages": n, "distinct_pages": len({b for _, b in pages}),
        "mean_kb": sum(len(b) for _, b in pages) / n / 1024,
        "ours_cpu_ms_per_page": 1000 * totals["ours"] / n,
        "trafilatura_cpu_ms_per_page": 1000 * totals["trafilatura"] / n,
        "ratio": totals["ours"] / totals["trafilatura"],
        "block_ratio_median": statistics.median(ratios),
        "block_ratio_quartiles": statistics.quantiles(ratios, n=4) if len(ratios) >= 4 else ratios,
        "target_ratio": TARGET_RATIO,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=2000)
    parser.add_argument("--block", type=int, default=25, help="pages per side before switching")
    parser.add_argument("--manifest", type=Path, default=MANIFEST)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    base = corpus(args.manifest)
    result = measure(copies(base, args.pages), args.block)
    result["corpus_pages"] = len(base)
    print(f"{result['pages']} pages ({result['corpus_pages']} real pages repeated, {result['distinct_pages']} "
          f"distinct byte strings, mean {result['mean_kb']:.1f} KB)")
    print(f"ours (parse+clean+extract): {result['ours_cpu_ms_per_page']:.1f} ms CPU/page")
    print(f"trafilatura.extract alone:  {result['trafilatura_cpu_ms_per_page']:.1f} ms CPU/page")
    q = result["block_ratio_quartiles"]
    print(f"ratio {result['ratio']:.2f}x (target <= {TARGET_RATIO}x: {'met' if result['ratio'] <= TARGET_RATIO else 'MISSED'}); "
          f"per-block median {result['block_ratio_median']:.2f}x, quartiles {q[0]:.2f}-{q[-1]:.2f}x")
    if args.json:
        args.json.write_text(json.dumps(result, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
