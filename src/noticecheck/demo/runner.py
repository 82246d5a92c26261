"""`noticecheck demo`: start the demo LA's websites on loopback, scan them twice, write the dashboard.

The two scans stand for last term and this term, so the dashboard's
"changes since" page has something to show. Fetching is allowed only to
127.0.0.0/8 (not to private networks in general), and the per-host interval
is 0.05 s instead of a real scan's 1 s: the sites are ours, and the demo
has to finish in seconds.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from noticecheck.demo.notices import demo_notices
from noticecheck.demo.server import SiteServer, free_port, loopback_host
from noticecheck.demo.trust import COPIES, TEMPLATE, TRUST_NAME, for_school, trust_plans
from noticecheck.demo.sites import DEMO_LA, SchoolPlan, plan_schools, site_pages, two_terms, write_gias_csv

DEMO_INTERVAL = 0.05  # seconds between requests to one demo site
DEMO_NETWORKS = ("127.0.0.0/8",)
TRUST_FROM = 10  # demos of fewer schools have no trust


class DemoSites:
    """The running websites of a set of school plans; one SiteServer per school with a site.

    Addresses are fixed when created, so the school list stays the same while
    `show(plans)` switches what each site serves (or takes it offline).
    """

    def __init__(self, plans: list[SchoolPlan], delay: float = 0.0, first_host: int = 0):
        self.plans: list[SchoolPlan] = []
        self.servers: dict[str, SiteServer] = {}  # by URN
        for plan in plans:
            host = loopback_host(first_host + plan.index)
            port = free_port(host)  # reserved now, bound when the site first goes online
            self.plans.append(replace(plan, host=host, port=port))
            if plan.kind != "no-website":
                self.servers[plan.urn] = SiteServer(host, {}, port=port, delay=delay)

    def show(self, plans: list[SchoolPlan]) -> list[SchoolPlan]:
        """Serve these plans (same schools, maybe another term); returns them with addresses filled in."""
        placed = []
        for plan, current in zip(plans, self.plans):
            plan = replace(plan, host=current.host, port=current.port)
            placed.append(plan)
            server = self.servers.get(plan.urn)
            if server is None:
                continue
            if plan.serves:
                server.set_pages(site_pages(plan))
                if not server.running:
                    server.start()
            elif server.running:
                server.stop()
        self.plans = placed
        return placed

    def server(self, plan: SchoolPlan) -> SiteServer | None:
        return self.servers.get(plan.urn)

    def close(self) -> None:
        for server in self.servers.values():
            server.stop()

    def __enter__(self) -> DemoSites:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


@dataclass(frozen=True)
class DemoResult:
    index: Path
    db: Path
    school_list: Path
    summaries: tuple[str, ...]


def run_demo(
    out: Path,
    schools: int = 30,
    corpus: Path | None = None,
    *,
    progress: Callable[[str], object] | None = None,
) -> DemoResult:
    """Run the whole demo into `out`; returns where the dashboard and data are.

    `progress(label)` is called before each scan and must return a pair of
    callbacks `(on_start, on_school)` for `run_scan` (or None for silence).
    """
    from noticecheck.scan.summary import compare_runs
    from noticecheck.scan.scheduler import ScanSettings, check_template, load_schools, run_scan, write_run_reports
    from noticecheck.scan.store import Store

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    db_path = out / "demo.sqlite"
    for stale in (db_path, Path(f"{db_path}-wal"), Path(f"{db_path}-shm")):
        stale.unlink(missing_ok=True)  # every demo starts from an empty history
    for stale_dir in ("schools", "assets", "trusts", "print"):
        shutil.rmtree(out / stale_dir, ignore_errors=True)

    # From ten schools on, the last five are a multi-academy trust whose schools
    # copied its template, each with its own changes (demo/trust.py).
    with_trust = schools >= TRUST_FROM
    plans = plan_schools(schools - len(COPIES) if with_trust else schools, demo_notices(corpus))
    last_term, this_term = two_terms(plans)
    trust_schools = trust_plans(len(plans), 900001 + len(plans)) if with_trust else []
    plans, last_term, this_term = plans + trust_schools, last_term + trust_schools, this_term + trust_schools
    template = out / "orchard-vale-template.md"
    template.write_text(for_school(TEMPLATE, "Orchard Vale"), encoding="utf-8")
    # One quick retry: the demo's broken sites are broken on purpose.
    settings = ScanSettings(concurrency=8, per_host_interval=DEMO_INTERVAL, allowed_networks=DEMO_NETWORKS,
                            timeout=5.0, retries=1, retry_backoff=0.1)
    summaries = []
    with DemoSites(plans) as sites, Store(db_path) as store:
        school_list = write_gias_csv(sites.show(this_term), out / "demo-schools.csv")
        school_rows, _ = load_schools(school_list, la=DEMO_LA)
        run_ids = []
        checked_template = check_template(TRUST_NAME, template, settings) if with_trust else None
        for label, term in (("last term", last_term), ("this term", this_term)):
            sites.show(term)
            run_id = store.start_run(str(school_list), DEMO_LA, {**settings.to_json(), "demo": label}, len(school_rows))
            if checked_template is not None:
                store.save_template(run_id, checked_template)
            callbacks = progress(f"Demo, {label}") if progress else None
            on_start, on_school = callbacks or (None, None)
            summary = run_scan(store, run_id, school_rows, settings, on_start=on_start, on_school=on_school)
            summaries.append(f"{label}: {summary.line()}")
            run_ids.append(run_id)
        old, new = store.stream_run(run_ids[0]), store.stream_run(run_ids[1])
        index = write_run_reports(new, out, compare_runs(old, new), old.run, store=store)
    return DemoResult(index=index, db=db_path, school_list=school_list, summaries=tuple(summaries))
