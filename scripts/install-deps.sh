#!/usr/bin/env bash
# Installs the Debian packages Yima builds and tests with, only those missing.
# Run as root on Debian 12 (bookworm); the Swift toolchain is expected at /opt/swift.
set -euo pipefail

packages=(
  pkg-config openssl libssl-dev      # YimaCrypto: libcrypto, and the openssl CLI for cross-checks
  libqrencode-dev qrencode           # QR encoding (the qrencode CLI is the benchmark's reference)
  libpng-dev                         # PNG labels
  zbar-tools librsvg2-bin            # tests decode every QR with zbarimg, SVG rasterised by rsvg-convert
  librsvg2-dev libcairo2-dev libpango1.0-dev  # YimaLabels: labels rendered SVG → PNG/PDF, text measured with Pango
  ghostscript                        # label tests rasterise our PDFs with an independent renderer
  libsqlite3-dev sqlite3             # YimaStore: SQLite through GRDB; tests inspect the file with sqlite3
  postgresql                         # YimaPostgres: the store tests run on a throwaway cluster too (scripts/with-postgres.sh)
  python3 python3-pip                # test-vector scripts; pip for scripts/requirements-test.txt
  curl chromium fonts-noto-cjk       # the browser test opens the consumer page in headless Chromium
  chromium-driver poppler-utils      # the workbench test drives Chromium (Selenium) and rasterises label PDFs (pdftoppm)
  time                               # the server benchmarks time issuance with /usr/bin/time (peak memory)
  gcc libc6-dev valgrind wrk         # campaigns: the load client and OpenSSL reference (C), callgrind counts, wrk
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if ((${#missing[@]})); then
  echo "installing: ${missing[*]}" >&2
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Python packages for the tests (records checked against docs/schemas/ with jsonschema),
# pinned. Debian's own python3 refuses pip installs outside a venv (PEP 668) unless told.
pip_install() {
  python3 -m pip install --quiet --disable-pip-version-check -r "$(dirname "$0")/requirements-test.txt" "$@"
}
pip_install 2>/dev/null || pip_install --break-system-packages

if ! command -v swift >/dev/null; then
  if [ -x /opt/swift/usr/bin/swift ]; then
    echo "note: add /opt/swift/usr/bin to PATH" >&2
  else
    echo "error: the Swift 6 toolchain is not installed (expected at /opt/swift)" >&2
    exit 1
  fi
fi
