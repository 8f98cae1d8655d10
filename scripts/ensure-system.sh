#!/usr/bin/env bash
# Make sure the system packages layout needs are here: the free CJK faces that fonts/fonts.yaml
# names, and Ghostscript (the test suite renders colour separations with it).
set -eu
need=()
[ -e /usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc ] || need+=(fonts-noto-cjk)
[ -e /usr/share/fonts/truetype/lxgw-wenkai/LXGWWenKai-Regular.ttf ] || need+=(fonts-lxgw-wenkai)
command -v gs >/dev/null 2>&1 || need+=(ghostscript)
# the studio's browser tests drive Debian's Chromium headless (never a downloaded browser)
[ -x /usr/bin/chromium ] || need+=(chromium)
[ -x /usr/bin/chromedriver ] || need+=(chromium-driver)
command -v pdftotext >/dev/null 2>&1 || need+=(poppler-utils)   # text extraction order checks
[ ${#need[@]} -eq 0 ] && exit 0
if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  echo "installing system packages: ${need[*]} (apt-get, once)" >&2
  DEBIAN_FRONTEND=noninteractive apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >&2
elif command -v apt-get >/dev/null 2>&1; then
  echo "error: missing packages; run: sudo apt-get install -y ${need[*]}" >&2; exit 1
else
  echo "error: missing ${need[*]}: install Noto Serif/Sans CJK SC, LXGW WenKai and Ghostscript," \
       "or point fonts/fonts.yaml at your faces" >&2; exit 1
fi
