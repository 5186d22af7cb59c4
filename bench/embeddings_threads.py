"""Threads of the numpy engine: numpy's OpenBLAS with its own threads against
single-threaded products with the batch split over the encoder's threads (what
``search.embeddings.e5_numpy`` does), interleaved in one process. Prints JSON.

    python bench/embeddings_threads.py [--rounds 3] [--queries 15]

Run it on a busy machine (next to a search node, a worker): there OpenBLAS's
threads wait for each other at every product, which an idle machine hides.
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
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--queries", type=int, default=15)
    parser.add_argument("--offset", type=int, default=500)
    options = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hubnet.settings.test")
    import django

    django.setup()
    from hubnet.demo.embeddings import demo_texts
    from search.embeddings.e5_numpy import blas_threads_set
    from search.embeddings.encoders import NumpyE5Encoder

    texts = list(demo_texts().values())[options.offset :]
    encoder = NumpyE5Encoder(threads=2, max_tokens=128)
    model = encoder._model
    encoder.encode_query("warm up")
    load_before = os.getloadavg()[0]
    samples: dict[str, list[float]] = {
        "query_ms_blas_threads": [],
        "query_ms_single": [],
        "records_per_s_blas_threads": [],
        "records_per_s_split": [],
    }
    for round_number in range(options.rounds):
        for mode, threads in (("blas_threads", 2), ("single", 1)):
            blas_threads_set(threads)
            for number in range(options.queries):
                started = time.perf_counter()
                encoder.encode_query(f"gezichtsherkenning {round_number} {number}")
                elapsed = (time.perf_counter() - started) * 1000
                samples[f"query_ms_{mode}"].append(elapsed)
        first = round_number * 32
        batch = [
            encoder.token_ids(text, is_query=False)
            for text in texts[first : first + 32]
        ]
        blas_threads_set(2)
        started = time.perf_counter()
        model._forward(batch)  # one forward, OpenBLAS's threads
        samples["records_per_s_blas_threads"].append(
            len(batch) / (time.perf_counter() - started)
        )
        blas_threads_set(1)
        started = time.perf_counter()
        model.embed(batch)  # split over the encoder's two threads
        samples["records_per_s_split"].append(
            len(batch) / (time.perf_counter() - started)
        )
    report: dict[str, object] = {}
    for name, values in samples.items():
        ordered = sorted(values)
        report[name] = {
            "median": round(statistics.median(ordered), 1),
            "p90": round(ordered[int(len(ordered) * 0.9)], 1),
        }
    report["loadAverageBefore"] = round(load_before, 2)
    report["loadAverageAfter"] = round(os.getloadavg()[0], 2)
    print(json.dumps(report))


if __name__ == "__main__":
    main()
