# verify -j N takes 1 to 256 files at once: any other value is a usage error
# (exit 2, one line naming the option and the range, nothing verified), and
# every accepted value reports the same results in argument order.
source "$SOURCE_ROOT/tests/e2e/common.sh"

make_repo "$WORK/repo"
corpus="$SOURCE_ROOT/tests/fuzz/corpus"
files=()
for i in 1 2 3 4 5 6; do
  for seed in elf_fuzz/x86_64 pe_fuzz/x86_64.exe macho_fuzz/universal; do
    file="$WORK/$i-$(basename "$seed")"
    cp "$corpus/$seed" "$file"
    "$BUILDINFO" stamp "$file" --no-sign --source-dir "$WORK/repo" -q || fail "stamp of $seed failed"
    files+=("$file")
  done
done
cp "$corpus/elf_fuzz/x86_64" "$WORK/unstamped"
files+=("$WORK/unstamped")  # exit 3, and the first file that did not verify

for value in 0 -1 257 100000 4294967297 abc 1.5 0x10 1e2 ""; do
  rc=0
  "$BUILDINFO" verify "${files[@]}" --allow-unsigned -j "$value" > "$WORK/out.txt" 2> "$WORK/err.txt" || rc=$?
  [ "$rc" = 2 ] || fail "-j '$value': exit $rc, expected 2"
  [ ! -s "$WORK/out.txt" ] || fail "-j '$value' verified files anyway: $(head -3 "$WORK/out.txt")"
  [ "$(cat "$WORK/err.txt")" = "buildinfo: verify: --jobs: must be a whole number from 1 to 256, not '$value' (see buildinfo verify --help)" ] \
    || fail "-j '$value': unclear error: $(cat "$WORK/err.txt")"
done

"$BUILDINFO" verify "${files[@]}" --allow-unsigned -j 1 > "$WORK/one.txt" 2> "$WORK/one.err" && fail "-j 1: exit 0 despite an unstamped file"
[ "$(grep -c ': verified$' "$WORK/one.txt")" = 18 ] || fail "-j 1 did not verify the 18 stamped files: $(cat "$WORK/one.txt")"
for jobs in 2 3 7 256 "--jobs=19"; do
  option=(-j "$jobs")
  [ "${jobs#--}" != "$jobs" ] && option=("$jobs")
  rc=0
  "$BUILDINFO" verify "${files[@]}" --allow-unsigned "${option[@]}" > "$WORK/many.txt" 2> "$WORK/many.err" || rc=$?
  [ "$rc" = 3 ] || fail "${option[*]}: exit $rc, expected 3 (the unstamped file)"
  cmp -s "$WORK/one.txt" "$WORK/many.txt" || fail "${option[*]} reports otherwise than -j 1: $(diff "$WORK/one.txt" "$WORK/many.txt")"
  cmp -s "$WORK/one.err" "$WORK/many.err" || fail "${option[*]}: other errors than -j 1"
done
