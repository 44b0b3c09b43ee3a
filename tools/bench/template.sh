# Sourced by run.sh and instructions.sh: make_template writes the benchmark's database to
# $template with $CLI (python at $PY): one site, one consultant with a 96-byte name, a 64-byte
# model code (so a board's visit.checked_in event is ~512 bytes; see BENCHMARKS.md), 20 board
# and 64 reception devices, whose tokens go to $work/board.tok and $work/reception.tok.
make_template() {
  "$CLI" --db "$template" init >/dev/null
  "$CLI" --db "$template" site add --code SH01 --name "上海浦东店" --utc-offset 480 >/dev/null
  "$CLI" --db "$template" staff add --site SH01 --no S001 \
    --name "$($PY -c 'print("张" * 32)')" --role consultant --pin 1234 >/dev/null
  "$CLI" --db "$template" duty set --staff S001 --status on >/dev/null
  "$CLI" --db "$template" model add --code "$($PY -c 'print("M" * 64)')" --name "星河 7" \
    --price-fen 18980000 >/dev/null
  : > "$work/board.tok"; : > "$work/reception.tok"
  for i in $(seq 1 20); do
    "$CLI" --db "$template" device add --site SH01 --mode board --name "Board $i" 2>/dev/null \
      >> "$work/board.tok"
  done
  for i in $(seq 1 64); do
    "$CLI" --db "$template" device add --site SH01 --mode reception --name "Reception $i" \
      2>/dev/null >> "$work/reception.tok"
  done
}
