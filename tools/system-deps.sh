#!/usr/bin/env bash
# The system packages Công Đoàn Số needs, installed when this may, else one command to run.
#
#   tools/system-deps.sh [base|browser] [--install|--check]
#
# base:    what `make demo` and `make test` need: Python's venv module, Tesseract with the
#          Vietnamese model (OCR), espeak-ng (audio bulletins), poppler-utils (PDF tools),
#          gettext, DejaVu fonts (posters and PDFs with Vietnamese text), Liberation Serif
#          (metric-compatible with Times New Roman: the reports in the administrative format), Pango with its
#          FreeType backend and HarfBuzz's subsetter (WeasyPrint: content's A4 posters).
# browser: base plus Debian's Chromium, for the browser tests (`make browser-test`).
#
# Steps:
# 1. find what is missing (dpkg-query; Python's venv by trying `import ensurepip`);
# 2. nothing missing: say nothing, exit 0 (so `make` calls this every time for free);
# 3. missing, and we are root or have sudo without a password: apt-get install it;
# 4. otherwise stop at once (exit 1) naming the one command to run.
# `--install` (make system-deps) installs even what `--check` would accept as present.
# SYSTEM_DEPS=skip in the environment goes on without them (the features that need a
# missing package say so when used).
set -euo pipefail

set_name="${1:-base}"
mode="${2:---check}"
PY="${PY:-python3}"

if [[ "${SYSTEM_DEPS:-}" == "skip" ]]; then
  exit 0
fi

packages=(tesseract-ocr tesseract-ocr-vie espeak-ng poppler-utils gettext fonts-dejavu-core fonts-liberation2
  libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0)
if [[ "$set_name" == "browser" ]]; then
  packages+=(chromium)
fi

missing=()
# Python's venv needs ensurepip, which Debian ships apart (python3.X-venv).
if ! "$PY" -c "import ensurepip, venv" >/dev/null 2>&1; then
  version="$("$PY" -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')"
  missing+=("python${version}-venv")
fi

if ! command -v dpkg-query >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
  if ((${#missing[@]})); then
    echo "Thiếu mô-đun venv của Python (${missing[*]}). Hãy cài nó bằng trình quản lý gói của máy." >&2
    exit 1
  fi
  echo "Không phải Debian/Ubuntu: hãy tự cài ${packages[*]} (hoặc đặt SYSTEM_DEPS=skip)." >&2
  exit 1
fi

for package in "${packages[@]}"; do
  status="$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null || true)"
  if [[ "$status" != "install ok installed" ]]; then
    missing+=("$package")
  fi
done

if [[ "$mode" == "--install" ]]; then
  missing=("${packages[@]}" "${missing[@]}")
elif ((${#missing[@]} == 0)); then
  exit 0
fi

command=(env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}")
if [[ "$(id -u)" == "0" ]]; then
  sudo=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true >/dev/null 2>&1; then
  sudo=(sudo)
else
  echo "Thiếu gói hệ thống: ${missing[*]}" >&2
  echo "Chạy lệnh này rồi chạy lại make:" >&2
  echo "  sudo apt-get update && sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
  echo "(hoặc đặt SYSTEM_DEPS=skip để chạy tiếp mà không có chúng)" >&2
  exit 1
fi

echo "Cài gói hệ thống: ${missing[*]}"
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" "${command[@]}" >/dev/null
echo "Đã cài gói hệ thống."
