#!/usr/bin/env bash
# Proves the two commands on a really fresh Debian: a minimal Debian 12 root (debootstrap)
# with only git, make and python3 added, a clone of this repository, then `make demo` until
# it serves the home page, then `make test`.
#
#   sudo tools/fresh-debian-check.sh [ROOT_DIR]     (default /tmp/congdoan-fresh-debian)
#
# Needs root (debootstrap, chroot) and Debian's package mirror, the one this machine's apt
# uses. It changes nothing outside ROOT_DIR; ROOT_DIR is made anew each run.
# Steps:
# 1. debootstrap --variant=minbase bookworm into ROOT_DIR;
# 2. in the chroot, apt-get install git make python3 (nothing else);
# 3. clone the repository's committed HEAD into the chroot;
# 4. `make demo` (as root: it installs the system packages itself) until / answers 200;
# 5. `make test` (SQLite) — the same suite CI runs.
set -euo pipefail

root="${1:-/tmp/congdoan-fresh-debian}"
repo="$(cd "$(dirname "$0")/.." && pwd)"
mirror="$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)"
mirror="${mirror:-$(awk '/^deb / {print $2; exit}' /etc/apt/sources.list 2>/dev/null || true)}"

command -v debootstrap >/dev/null || apt-get install -y -qq debootstrap >/dev/null

cleanup() {
  for m in dev/pts dev proc sys; do umount -l "$root/$m" 2>/dev/null || true; done
}
trap cleanup EXIT

cleanup
# Never delete through a mount that is still there (it would reach the host's /dev or /sys).
if grep -q " $root/" /proc/mounts; then
  echo "Còn thư mục đang được gắn (mount) dưới $root: không xóa." >&2
  exit 1
fi
rm -rf --one-file-system "$root"
echo "== 1. debootstrap (minbase bookworm) into $root"
debootstrap --variant=minbase bookworm "$root" "$mirror" >/dev/null
mount -t proc proc "$root/proc"
mount --rbind /sys "$root/sys"
mount --rbind /dev "$root/dev"
cp /etc/resolv.conf "$root/etc/resolv.conf" 2>/dev/null || true
# Where this machine reaches the registries through a proxy of its own (a certificate
# authority its system trusts), the fresh root is told to trust the same one; nothing else
# of this machine is carried over.
tls_env=""
if [[ -r /etc/ssl/certs/ca-certificates.crt ]]; then
  cp /etc/ssl/certs/ca-certificates.crt "$root/etc/host-ca.crt"
  tls_env="PIP_CERT=/etc/host-ca.crt NODE_EXTRA_CA_CERTS=/etc/host-ca.crt"
fi

in_root() {
  # shellcheck disable=SC2086  # tls_env is a list of NAME=value words
  chroot "$root" /usr/bin/env -i HOME=/root PATH=/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin \
    LANG=C.UTF-8 $tls_env bash -lc "$1"
}

echo "== 2. only git, make and python3"
in_root "apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq git make python3 >/dev/null"
in_root "python3 --version; git --version; make --version | head -1; command -v npm || echo 'no npm'"

echo "== 3. clone"
git clone -q "$repo" "$root/root/congdoan"

echo "== 4. make demo (until the home page answers)"
in_root "set -m; cd /root/congdoan && { make demo PORT=8799 > /root/demo.log 2>&1 & echo \$! > /root/demo.pid; } ;
  for i in \$(seq 1 900); do
    python3 -c 'import urllib.request,sys; sys.exit(0 if urllib.request.urlopen(\"http://127.0.0.1:8799/\", timeout=2).status == 200 else 1)' 2>/dev/null && break
    sleep 1
  done
  python3 -c 'import urllib.request; print(\"home page:\", urllib.request.urlopen(\"http://127.0.0.1:8799/\").status)'
  grep -E 'congdoan2026|admin@' /root/demo.log | head -3
  kill -INT -- -\$(cat /root/demo.pid); wait; tail -n 1 /root/demo.log"

echo "== 5. make test"
in_root "cd /root/congdoan && make test > /root/test.log 2>&1; rc=\$?; tail -n 3 /root/test.log; exit \$rc"
echo "== fresh Debian: done"
