# inspect --format cyclonedx, spdx and in-toto of a consumer that links
# Debian's zlib and OpenSSL: the CycloneDX BOM validates against the
# official CycloneDX 1.6 schema (../shared/schemas, python3-jsonschema) and
# with the CycloneDX JavaScript library's validator (npm); the SPDX document
# against the SPDX 2.3 schema; the subject's SHA-256 in each equals
# sha256sum of the file; the dependencies are there with their purls. The
# in-toto Statement signed with --key (Ed25519 and ECDSA P-256) is a DSSE
# envelope that securesystemslib verifies with the public key, and a
# changed payload does not verify.
source "$SOURCE_ROOT/tests/e2e/common.sh"
require_fixture schemas/cyclonedx-1.6/bom-1.6.schema.json
schemas=$(dirname "$(dirname "$FIXTURE")")
require_tools node npm
/usr/bin/python3 -c "import jsonschema" 2> /dev/null || skip "python3-jsonschema is not installed"
/usr/bin/python3 -c "import securesystemslib" 2> /dev/null || skip "python3-securesystemslib is not installed"

make_keys
project="$WORK/consumer"
make_repo "$project"
git -C "$project" remote add origin https://git.example.org/consumer.git
cat > "$project/CMakeLists.txt" <<CMAKE
cmake_minimum_required(VERSION 3.19)
project(consumer VERSION 2.1.0 LANGUAGES C)
add_subdirectory("$SOURCE_ROOT" buildinfo)
find_package(ZLIB REQUIRED)
find_package(OpenSSL REQUIRED)
add_executable(app main.c)
target_link_libraries(app PRIVATE ZLIB::ZLIB OpenSSL::Crypto)
buildinfo_stamp(app KEY "$WORK/keys/ed25519.key")
CMAKE
cat > "$project/main.c" <<'C'
#include <openssl/crypto.h>
#include <stdio.h>
#include <zlib.h>
int main(void) { return printf("%s %s\n", zlibVersion(), OpenSSL_version(OPENSSL_VERSION)) < 0; }
C
git -C "$project" add -A && git -C "$project" commit -qm consumer
revision=$(git -C "$project" rev-parse HEAD)
cmake -S "$project" -B "$WORK/build" -G Ninja -DBUILDINFO_BUILD_TOOL=OFF -DBUILDINFO_TOOL="$BUILDINFO" -DBUILDINFO_TESTS=OFF \
  > "$WORK/configure.log" 2>&1 || { cat "$WORK/configure.log" >&2; fail "the consumer does not configure"; }
cmake --build "$WORK/build" > "$WORK/build.log" 2>&1 || { cat "$WORK/build.log" >&2; fail "the consumer does not build"; }
app="$WORK/build/app"
sha=$(sha256sum "$app" | cut -d' ' -f1)
zlib_purl=$("$BUILDINFO" inspect --json "$app" | jq -r '.dependencies[] | select(.name == "ZLIB") | .purl')
case $zlib_purl in pkg:deb/*/zlib1g@*) ;; *) fail "no Debian purl for zlib: '$zlib_purl'" ;; esac

# CycloneDX 1.6.
"$BUILDINFO" inspect --format cyclonedx "$app" > "$WORK/bom.json" || fail "inspect --format cyclonedx failed"
/usr/bin/python3 - "$schemas/cyclonedx-1.6" "$WORK/bom.json" <<'PY' || fail "the BOM does not validate against CycloneDX 1.6"
import json, pathlib, sys
import jsonschema
folder = pathlib.Path(sys.argv[1])
schema = json.load(open(folder / "bom-1.6.schema.json"))
store = {}
for path in folder.glob("*.json"):
    document = json.load(open(path))
    store[path.name] = document
    if "$id" in document:
        store[document["$id"]] = document
resolver = jsonschema.RefResolver(base_uri=folder.as_uri() + "/", referrer=schema, store=store)
validator = jsonschema.Draft7Validator(schema, resolver=resolver, format_checker=jsonschema.FormatChecker())
errors = list(validator.iter_errors(json.load(open(sys.argv[2]))))
for error in errors[:5]:
    print("%s at %s" % (error.message[:300], list(error.path)), file=sys.stderr)
sys.exit(1 if errors else 0)
PY
mkdir -p "$WORK/npm"
"$NPM" install --prefix "$WORK/npm" --no-audit --no-fund --loglevel=error \
  @cyclonedx/cyclonedx-library@6 ajv@8 ajv-formats@3 ajv-formats-draft2019@1 > "$WORK/npm.log" 2>&1 \
  || { cat "$WORK/npm.log" >&2; fail "npm could not install @cyclonedx/cyclonedx-library"; }
cat > "$WORK/npm/validate.js" <<'JS'
const CDX = require('@cyclonedx/cyclonedx-library');
const text = require('fs').readFileSync(process.argv[2], 'utf8');
new CDX.Validation.JsonStrictValidator(CDX.Spec.Version.v1dot6).validate(text).then(
  (errors) => { if (errors !== null) { console.error(JSON.stringify(errors)); process.exit(1); } },
  (error) => { console.error(String(error)); process.exit(2); });
JS
"$NODE" "$WORK/npm/validate.js" "$WORK/bom.json" || fail "the CycloneDX library's validator rejects the BOM"
jq -e --arg sha "$sha" --arg rev "$revision" --arg zlib "$zlib_purl" --arg app "$app" '
  .metadata.component.hashes[0] == {alg: "SHA-256", content: $sha}
  and .metadata.component.name == "consumer" and .metadata.component.version == "2.1.0"
  and .metadata.component.externalReferences[0] == {type: "vcs", url: "https://git.example.org/consumer.git", comment: ("revision " + $rev)}
  and (.metadata.tools.components[0].name == "buildinfo")
  and ([.components[] | select(.purl == $zlib)] | length == 1)
  and ([.dependencies[] | select(.ref == .ref) | select(.ref == ("file:" + $app))][0].dependsOn | index($zlib) != null)' \
  "$WORK/bom.json" > /dev/null || fail "the BOM's content: $(jq -c '.metadata.component, .dependencies' "$WORK/bom.json")"

# SPDX 2.3.
"$BUILDINFO" inspect --format spdx "$app" > "$WORK/spdx.json" || fail "inspect --format spdx failed"
/usr/bin/python3 - "$schemas/spdx-2.3/spdx-schema.json" "$WORK/spdx.json" <<'PY' || fail "the SPDX document does not validate"
import json, sys
import jsonschema
validator = jsonschema.Draft201909Validator(json.load(open(sys.argv[1])), format_checker=jsonschema.FormatChecker())
errors = list(validator.iter_errors(json.load(open(sys.argv[2]))))
for error in errors[:5]:
    print("%s at %s" % (error.message[:300], list(error.path)), file=sys.stderr)
sys.exit(1 if errors else 0)
PY
jq -e --arg sha "$sha" --arg zlib "$zlib_purl" '
  (.relationships[] | select(.relationshipType == "DESCRIBES") | .relatedSpdxElement) as $file
  | (.packages[] | select(.SPDXID == $file) | .checksums[0]) == {algorithm: "SHA256", checksumValue: $sha}
  and ((.packages[] | select(.externalRefs[0].referenceLocator == $zlib) | .SPDXID) as $z
       | [.relationships[] | select(.spdxElementId == $file and .relationshipType == "DEPENDS_ON" and .relatedSpdxElement == $z)] | length == 1)' \
  "$WORK/spdx.json" > /dev/null || fail "the SPDX document's content: $(jq -c '.relationships' "$WORK/spdx.json")"

# in-toto Statement v1 with SLSA Provenance v1, unsigned and signed.
"$BUILDINFO" inspect --format in-toto "$app" > "$WORK/statement.json" || fail "inspect --format in-toto failed"
jq -e --arg sha "$sha" --arg app "$app" --arg rev "$revision" --arg zlib "$zlib_purl" '
  ._type == "https://in-toto.io/Statement/v1" and .predicateType == "https://slsa.dev/provenance/v1"
  and .subject == [{name: $app, digest: {sha256: $sha}}]
  and .predicate.buildDefinition.externalParameters.repository == "https://git.example.org/consumer.git"
  and .predicate.buildDefinition.externalParameters.revision == $rev
  and .predicate.buildDefinition.resolvedDependencies[0] == {uri: "https://git.example.org/consumer.git", digest: {gitCommit: $rev}}
  and ([.predicate.buildDefinition.resolvedDependencies[] | select(.uri == $zlib)] | length == 1)
  and (.predicate.runDetails.builder.id | startswith("urn:buildinfo:builder:"))
  and (.predicate.runDetails.metadata.finishedOn | test("^[0-9]{4}-[0-9]{2}-[0-9]{2}T"))' \
  "$WORK/statement.json" > /dev/null || fail "the statement's content: $(cat "$WORK/statement.json")"
for alg in ed25519 ecdsa-p256; do
  "$BUILDINFO" inspect --format in-toto --key "$WORK/keys/$alg.key" "$app" > "$WORK/envelope-$alg.json" \
    || fail "inspect --format in-toto --key ($alg) failed"
  /usr/bin/python3 - "$WORK/envelope-$alg.json" "$WORK/keys/$alg.pub" "$alg" "$WORK/statement.json" <<'PY' \
    || fail "securesystemslib does not verify the $alg envelope"
import base64, json, subprocess, sys
from securesystemslib import keys
from securesystemslib.exceptions import UnverifiedSignatureError
from securesystemslib.signer import Signature, SSlibKey
envelope = json.load(open(sys.argv[1]))
assert envelope["payloadType"] == "application/vnd.in-toto+json", envelope["payloadType"]
payload = base64.b64decode(envelope["payload"])
statement = json.loads(payload)
unsigned = json.load(open(sys.argv[4]))
assert statement["subject"] == unsigned["subject"], "the signed statement has another subject"
signature = envelope["signatures"][0]
if sys.argv[3] == "ecdsa-p256":
    key = keys.import_ecdsakey_from_pem(open(sys.argv[2]).read())
    public = SSlibKey(signature["keyid"], key["keytype"], key["scheme"], key["keyval"])
else:
    der = subprocess.run(["openssl", "pkey", "-pubin", "-in", sys.argv[2], "-outform", "DER"],
                         capture_output=True, check=True).stdout
    public = SSlibKey(signature["keyid"], "ed25519", "ed25519", {"public": der[-32:].hex()})
# DSSE's pre-authentication encoding (DSSE protocol.md).
def pae(payload_type, body):
    return b"DSSEv1 %d %s %d %s" % (len(payload_type), payload_type, len(body), body)
sig = Signature(signature["keyid"], base64.b64decode(signature["sig"]).hex())
public.verify_signature(sig, pae(envelope["payloadType"].encode(), payload))
try:
    public.verify_signature(sig, pae(envelope["payloadType"].encode(), payload.replace(b"sha256", b"sha257")))
except UnverifiedSignatureError:
    sys.exit(0)
sys.exit("a changed payload verified")
PY
done

# Not stamped: no document, the file's error and exit code.
cc -I"$SOURCE_ROOT/lib/include" -x c - -o "$WORK/unstamped" <<'C'
#include "buildinfo/slot_layout.h"
BUILDINFO_DEFINE_SLOT(1024);
int main(void) { return 0; }
C
rc=0
"$BUILDINFO" inspect --format cyclonedx "$WORK/unstamped" > "$WORK/none.json" 2> "$WORK/none.err" || rc=$?
[ "$rc" = 3 ] && [ ! -s "$WORK/none.json" ] && grep -q 'unstamped: the slot is present but not stamped' "$WORK/none.err" \
  || fail "--format of an unstamped file exited $rc: $(cat "$WORK/none.json" "$WORK/none.err")"
rc=0
"$BUILDINFO" inspect --format spdx --key "$WORK/keys/ed25519.key" "$app" > /dev/null 2> "$WORK/key.err" || rc=$?
[ "$rc" = 2 ] && grep -q 'needs --format in-toto' "$WORK/key.err" || fail "--key with spdx exited $rc"
echo "CycloneDX (schema and the CycloneDX library), SPDX (schema), in-toto signed with Ed25519 and ECDSA: valid, SHA-256 $sha"
