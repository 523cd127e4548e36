#!/usr/bin/env bash
# Fetches ONNX Runtime for Node.js (the npm package onnxruntime-node, which carries its CPU
# library) into .cache/onnxruntime-node/, which git ignores. The ONNX export test runs the
# exported models with it: an implementation of ONNX we did not write.
# Idempotent: does nothing when that version is already there. Install scripts are skipped:
# onnxruntime-node's would download CUDA libraries from outside the npm registry, and the
# CPU library is in the package itself.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
dest="${root}/.cache/onnxruntime-node"
version="1.30.0"

if [[ -f "${dest}/node_modules/onnxruntime-node/package.json" &&
      "$(cat "${dest}/VERSION" 2>/dev/null)" == "${version}" ]]; then
  exit 0
fi
echo "==> fetching ONNX Runtime for Node.js (npm package onnxruntime-node@${version})" >&2
rm -rf "${dest}.partial"
mkdir -p "${dest}.partial"
if ! (cd "${dest}.partial" && echo '{"private": true}' > package.json &&
      npm install --silent --no-audit --no-fund --ignore-scripts \
        "onnxruntime-node@${version}" >/dev/null); then
  echo "error: could not fetch onnxruntime-node@${version} from the npm registry (no network?)" >&2
  exit 1
fi
echo "${version}" > "${dest}.partial/VERSION"
rm -rf "${dest}"
mv "${dest}.partial" "${dest}"
echo "==> ONNX Runtime in ${dest}" >&2
