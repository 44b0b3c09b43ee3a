#!/usr/bin/env bash
# Renders the demo dealership's reports in headless Chromium for the docs:
#   docs/report-monthly.png  `showfloor report monthly` for June 2026
#   docs/report-daily.png    `showfloor report daily` for 2026-06-30 (the day + 14 days of trend)
# plus a PDF of the monthly report (A4, as printed) in the work directory, whose page count
# it prints. The clock is pinned (SHOWFLOOR_CLOCK_OFFSET_MS) to 2026-06-30 18:00 UTC+8, so
# the demo's "today" (its visits) falls inside the month and the pictures only change when
# the report does.
#
# usage: tools/report_screenshot.sh [BUILD_DIR]   (default build/; built when missing;
#        SHOWFLOOR_CLI=PATH uses that binary instead)
# Installs Debian's chromium with apt-get when it is not there.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${1:-$root/build}"
cli="${SHOWFLOOR_CLI:-$build/tools/showfloor}"
[ -x "$cli" ] || "$root/tools/build.sh" "$build" -DCMAKE_BUILD_TYPE=Release

chromium=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$chromium" ]; then
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo=sudo
  $sudo apt-get install -y --no-install-recommends chromium fonts-wqy-microhei
  chromium=$(command -v chromium)
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
pinned_ms=$(date -d '2026-06-30T18:00:00+08:00' +%s%3N)
export SHOWFLOOR_CLOCK_OFFSET_MS=$((pinned_ms - $(date +%s%3N)))
db="$work/demo.db"
"$cli" --db "$db" init >/dev/null 2>&1
"$cli" --db "$db" demo-data --seed 1 >/dev/null
"$cli" --db "$db" report monthly --from 2026-06-01 --to 2026-06-30 --out "$work/monthly.html"
"$cli" --db "$db" report daily --from 2026-06-30 --to 2026-06-30 --out "$work/daily.html"

# Chromium screenshots the window only: render into a tall one, then cut the empty grey
# below the last sheet (the page background, #e8ecf0) with the small PNG trimmer below.
shoot() { # html png height
  "$chromium" --headless --no-sandbox --disable-gpu --hide-scrollbars --no-first-run \
    --force-device-scale-factor=1 --window-size=900,"$3" --screenshot="$2" \
    "file://$1" >/dev/null 2>&1
}
trim() { # png: keeps rows down to the last one that is not all background, plus a margin
  /usr/bin/python3 - "$1" <<'EOF'
import struct, sys, zlib
path = sys.argv[1]
data = open(path, "rb").read()
pos, idat, ihdr = 8, b"", None
while pos < len(data):
    n, kind = struct.unpack(">I4s", data[pos:pos + 8])
    body = data[pos + 8:pos + 8 + n]
    pos += 12 + n
    if kind == b"IHDR":
        ihdr = struct.unpack(">IIBBBBB", body)
    elif kind == b"IDAT":
        idat += body
w, h, depth, ctype = ihdr[:4]
if depth != 8 or ctype not in (2, 6):
    sys.exit(f"{path}: expected 8-bit RGB or RGBA")
ch = 3 if ctype == 2 else 4
stride, raw, rows, prev = w * ch, zlib.decompress(idat), [], bytearray(w * ch)
for y in range(h):  # undo the PNG row filters
    f, row = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
    for i in range(stride):
        a = row[i - ch] if i >= ch else 0
        b, c = prev[i], (prev[i - ch] if i >= ch else 0)
        if f == 1: row[i] = (row[i] + a) & 255
        elif f == 2: row[i] = (row[i] + b) & 255
        elif f == 3: row[i] = (row[i] + (a + b) // 2) & 255
        elif f == 4:
            p = a + b - c
            pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            row[i] = (row[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
    rows.append(bytes(row))
    prev = row
background = rows[-1]
last = max((y for y in range(h) if rows[y] != background), default=h - 1)
rows = rows[:min(h, last + 24)]
def chunk(kind, body):
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
out = b"".join(b"\0" + r for r in rows)
open(path, "wb").write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, len(rows), 8, ctype, 0, 0, 0)) + chunk(b"IDAT", zlib.compress(out, 9)) + chunk(b"IEND", b""))
print(f"{path}: {w}x{len(rows)}")
EOF
}

mkdir -p "$root/docs"
shoot "$work/monthly.html" "$root/docs/report-monthly.png" 6400
trim "$root/docs/report-monthly.png"
shoot "$work/daily.html" "$root/docs/report-daily.png" 6400
trim "$root/docs/report-daily.png"
"$chromium" --headless --no-sandbox --disable-gpu --no-first-run --no-pdf-header-footer \
  --print-to-pdf="$work/monthly.pdf" "file://$work/monthly.html" >/dev/null 2>&1
echo "monthly report printed on $(grep -ao "/Count [0-9]*" "$work/monthly.pdf" | head -1 | cut -d" " -f2) A4 pages"
