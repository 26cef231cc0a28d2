#!/usr/bin/env bash
# Proves that no figure of the old root README was lost when its depth moved into the per-project READMEs.
#
#   tests/docs/check-figures.sh [REF]     REF: the commit whose README.md is the old one (default c33ca39, the
#                                         last commit before the split, issue 17)
#
# A figure is a number with its unit (`77.6 ms`, `53,368`, `4.8 MB`, `7.4808`). Every line of the old README that
# holds one is checked against every README.md of the working tree now:
#   - a table row: all of its figures must stand together on one line of some README (so a row keeps its columns);
#   - a prose line: each of its figures must appear in some README.
# It prints each figure it cannot find with its old line number, and exits 1 if there is any.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
ref="${1:-c33ca39}"
old="$(mktemp)"
trap 'rm -f "$old"' EXIT
git show "$ref:README.md" > "$old"

/usr/bin/env python3 - "$old" <<'PY'
import pathlib, re, subprocess, sys

old_lines = pathlib.Path(sys.argv[1]).read_text(encoding="utf-8").splitlines()
files = [p for p in subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard", "*README.md"],
                                   capture_output=True, text=True, check=True).stdout.split() if pathlib.Path(p).is_file()]
new_lines = [l for f in files for l in pathlib.Path(f).read_text(encoding="utf-8").splitlines()]
new_text = "\n".join(new_lines)

UNIT = r"(?:\s?(?:ms|µs|ns|s|min|MB|KB|MiB|KiB|GB|GB-s|B|k|M|%|req/s|records/s|rows/s|bytes))?"
FIGURE = re.compile(r"(?<![\w.])(?:\$)?\d[\d,]*(?:\.\d+)?(?:e-?\d+)?" + UNIT + r"(?![\w])")

def figures(line):
    found = []
    for m in FIGURE.finditer(line):
        token = m.group(0).strip()
        bare = token.rstrip("abcdefghijklmnopqrstuvwxyzµ%/-BKMG ").strip()
        # Bare one-digit counts ("2 cores", "step 3") are words, not figures.
        if re.fullmatch(r"\d", bare) and token == bare:
            continue
        found.append(token)
    return found

def squash(s):
    return re.sub(r"[*`]", "", s)

new_squashed = [squash(l) for l in new_lines]
new_text_squashed = squash(new_text)
missing, checked = [], 0
for number, line in enumerate(old_lines, 1):
    figs = figures(squash(line))
    if not figs:
        continue
    checked += len(figs)
    if line.lstrip().startswith("|"):
        if not any(all(f in l for f in figs) for l in new_squashed):
            lost = [f for f in figs if f not in new_text_squashed]
            missing.append((number, "table row: its figures are on no single line now" + (f"; missing: {lost}" if lost else ""), line))
    else:
        lost = [f for f in figs if f not in new_text_squashed]
        if lost:
            missing.append((number, f"missing: {lost}", line))

print(f"old README: {len(old_lines)} lines, {checked} figures checked against {len(files)} READMEs")
for number, why, line in missing:
    print(f"line {number}: {why}\n    {line.strip()[:200]}")
print(f"figures lost: {len(missing)} line(s)")
sys.exit(1 if missing else 0)
PY
