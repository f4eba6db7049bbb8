#!/usr/bin/env bash
# The packed tarball on every supported Node line: for each major from the `engines` floor up to the
# newest release of the `node` package on the npm registry, a temporary project installs the tarball,
# axios and that Node binary (the npm `node` package: no download other than from the registry), then
#   - require():  __tests__/package/consumer/use.cjs   (the main job against the embedded server)
#   - import:     __tests__/package/consumer/use.mjs   (same, ESM; lockout → AccountLockedError)
#   - types:      this repo's tsc, run by that Node, on consumer/use.ts (moduleResolution node16 and bundler)
#   - smoke:      __tests__/package/consumer/smoke.mjs (single flight, 401 replay, channels, close() + revocation)
#   - readme:     the README's quick start, as copied: examples/recipes/quick-start.ts saved as .mjs, and .cjs
#   - recipes:    on a Node that strips types, every recipe that needs only axios and this package, saved
#                 as .mts and run by that Node (scripts/docs/run-recipes-installed.mjs)
# and once, in one more temporary project (types do not depend on the Node line), the tarball's types
# with the TypeScript lines users have: this repo's pinned 5.9 (node16, bundler, node10), 6.0 (node16,
# nodenext, bundler; node10 with "ignoreDeprecations": "6.0") and 7 (node16, nodenext, bundler; and
# node10 refused with TS5108, as the docs say), each installed from the npm registry.
#
# Usage: scripts/node-matrix.sh            every even (LTS) line from the floor up, plus the newest line
#        NODE_MAJORS="18 22" scripts/node-matrix.sh
# Prints one line per Node version (PASS/FAIL and which check failed), then a summary; exits 1 if any
# line failed. The lines run one after another (two cores: installs are network- and disk-bound).
set -uo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
export npm_config_loglevel=error npm_config_audit=false npm_config_fund=false npm_config_update_notifier=false

floor=$(node -p 'require("./package.json").engines.node.match(/\d+/)[0]')
if [[ -z "${NODE_MAJORS:-}" ]]; then
  newest=$(npm view node dist-tags.latest 2>/dev/null | cut -d. -f1)
  [[ -n "$newest" ]] || { echo "node-matrix: cannot read the newest node release from the npm registry" >&2; exit 1; }
  NODE_MAJORS=""
  for ((major = floor; major <= newest; major++)); do
    if ((major % 2 == 0 || major == newest)); then NODE_MAJORS+="$major "; fi
  done
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/axios-oauth2-bearer-matrix-XXXXXX")
trap 'rm -rf "$work"' EXIT
npm pack --pack-destination "$work" >/dev/null || { echo "node-matrix: npm pack failed" >&2; exit 1; }
tarball=$(ls "$work"/*.tgz)
axios_version=$(node -p 'require("./node_modules/axios/package.json").version')
tsc="$repo/node_modules/typescript/bin/tsc"

failed=0
summary=()
for major in $NODE_MAJORS; do
  project="$work/node-$major"
  mkdir -p "$project"
  cp "$repo"/__tests__/package/consumer/* "$project/"
  # The README's quick start as a user saves it: the ESM one (plain JavaScript, no type syntax) as .mjs.
  cp "$repo/examples/recipes/quick-start.ts" "$project/readme-quick-start.mjs"
  cp "$repo/examples/recipes/quick-start.cjs" "$project/readme-quick-start.cjs"
  echo '{"name":"consumer","private":true}' >"$project/package.json"
  log="$project/matrix.log"
  status="PASS"
  if ! (cd "$project" && npm install --prefer-offline "$tarball" "axios@$axios_version" "node@$major" >"$log" 2>&1); then
    status="FAIL (install)"
  else
    node_bin="$project/node_modules/node/bin/node"
    failures=""
    version=$("$node_bin" --version 2>>"$log")
    check() { # name, command…
      local name=$1
      shift
      if ! (cd "$project" && "$@" >>"$log" 2>&1); then failures+=" $name"; fi
    }
    check require "$node_bin" use.cjs
    check import "$node_bin" use.mjs
    check types-node16 "$node_bin" "$tsc" -p tsconfig.node16.json
    check types-bundler "$node_bin" "$tsc" -p tsconfig.bundler.json
    check smoke "$node_bin" smoke.mjs
    check readme-esm "$node_bin" readme-quick-start.mjs
    check readme-cjs "$node_bin" readme-quick-start.cjs
    check recipes "$node_bin" "$repo/scripts/docs/run-recipes-installed.mjs" "$repo/examples/recipes"
    [[ -z $failures ]] || status="FAIL (${failures# })"
  fi
  line="node ${version:-$major}: $status"
  echo "$line"
  [[ $status == PASS ]] || { failed=1; sed 's/^/    /' "$log" | tail -40; }
  summary+=("$line")
done
# The TypeScript lines, once.
types_project="$work/types"
mkdir -p "$types_project"
cp "$repo"/__tests__/package/consumer/* "$types_project/"
echo '{"name":"consumer-types","private":true}' >"$types_project/package.json"
types_log="$types_project/types.log"
types_status="PASS"
if ! (cd "$types_project" && npm install --prefer-offline "$tarball" "axios@$axios_version" \
  "ts6@npm:typescript@~6.0" "ts7@npm:typescript@7" >"$types_log" 2>&1); then
  types_status="FAIL (install)"
else
  ts6="$types_project/node_modules/ts6/bin/tsc"
  ts7="$types_project/node_modules/ts7/bin/tsc"
  ts_versions="5.9=$(node "$tsc" --version | cut -d' ' -f2) 6.0=$(node "$ts6" --version | cut -d' ' -f2) 7=$(node "$ts7" --version | cut -d' ' -f2)"
  type_failures=""
  typecheck() { # name, tsc, config, extra args…
    local name=$1 compiler=$2 config=$3
    shift 3
    echo "== $name" >>"$types_log"
    if ! (cd "$types_project" && node "$compiler" -p "$config" "$@" >>"$types_log" 2>&1); then type_failures+=" $name"; fi
  }
  typecheck ts5.9-node16 "$tsc" tsconfig.node16.json
  typecheck ts5.9-bundler "$tsc" tsconfig.bundler.json
  typecheck ts5.9-node10 "$tsc" tsconfig.node10.json
  typecheck ts6.0-node16 "$ts6" tsconfig.node16.json
  typecheck ts6.0-nodenext "$ts6" tsconfig.nodenext.json
  typecheck ts6.0-bundler "$ts6" tsconfig.bundler.json
  typecheck ts6.0-node10 "$ts6" tsconfig.node10.json --ignoreDeprecations 6.0
  typecheck ts7-node16 "$ts7" tsconfig.node16.json
  typecheck ts7-nodenext "$ts7" tsconfig.nodenext.json
  typecheck ts7-bundler "$ts7" tsconfig.bundler.json
  # TypeScript 7 removed node10: what the docs state, checked so that the statement cannot go stale.
  if (cd "$types_project" && node "$ts7" -p tsconfig.node10.json >"$types_project/ts7-node10.log" 2>&1) ||
    ! grep -q TS5108 "$types_project/ts7-node10.log"; then
    type_failures+=" ts7-node10-removed"
  fi
  [[ -z $type_failures ]] || types_status="FAIL (${type_failures# })"
fi
types_line="types (TypeScript ${ts_versions:-?}): $types_status"
echo "$types_line"
[[ $types_status == PASS ]] || { failed=1; sed 's/^/    /' "$types_log" | tail -40; }
summary+=("$types_line")

echo "node-matrix (axios $axios_version): ${summary[*]/%/;}"
exit "$failed"
