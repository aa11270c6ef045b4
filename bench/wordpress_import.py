"""
WordPress import benchmark: peak memory and speed of `manage.py import_wordpress` on a large
export against the same importer on an export a tenth of its size, measured in the same run.

    python bench/wordpress_import.py [--sizes 10,100]

The exports are built from WordPress's own Theme Unit Test data (tests/data/wordpress), its
items repeated under new ids and slugs until the file reaches each size in MB, so they hold
every kind of content a real export does: posts, pages, attachments, comments, block and
classic markup, shortcodes. Each import runs in its own process into a fresh SQLite database
(or PostgreSQL with --postgres), so its peak memory (ru_maxrss, from wait4) is its own.
Bounded memory means the large import peaks at about what the small one does.
Results: docs/benchmarks.md, section "WordPress import".
"""

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "tests" / "data" / "wordpress" / "themeunittestdata.wordpress.xml"
PG = "postgres://postgres@127.0.0.1:5432"
DATABASE = os.environ.get("BENCH_DATABASE", "bn_import_bench")
# Ids of repeated items are offset by this much per copy, so no copy's id meets another's.
ID_STEP = 10_000_000


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10,100", help="export sizes in MB, comma-separated")
    parser.add_argument("--postgres", action="store_true", help="import into PostgreSQL")
    args = parser.parse_args(argv)
    sizes = [int(size) for size in args.sizes.split(",")]
    rows = []
    with tempfile.TemporaryDirectory(prefix="bn-import-bench-") as work:
        for size in sizes:
            export = Path(work) / f"export-{size}mb.xml"
            items = build_export(export, size * 1024 * 1024)
            rows.append({"size": size, "items": items, **measure(export, Path(work), args)})
    report(rows)
    return 0


def build_export(path, target_bytes):
    """Write an export of about target_bytes; return how many items it holds."""
    text = SOURCE.read_text(encoding="utf-8")
    head, rest = text.split("<item>", 1)
    body, tail = rest.rsplit("</item>", 1)
    items = ("<item>" + body + "</item>").split("</item>")[:-1]
    items = [item.strip() + "</item>" for item in items]
    count = 0
    with path.open("w", encoding="utf-8") as out:
        out.write(head)
        copy = 0
        while out.tell() < target_bytes:
            for item in items:
                out.write("\n" + renumbered(item, copy))
                count += 1
            copy += 1
        out.write("\n" + tail)
    return count


def renumbered(item, copy):
    if copy == 0:
        return item

    def offset(match):
        return f"{match.group(1)}{int(match.group(2)) + copy * ID_STEP}{match.group(3)}"

    item = re.sub(r"(<wp:post_id>)(\d+)(</wp:post_id>)", offset, item)
    item = re.sub(r"(<wp:post_parent>)([1-9]\d*)(</wp:post_parent>)", offset, item)
    item = re.sub(r"(<wp:comment_id>)(\d+)(</wp:comment_id>)", offset, item)
    item = re.sub(
        r"(<wp:post_name>(?:<!\[CDATA\[)?)([^\]<]+)",
        lambda m: f"{m.group(1)}{m.group(2)}-{copy}",
        item,
    )
    return re.sub(r"<link>([^<]*?)/?</link>", lambda m: f"<link>{m.group(1)}-{copy}/</link>", item)


def measure(export, work, args):
    env = {**os.environ, "DEBUG": "1", "PYTHONPATH": str(ROOT)}
    if args.postgres:
        subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", DATABASE])
        subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", DATABASE], check=True)
        env["DATABASE_URL"] = f"{PG}/{DATABASE}"
    else:
        database = work / f"{export.stem}.sqlite3"
        env["DATABASE_URL"] = f"sqlite:///{database}"
    manage = [sys.executable, "manage.py"]
    subprocess.run([*manage, "migrate", "--no-input", "-v0"], env=env, cwd=ROOT, check=True)
    started = time.monotonic()
    process = subprocess.Popen(
        [*manage, "import_wordpress", str(export)],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    output = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.monotonic() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"import_wordpress failed on {export.name}:\n{output[-2000:]}")
    posts = re.search(r"Posts:\s+(\d+) new", output)
    return {
        "mb": export.stat().st_size / 1024 / 1024,
        "seconds": seconds,
        "peak_mb": usage.ru_maxrss / 1024,  # Linux reports kilobytes.
        "posts": int(posts.group(1)) if posts else 0,
    }


def report(rows):
    print(f"{'export':>10} {'items':>7} {'posts':>7} {'seconds':>8} {'items/s':>8} {'peak RSS':>9}")
    for row in rows:
        print(
            f"{row['mb']:>7.1f} MB {row['items']:>7} {row['posts']:>7} {row['seconds']:>8.1f} "
            f"{row['items'] / row['seconds']:>8.0f} {row['peak_mb']:>6.0f} MB"
        )
    if len(rows) > 1:
        small, large = rows[0], rows[-1]
        print(
            f"Peak memory, {large['mb']:.0f} MB export against {small['mb']:.0f} MB: "
            f"{large['peak_mb'] / small['peak_mb']:.2f}× for "
            f"{large['mb'] / small['mb']:.1f}× the data"
        )


if __name__ == "__main__":
    sys.exit(main())
