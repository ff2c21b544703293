# The runtime library never touches files: the first read(),
# resource_attributes() and otel::encoded() of a stamped program make no
# system call that opens, reads or inspects a file (strace, between markers
# the program writes around those calls; a file mapping would need an open()
# first).
source "$SOURCE_ROOT/tests/e2e/common.sh"
require_tools strace

make_repo "$WORK/repo"
for build_type in Release Debug; do
  dir="$WORK/$build_type"
  build_sample "$dir" -DCMAKE_BUILD_TYPE="$build_type"
  "$BUILDINFO" stamp "$dir/print_record" --no-sign --source-dir "$WORK/repo" -q
  "$STRACE" -f -qq -o "$dir.trace" "$dir/print_record" markers > "$dir.out" || fail "$build_type: print_record markers failed"
  grep -q '^buildinfo-end$' "$dir.out" || fail "$build_type: the program did not reach its end marker"
  # The calls between the markers, by name.
  calls=$(sed -n '/buildinfo-begin/,/buildinfo-end/p' "$dir.trace" | sed '1d;$d' | sed -E 's/^[0-9]+ +//; s/\(.*//' | sort -u | tr '\n' ' ')
  for call in $calls; do
    case "$call" in
      open | openat | openat2 | creat | read | pread64 | readv | preadv | preadv2 | stat | lstat | fstat | newfstatat | \
        statx | access | faccessat | faccessat2 | readlink | readlinkat)
        fail "$build_type: the runtime's first calls made the system call '$call' (all: $calls)" ;;
    esac
  done
  echo "$build_type: system calls of the first read(), resource_attributes() and encoded(): ${calls:-none}"
done
echo ok
