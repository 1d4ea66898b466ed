"""``make bench``: the toolkit measured against the official SDK and against floors and ceilings.

Every figure that decides a target is a ratio between two variants measured in the same run,
interleaved, so that the noise of a shared machine hits both. ``python -m benchmarks`` runs
everything and writes ``docs/bench/`` (``results.json``, ``results.md``, PNG plots) and the
table between the README's ``bench:start``/``bench:end`` markers; ``--help`` lists the options.
The method is described in ``docs/bench/README.md``.
"""
