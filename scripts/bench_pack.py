#!/usr/bin/env python3
"""How long does a board pack take to build, and how much memory does it need?

Builds a pack like a full Board meeting's: a cover, then 20 agenda items, each an HTML cover
sheet followed by a five-page PDF paper. The papers are made first, outside the timing. The
builds run in a child process so that its peak RSS is the build's own (plus Django and
WeasyPrint loaded), not the paper generation's. Prints each run's wall-clock time, the min and
median, the peak RSS, and the pack's page count and size. The target is under 5 seconds.

Run from anywhere: `.venv/bin/python scripts/bench_pack.py [--runs 3] [--items 20] [--out pack.pdf]`.
Needs no database. `--profile` prints a cProfile of one build instead. Not part of the tests.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_SECONDS = 5.0

PAPER_PAGE = """
<h2>{title}: page {page}</h2>
<p>{text}</p>
<table>
  <thead><tr><th>Workstream</th><th>Lead partner</th><th>Budget</th><th>Status</th></tr></thead>
  <tbody>{rows}</tbody>
</table>
<p>{text}</p>
"""
LOREM = (
    "The Steering Group is asked to note progress on the programme and to endorse the revised "
    "delivery plan. Partners have reviewed the risks and agreed the mitigations set out below; "
    "the accountable body has confirmed that the spend profile stays within the grant offer. "
) * 3

PAPER = """{% extends "pdf/base.html" %}{% block content %}{{ pages|safe }}{% endblock %}"""
COVER_SHEET = """{% extends "pdf/base.html" %}
{% block content %}
  <p class="pdf-caption">Agenda item {{ number }}</p>
  <h1>{{ title }}</h1>
  <dl>
    <dt>Presenter</dt><dd>{{ presenter }}</dd>
    <dt>Purpose</dt><dd>For decision</dd>
  </dl>
  <h2>Recommendation</h2>
  <p>{{ text }}</p>
{% endblock %}
"""
COVER = """{% extends "pdf/base.html" %}
{% block content %}
  <h1>{{ title }}</h1>
  <p>Essex + Herts Digital Innovation Zone</p>
  <h2>Agenda</h2>
  <ol>{% for item in items %}<li>{{ item }}</li>{% endfor %}</ol>
{% endblock %}
"""


def setup_django() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "diz_portal.settings")
    import django

    django.setup()


def peak_rss_mb() -> float:
    # ru_maxrss is in kilobytes on Linux.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def make_inputs(folder: Path, items: int) -> None:
    """Write the papers and the HTML sections to `folder`, with a manifest of the sections."""
    from django.template import engines

    from diz_portal.pdf import html_to_pdf

    engine = engines["django"]
    titles = [f"Item {number}: programme update {number}" for number in range(1, items + 1)]
    sections = [
        {
            "title": "Board meeting, 14 May 2026",
            "key": "cover",
            "level": 0,
            "html": engine.from_string(COVER).render({"title": "Board meeting, 14 May 2026", "items": titles}),
        }
    ]
    for number, title in enumerate(titles, start=1):
        rows = "".join(
            f"<tr><td>Workstream {row}</td><td>Partner {row}</td><td>£{row * 12_500:,}</td><td>On track</td></tr>"
            for row in range(1, 9)
        )
        pages = "".join(
            f'<section class="{"pdf-page-break" if page > 1 else ""}">'
            + PAPER_PAGE.format(title=title, page=page, text=LOREM, rows=rows)
            + "</section>"
            for page in range(1, 6)
        )
        paper = html_to_pdf(engine.from_string(PAPER).render({"title": title, "pages": pages}))
        paper_path = folder / f"paper-{number}.pdf"
        paper_path.write_bytes(paper)
        cover_sheet = engine.from_string(COVER_SHEET).render(
            {"number": number, "title": title, "presenter": "Programme manager", "text": LOREM}
        )
        sections.append({"title": title, "key": f"item-{number}", "level": 0, "html": cover_sheet})
        sections.append({"title": f"Paper: {title}", "key": f"paper-{number}", "level": 1, "pdf": str(paper_path)})
    (folder / "sections.json").write_text(json.dumps(sections))


def load_sections(folder: Path):
    from diz_portal.pdf import Section

    sections = []
    for entry in json.loads((folder / "sections.json").read_text()):
        if "pdf" in entry:
            entry["pdf"] = Path(entry["pdf"]).read_bytes()  # papers arrive as bytes, as from storage
        sections.append(Section(**entry))
    return sections


def child(folder: Path, runs: int, out: Path | None, profile: bool) -> None:
    """Build the pack `runs` times and print the figures as JSON on the last line."""
    setup_django()
    from diz_portal.pdf import build_pack

    sections = load_sections(folder)
    baseline = peak_rss_mb()
    if profile:
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        profiler.enable()
        result = build_pack(title="Board meeting, 14 May 2026", sections=sections)
        profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(35)
        return
    times = []
    result = None
    for _run in range(runs):
        started = time.perf_counter()
        result = build_pack(title="Board meeting, 14 May 2026", sections=sections)
        times.append(time.perf_counter() - started)
    if out:
        out.write_bytes(result.pdf)
    print(
        json.dumps(
            {
                "times": times,
                "baseline_rss_mb": baseline,
                "peak_rss_mb": peak_rss_mb(),
                "pages": result.page_count,
                "bytes": len(result.pdf),
                "skipped": len(result.skipped),
            }
        )
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--items", type=int, default=20)
    parser.add_argument("--out", type=Path, help="write the pack here to look at it")
    parser.add_argument("--profile", action="store_true", help="print a cProfile of one build")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.runs, args.out, args.profile)
        return 0

    setup_django()
    with tempfile.TemporaryDirectory(prefix="bench-pack-") as folder:
        started = time.perf_counter()
        make_inputs(Path(folder), args.items)
        print(f"Made {args.items} five-page papers and cover sheets in {time.perf_counter() - started:.1f} s")
        command = [sys.executable, __file__, "--child", folder, "--runs", str(args.runs)]
        if args.out:
            command += ["--out", str(args.out.resolve())]
        if args.profile:
            command.append("--profile")
            return subprocess.run(command, check=False).returncode
        completed = subprocess.run(command, check=True, capture_output=True, text=True)
    figures = json.loads(completed.stdout.strip().splitlines()[-1])
    times = figures["times"]
    print(f"build_pack, cover + {args.items} items (cover sheet + 5-page paper each), {len(times)} runs:")
    print("  runs:   " + ", ".join(f"{seconds:.2f} s" for seconds in times))
    print(f"  min:    {min(times):.2f} s")
    print(f"  median: {statistics.median(times):.2f} s  (target under {TARGET_SECONDS:.0f} s)")
    print(
        f"  peak RSS: {figures['peak_rss_mb']:.0f} MB "
        f"(the child had {figures['baseline_rss_mb']:.0f} MB with Django loaded and the papers read)"
    )
    print(f"  pack: {figures['pages']} pages, {figures['bytes'] / 1024:.0f} KiB, {figures['skipped']} skipped")
    return 0 if statistics.median(times) < TARGET_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
