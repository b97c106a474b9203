# Sourced by the tools/mtd_*_table.sh scripts. mtd_eval OUT NAME ARGS...: one `./anomaly4j eval ARGS` on the
# MTD data ($DATA, layout mtd) into OUT/NAME, its output and /usr/bin/time -v's peak memory in OUT/NAME.log;
# prints the metrics line.
mtd_eval() {
  local out="$1" name="$2"
  shift 2
  echo "== $name: $*" | tee "$out/$name.log"
  /usr/bin/time -v ./anomaly4j eval "$@" --data "$DATA" --layout mtd --out "$out/$name" >>"$out/$name.log" 2>&1
  echo "exit $?" >>"$out/$name.log"
  grep -A2 "img AUROC" "$out/$name.log" | tail -1
}
