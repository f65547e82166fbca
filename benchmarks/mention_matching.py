"""Credited-name matching cost per page at 0, 30 and 100 credits: the automaton matcher against the
per-form regex matcher it replaced (tasks/extract/mentions.py at BASELINE_COMMIT), paired and repeated.

python benchmarks/mention_matching.py [--films 40] [--reviews 10] [--rounds 5]

Every film has one credit list (pooled credits: every review of a film is searched with the same list) and
reviews of ~1,500 characters naming a few of its people; both matchers' outputs are compared on every page.
"""
from __future__ import annotations

import argparse
import importlib.util
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BASELINE_COMMIT = "64baeb8"  # the last commit with one compiled pattern per name form

from critics.schemas.records import Credit  # noqa: E402
from critics.tasks.extract import mentions as current  # noqa: E402
from critics.tasks.text.chunk import split_sentences  # noqa: E402

FIRST = ("Ada Bruno Clara Dmitri Elena Farid Greta Hiro Ines Jonas Kira Lucas Maren Nadia Otto Priya Quinn "
         "Rosa Soren Tomas Uma Viktor Wanda Xavier Yara Zoltan Amir Bea Cyrus Dalia").split()
LAST = ("Abernathy Bellweather Castellano Dunmore Ekwueme Fairbrother Gallardo Hollingsworth Ishikawa Jablonski "
        "Kowalczyk Lindqvist Montgomery Nakashima Okonkwo Pemberton Quintero Rasmussen Szymanski Thistlewood "
        "Uchenna Vasquez Whitcombe Xenakis Yamamoto Zielinski Ashworth Blackwood Carrington Delacroix").split()
FILLER = ("The film moves with a patient rhythm and rarely hurries its quieter scenes. Its middle stretch "
          "sags, but the final act recovers much of the lost ground. The score swells where it should and the "
          "photography finds beauty in plain kitchens and empty roads. Dialogue is sharp when it needs to be. "
          "Some subplots feel trimmed from a longer cut. It is a handsome, uneven and often moving piece.").split(". ")


def baseline_module():
    """tasks/extract/mentions.py as of BASELINE_COMMIT, imported under another name."""
    source = subprocess.run(["git", "show", f"{BASELINE_COMMIT}:tasks/extract/mentions.py"], cwd=ROOT,
                            capture_output=True, text=True, check=True).stdout
    path = Path(tempfile.mkdtemp()) / "baseline_mentions.py"
    path.write_text(source, encoding="utf-8")
    spec = importlib.util.spec_from_file_location("baseline_mentions", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is made
    spec.loader.exec_module(module)
    return module


def make_film(rng: random.Random, credit_count: int) -> list[Credit]:
    """A credit list: two directors/writers, the rest actors with character names."""
    people = set()
    while len(people) < credit_count:
        people.add(f"{rng.choice(FIRST)} {rng.choice(LAST)}{rng.randint(1, 999) if len(people) > 60 else ''}")
    names = sorted(people)
    rng.shuffle(names)
    return [Credit(n, "director" if i == 0 else "writer" if i == 1 else "actor",
                   None if i < 2 else f"{rng.choice(FIRST)} {rng.choice(LAST)}") for i, n in enumerate(names)]


def make_review(rng: random.Random, credits: list[Credit]) -> str:
    """Filler sentences with four of the film's names (full name or surname) woven in."""
    sentences = [rng.choice(FILLER) for _ in range(10)]
    for _ in range(4):
        name = rng.choice(credits).name if credits else f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        form = name if rng.random() < 0.5 else name.split()[-1]
        sentences.insert(rng.randrange(len(sentences)), f"{form} gives the picture its spine")
    return ". ".join(sentences) + "."


def corpus(credit_count: int, films: int, reviews: int, seed: int = 7) -> list[tuple[str, list, list[Credit]]]:
    rng = random.Random(seed + credit_count)
    pages = []
    for _ in range(films):
        credits = make_film(rng, credit_count) if credit_count else []
        for _ in range(reviews):
            text = make_review(rng, credits)
            pages.append((text, split_sentences(text), credits))
    return pages


def time_per_page(module, pages) -> tuple[float, list]:
    """Milliseconds per page of module.find_mentions over the pages, and its outputs."""
    started = time.perf_counter()
    outputs = [module.find_mentions(text, sentences, credits) for text, sentences, credits in pages]
    return (time.perf_counter() - started) * 1000 / len(pages), outputs


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--films", type=int, default=40)
    parser.add_argument("--reviews", type=int, default=10, help="reviews per film")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args(argv)
    baseline = baseline_module()
    print(f"{'credits':>7} {'baseline ms/page':>17} {'automaton ms/page':>18} {'ratio':>7} {'cold ms/page':>13}  outputs")
    for credit_count in (0, 30, 100):
        pages = corpus(credit_count, args.films, args.reviews)
        old_times, new_times, same = [], [], True
        for _ in range(args.rounds):  # alternate, so drift hits both sides alike
            old_ms, old_out = time_per_page(baseline, pages)
            new_ms, new_out = time_per_page(current, pages)
            old_times.append(old_ms)
            new_times.append(new_ms)
            same &= [[tuple(vars(m).values()) for m in o] for o in old_out] == \
                    [[tuple(vars(m).values()) for m in o] for o in new_out]
        current._plan.cache_clear()
        cold_ms, _ = time_per_page(current, pages[::args.reviews])  # every page a new credit list
        old_med, new_med = statistics.median(old_times), statistics.median(new_times)
        print(f"{credit_count:>7} {old_med:>17.3f} {new_med:>18.3f} {new_med / old_med:>7.3f} {cold_ms:>13.3f}  "
              f"{'identical' if same else 'DIFFERENT'}")
    print("ratio = automaton / baseline (median of alternating rounds); target at 100 credits: <= 1 ms/page warm")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
