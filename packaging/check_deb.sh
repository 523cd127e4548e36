#!/usr/bin/env bash
# Builds the .deb and tries it as a user who never built anything would: in a pristine
# Debian 12 root (../shared/tools/pristine-check), `apt-get install ./yolo-workbench_*.deb`,
# then make data offline, train a few cpu-fast steps, detect, and press Generate in the
# workbench under Xvfb. Prints which BLAS the training process loaded and each step's result;
# exits non-zero on the first step that fails.
#
#   packaging/check_deb.sh [--no-build]      # --no-build: reuse build/deb's .deb
#
# Time on 2 cores: the build of build/deb (tests and benchmarks off) ~15 min from nothing,
# seconds when up to date; the pristine root installs ~400 packages (~4 min), then ~2 min.
# Needs root (pristine-check, apt-get) and the build dependencies ./quickstart installs.
set -euo pipefail
cd "$(dirname "$0")/.."
src=$(pwd)
build="${src}/build/deb"
pristine="${PRISTINE_CHECK:-${src}/../shared/tools/pristine-check}"
say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

# Beside what ./quickstart installs to build: dpkg-shlibdeps (dpkg-dev), the manual pages
# (help2man), the package check (lintian) and the pristine root (mmdebstrap).
missing=()
for p in dpkg-dev help2man lintian mmdebstrap; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  say "installing ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

if [[ "${1:-}" != "--no-build" ]]; then
  datasets/fetch_mnist.sh
  if [[ ! -f "${build}/build.ninja" ]]; then
    say "configuring ${build}"
    cmake -S . -B "${build}" -G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_PREFIX=/usr \
      -DYOLO_BUILD_TESTS=OFF -DYOLO_BUILD_BENCH=OFF -DYOLO_SHIP_DIGITS=ON >/dev/null
  fi
  say "building"
  cmake --build "${build}"
  rm -f "${build}"/yolo-workbench_*.deb
  (cd "${build}" && cpack >/dev/null)
fi
deb=$(ls "${build}"/yolo-workbench_*.deb)
say "package: ${deb} ($(du -h "${deb}" | cut -f1))"
dpkg-deb --field "${deb}"
dpkg-deb --contents "${deb}" | awk '{print $6}' | grep -v '/$'

say "lintian"
lintian --info --tag-display-limit 0 "${deb}" || true

# pristine-check clones a git work tree: one holding the .deb and the user's session.
work=$(mktemp -d /var/tmp/check-deb.XXXXXX)
trap 'rm -rf "${work}"' EXIT
cp "${deb}" "${work}/"
cp packaging/try_installed_deb.sh "${work}/"
git -C "${work}" init -q
git -C "${work}" add -A
git -C "${work}" -c user.name=check -c user.email=check@localhost commit -qm "the .deb to try"
say "installing and running it in a pristine Debian 12 root"
root=/var/tmp/check-deb-root
status=0
"${pristine}" --verbose --keep --root "${root}" "${work}" bash ./try_installed_deb.sh || status=$?
if [[ -s "${root}/tmp/data-view.png" ]]; then
  cp "${root}/tmp/data-view.png" "${build}/data-view.png"
  say "the workbench's Data view after Generate: ${build}/data-view.png"
fi
[[ -f "${root}/.pristine-check-root" ]] && rm -rf --one-file-system "${root}"
exit "${status}"
