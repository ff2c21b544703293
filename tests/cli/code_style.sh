# Every C, C++ and header file of the project follows .clang-format (the
# test data excepted): clang-format-14 would change none of them.
source "$SOURCE_ROOT/tests/e2e/common.sh"
require_tools clang-format

mapfile -t files < <(cd "$SOURCE_ROOT" && find lib tool tests bench examples -path tests/testdata -prune -o \
  -type f \( -name '*.c' -o -name '*.cc' -o -name '*.h' -o -name '*.hpp' \) -print | sort)
[ "${#files[@]}" -gt 100 ] || fail "found only ${#files[@]} source files under $SOURCE_ROOT"
(cd "$SOURCE_ROOT" && "$CLANG_FORMAT" --dry-run --Werror "${files[@]}") > "$WORK/style.txt" 2>&1 \
  || fail "not formatted by .clang-format (run clang-format-14 -i on them): $(grep -o '^[^:]*:[0-9]*' "$WORK/style.txt" | sort -u | head -20 | tr '\n' ' ')"
echo "${#files[@]} files follow .clang-format"
