"""noticecheck's benchmarks: speed and memory targets, measured as ratios against baselines taken in the same run.

Run them with `make bench` (or `.venv/bin/python bench/run.py [NAME ...] [--quick]`);
`bench/RESULTS.md` is written from `bench/results.json`. See bench/run.py.

    throughput.py  notices checked per second on one core (in-process)
    coldstart.py   `noticecheck check` start-up against `python -c "import spacy"`
    la_scan.py     a real `noticecheck scan` of hundreds or thousands of loopback school sites
    ci_gate.py     one `noticecheck check DIR` over a repository of 200 notices

Helpers, one concern each: stats.py (medians and spread), machine.py (what ran
where), procs.py (timed child processes with peak memory), corpus.py (which
corpus notices to use), sites.py (the loopback school websites), results.py
(results.json and RESULTS.md).
"""
