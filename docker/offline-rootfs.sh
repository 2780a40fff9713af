#!/bin/sh
# The offline path's base: Debian bookworm from Debian's packages alone
# (debootstrap), nftables, iproute2 and netbase (nft prints protocol names
# from /etc/protocols, and the trace parser reads them), python3-minimal and
# iptables (the router's delaying program, harness/router/delay.py, and the
# NFQUEUE rule that feeds it), and this machine's own node binary.
# Usage: offline-rootfs.sh ROOTFS_DIR MIRROR NODE_BINARY   (as root)
set -eu
dir=$1 mirror=$2 node=$3
debootstrap --variant=minbase --include=nftables,iproute2,netbase,python3-minimal,iptables bookworm "$dir" "$mirror"
cd "$dir"
rm -rf var/cache/apt/archives/*.deb var/lib/apt/lists/* usr/share/doc/* usr/share/man/* usr/share/info/* usr/share/locale/*
install -m 0755 "$node" usr/local/bin/node
# The node binary must run on this base (a distribution build linked to libnode will not).
if ! chroot "$dir" /usr/bin/env -i /usr/local/bin/node -e 'process.exit(0)'; then
  echo "offline-rootfs: $node does not run inside a Debian bookworm rootfs (is it a static build from nodejs.org?)" >&2
  exit 3
fi
echo "offline-rootfs: done ($(du -sh "$dir" | cut -f1))"
