#!/usr/bin/env bash
# The packed tarball on every supported Node line: for each major from the `engines` floor up to the
# newest release of the `node` package on the npm registry, a temporary project installs the tarball,
# axios and that Node binary (the npm `node` package: no download other than from the registry), then
#   - require():  __tests__/package/consumer/use.cjs   (the main job against the embedded server)
#   - import:     __tests__/package/consumer/use.mjs   (same, ESM; lockout → AccountLockedError)
#   - types:      this repo's tsc, run by that Node, on consumer/use.ts (moduleResolution node16 and bundler)
#   - smoke:      __tests__/package/consumer/smoke.mjs (single flight, 401 replay, channels, close() + revocation)
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
    [[ -z $failures ]] || status="FAIL (${failures# })"
  fi
  line="node ${version:-$major}: $status"
  echo "$line"
  [[ $status == PASS ]] || { failed=1; sed 's/^/    /' "$log" | tail -40; }
  summary+=("$line")
done
echo "node-matrix (axios $axios_version): ${summary[*]/%/;}"
exit "$failed"
