"""eCabinet benchmarks: each runs the project and a baseline side by side.

``python -m bench`` (``make bench``) runs them all, prints every figure beside
its baseline and the ratio, and writes ``bench/results/latest.json``. See
``bench/README.md``. Speed is shown here only, never in the timed tests.
"""
