#!/usr/bin/env bash
# Proves the published artefact works: pack, install the tarball in a scratch project, import it
# from ESM and require it from CJS (every subpath), then run attw and publint on the tarball.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
tarball=$(npm pack --silent --pack-destination "$work" | tail -n 1)
echo "packed $tarball ($(du -k "$work/$tarball" | cut -f1) KB)"
subpaths=$(node -e "const p=require('./package.json'); console.log(Object.keys(p.exports).filter(k=>k!=='./package.json').map(k=>k==='.'?'customer-vitals':'customer-vitals/'+k.slice(2)).join(' '))")
(
  cd "$work"
  npm init -y >/dev/null
  npm install --no-audit --no-fund --silent "./$tarball"
  for spec in $subpaths; do
    node --input-type=module -e "const m = await import('$spec'); if (Object.keys(m).length === 0) throw new Error('$spec: no exports'); console.log('ESM ok  $spec (' + Object.keys(m).length + ' exports)')"
    node -e "const m = require('$spec'); if (Object.keys(m).length === 0) throw new Error('$spec: no exports'); console.log('CJS ok  $spec (' + Object.keys(m).length + ' exports)')"
  done
  node --input-type=module -e "
    import { parseEvents, groupByCustomer } from 'customer-vitals';
    const r = parseEvents([{ customerId: 'a', type: 'login', timestamp: '2024-01-01' }, { customerId: '' }]);
    if (r.stats.accepted !== 1 || r.stats.rejected !== 1 || groupByCustomer(r.events).size !== 1) throw new Error('smoke failed');
    console.log('ESM smoke ok');"
  node -e "
    const { parseEvents, ValidationError } = require('customer-vitals');
    try { parseEvents([{}], { strict: true }); throw new Error('no throw'); } catch (e) { if (!(e instanceof ValidationError)) throw e; }
    console.log('CJS smoke ok');"
  printf 'customerId,type,timestamp,value\na,purchase,2024-01-01,10\n,purchase,2024-01-02,5\n' > rows.csv
  if ./node_modules/.bin/customer-vitals validate rows.csv > cli.txt; then echo "CLI should exit 1 on a rejected row" >&2; exit 1; fi
  grep -q "2 rows, 1 accepted, 1 rejected" cli.txt && echo "CLI bin ok"
)
npx --no-install attw "$work/$tarball"
npx --no-install publint "$work/$tarball" --strict
