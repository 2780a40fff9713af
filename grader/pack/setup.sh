#!/usr/bin/env bash
# Gradescope runs this once, as root, when it builds this autograder's image (its Ubuntu base
# image; made by `npx grade pack gradescope`). It installs Node.js 20 when no Node.js 20.6+ is
# there, then runs the kit's bin/setup: the OS tools the network lab drives (iproute2, nftables,
# util-linux, coreutils, bash) and the kit's npm packages (npm ci).
#
# Not tested by the kit's own tests: its downloads (Ubuntu's packages, Node.js from nodejs.org,
# npm packages) happen only where Gradescope builds the image.
set -euo pipefail
cd "${AUTOGRADER_ROOT:-/autograder}/source"

export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends ca-certificates curl xz-utils >/dev/null

node_ok() {
  command -v node >/dev/null 2>&1 &&
    node -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 20 || (a === 20 && b >= 6) ? 0 : 1)'
}

if ! node_ok; then
  case "$(uname -m)" in
    x86_64) arch=x64 ;;
    aarch64) arch=arm64 ;;
    *) echo "setup.sh: no Node.js build for $(uname -m)" >&2; exit 1 ;;
  esac
  base=https://nodejs.org/dist/latest-v20.x
  tmp=$(mktemp -d)
  curl -fsSL "$base/SHASUMS256.txt" -o "$tmp/SHASUMS256.txt"
  tarball=$(grep -o "node-v20\.[0-9]*\.[0-9]*-linux-$arch\.tar\.xz" "$tmp/SHASUMS256.txt" | head -n 1)
  curl -fsSL "$base/$tarball" -o "$tmp/$tarball"
  (cd "$tmp" && grep " $tarball\$" SHASUMS256.txt | sha256sum -c -)
  tar -xJf "$tmp/$tarball" -C /usr/local --strip-components=1 --no-same-owner
  rm -rf "$tmp"
  hash -r
fi
node_ok || { echo "setup.sh: Node.js 20.6+ is still missing" >&2; exit 1; }
echo "==> node $(node --version), npm $(npm --version)"

bin/setup
