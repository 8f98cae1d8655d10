#!/usr/bin/env bash
# Make sure the free CJK faces the default fonts.yaml names are on this machine.
set -eu
need=()
[ -e /usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc ] || need+=(fonts-noto-cjk)
[ -e /usr/share/fonts/truetype/lxgw-wenkai/LXGWWenKai-Regular.ttf ] || need+=(fonts-lxgw-wenkai)
[ ${#need[@]} -eq 0 ] && exit 0
if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  echo "installing fonts: ${need[*]} (apt-get, once)" >&2
  DEBIAN_FRONTEND=noninteractive apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >&2
elif command -v apt-get >/dev/null 2>&1; then
  echo "error: fonts missing; run: sudo apt-get install -y ${need[*]}" >&2; exit 1
else
  echo "error: fonts missing (${need[*]}): install Noto Serif/Sans CJK SC and LXGW WenKai, or point fonts/fonts.yaml at your faces" >&2; exit 1
fi
