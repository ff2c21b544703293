# inspect's pe-version-info records of PE files that others built: every
# tenth of wine's own DLLs, MinGW's libwinpthread and zlib: the fixed file
# and product versions and every string of every StringTable equal what
# pefile reads from the same file.
source "$SOURCE_ROOT/tests/e2e/common.sh"
/usr/bin/python3 -c "import pefile" 2> /dev/null || skip "python3-pefile is not installed (Debian: python3-pefile)"

wine_dlls=$(find /usr/lib/x86_64-linux-gnu/wine/x86_64-windows -maxdepth 1 -name '*.dll' 2> /dev/null | sort | awk 'NR % 10 == 1')
[ -n "$wine_dlls" ] || skip "wine's DLLs are not installed (Debian: wine64)"
files=($wine_dlls /usr/x86_64-w64-mingw32/lib/libwinpthread-1.dll /usr/x86_64-w64-mingw32/lib/zlib1.dll)
for file in "${files[@]}"; do
  [ -f "$file" ] || fail "$file is missing (Debian: mingw-w64-x86-64-dev, libz-mingw-w64)"
done

# Both views as one JSON line per file: {"file", "fixed": [file, product],
# "strings": {table key: {key: value}}}; table keys lowercased, since
# pefile keeps them as written and so do we, but says so in upper case for
# some files and not others.
for file in "${files[@]}"; do
  { "$BUILDINFO" inspect --json "$file" || true; } | jq -c --arg f "$file" '
    [.records[] | select(.kind == "pe-version-info")][0] as $r
    | {file: $f, error: ($r.error // null),
       fixed: (if $r.data.fixed then [$r.data.fixed.file_version, $r.data.fixed.product_version] else null end),
       strings: ($r.data.strings // {} | with_entries(.key |= ascii_downcase))}'
done > "$WORK/ours.jsonl"
/usr/bin/python3 - "${files[@]}" > "$WORK/pefile.jsonl" <<'PY'
import json, sys
import pefile
for path in sys.argv[1:]:
    pe = pefile.PE(path)
    fixed = None
    if hasattr(pe, "VS_FIXEDFILEINFO"):
        f = pe.VS_FIXEDFILEINFO[0]
        dotted = lambda ms, ls: "%d.%d.%d.%d" % (ms >> 16, ms & 0xFFFF, ls >> 16, ls & 0xFFFF)
        fixed = [dotted(f.FileVersionMS, f.FileVersionLS), dotted(f.ProductVersionMS, f.ProductVersionLS)]
    strings = {}
    for info in getattr(pe, "FileInfo", [[]])[0]:
        if info.Key == b"StringFileInfo":
            for table in info.StringTable:
                strings[table.LangID.decode().lower()] = {k.decode(): v.decode() for k, v in table.entries.items()}
    print(json.dumps({"file": path, "error": None, "fixed": fixed, "strings": strings}, separators=(",", ":")))
PY
with_resource=0
while IFS= read -r -u 3 ours && IFS= read -r -u 4 theirs; do
  file=$(jq -r .file <<< "$ours")
  [ "$(jq -S . <<< "$ours")" = "$(jq -S . <<< "$theirs")" ] \
    || fail "$file: inspect reads"$'\n'"$(jq -S . <<< "$ours")"$'\n'"pefile reads"$'\n'"$(jq -S . <<< "$theirs")"
  [ "$(jq -r .fixed <<< "$ours")" = null ] || with_resource=$((with_resource + 1))
done 3< "$WORK/ours.jsonl" 4< "$WORK/pefile.jsonl"
[ "$with_resource" -ge 10 ] || fail "only $with_resource of ${#files[@]} files have a version resource: the test compares too little"
echo "pe-version-info equals pefile's reading in ${#files[@]} files ($with_resource with a version resource)"
