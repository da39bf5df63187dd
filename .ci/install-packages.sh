#!/usr/bin/env bash
# Install what the test suite needs on a clean Debian 12 machine, only what is missing:
#   - the Debian packages of .ci/apt-packages.txt (a name with ":i386" first enables that
#     architecture, as Wine's 32-bit half needs: dpkg --add-architecture i386, apt-get update);
#   - the npm packages pinned by .ci/npm/package-lock.json (Inno Setup's compiler, run under
#     Wine), with `npm ci` into .ci/npm/node_modules (ignored by git).
# .ci/run calls it under CI=true; a developer can run it as root (`bash .ci/install-packages.sh`).
# Prints how long each part took.
set -euo pipefail
cd "$(dirname "$0")/.."

t0=$(date +%s)
# The names above the line "## without recommends" are installed with their recommended
# packages, those below it without (Wine's recommends would double the download).
missing_of() {
  local p out=""
  for p in $1; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || out="$out $p"
  done
  echo "$out"
}
names() { grep -v '^\s*#' | tr -s ' \n' ' ' || true; }
with_rec=$(missing_of "$(sed '/^## without recommends/,$d' .ci/apt-packages.txt | names)")
without_rec=$(missing_of "$(sed -n '/^## without recommends/,$p' .ci/apt-packages.txt | names)")
# Node's package manager, for the npm part below (Debian 12 ships it apart from nodejs).
command -v npm >/dev/null || without_rec="$without_rec npm"
if [ -n "${with_rec// /}${without_rec// /}" ]; then
  for arch in $(printf '%s\n' $with_rec $without_rec | sed -n 's/.*:\([a-z0-9]*\)$/\1/p' | sort -u); do
    if ! dpkg --print-foreign-architectures | grep -qx "$arch"; then
      echo "enabling the Debian architecture $arch"
      dpkg --add-architecture "$arch"
    fi
  done
  apt-get update -qq
  export DEBIAN_FRONTEND=noninteractive
  if [ -n "${with_rec// /}" ]; then
    echo "installing Debian packages:$with_rec"
    apt-get install -y -qq $with_rec >/dev/null
  fi
  if [ -n "${without_rec// /}" ]; then
    echo "installing Debian packages without their recommends:$without_rec"
    apt-get install -y -qq --no-install-recommends $without_rec >/dev/null
  fi
fi
t1=$(date +%s)

# npm ci again only when the lockfile changed since the last install.
lock=.ci/npm/package-lock.json
stamp=.ci/npm/node_modules/.siteassess-lock.sha256
want=$(sha256sum "$lock" | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  echo "installing npm packages from $lock"
  (cd .ci/npm && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
  echo "$want" >"$stamp"
fi
t2=$(date +%s)
echo "install-packages: Debian $((t1 - t0)) s, npm $((t2 - t1)) s"
