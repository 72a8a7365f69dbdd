#!/usr/bin/env bash
# Prepare an nginx prefix folder for NTA Lab from deploy/nginx.conf.template:
#   deploy/setup.sh <prefix> [app address …]
# Environment (defaults in brackets): NTA_HTTPS_LISTEN [127.0.0.1:8443], NTA_HTTP_LISTEN
# [127.0.0.1:8080], NTA_PUBLIC_HOST [localhost:8443], NTA_STATIC_DIR [<repo>/.next/static],
# NTA_ACCESS_LOG [logs/access.log]. App addresses default to 127.0.0.1:3001 127.0.0.1:3002.
# Makes a self-signed certificate (conf/tls/) unless one is there — replace it with a real one.
# Then run:  nginx -p <prefix> -c conf/nginx.conf
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(dirname "$here")"
prefix="${1:?usage: deploy/setup.sh <prefix> [app address …]}"
shift
apps=("$@")
[ ${#apps[@]} -gt 0 ] || apps=(127.0.0.1:3001 127.0.0.1:3002)
mkdir -p "$prefix"/{conf/tls,logs,temp}
prefix="$(cd "$prefix" && pwd)"
if [ ! -s "$prefix/conf/tls/cert.pem" ]; then
  host="${NTA_PUBLIC_HOST:-localhost:8443}"
  openssl req -x509 -newkey rsa:2048 -nodes -days 365 -subj "/CN=${host%%:*}" \
    -addext "subjectAltName=DNS:${host%%:*},IP:127.0.0.1" \
    -keyout "$prefix/conf/tls/key.pem" -out "$prefix/conf/tls/cert.pem" 2>/dev/null
  chmod 600 "$prefix/conf/tls/key.pem"
fi
upstreams=""
for a in "${apps[@]}"; do upstreams+="    server $a max_fails=1 fail_timeout=5s;"$'\n'; done
static="${NTA_STATIC_DIR:-$repo/.next/static}"
awk -v up="${upstreams%$'\n'}" \
  -v https="${NTA_HTTPS_LISTEN:-127.0.0.1:8443}" \
  -v http="${NTA_HTTP_LISTEN:-127.0.0.1:8080}" \
  -v host="${NTA_PUBLIC_HOST:-localhost:8443}" \
  -v static="$static" \
  -v alog="${NTA_ACCESS_LOG:-logs/access.log}" '
  { gsub(/@@HTTPS_LISTEN@@/, https); gsub(/@@HTTP_LISTEN@@/, http); gsub(/@@PUBLIC_HOST@@/, host);
    gsub(/@@STATIC_DIR@@/, static); gsub(/@@ACCESS_LOG@@/, alog);
    if ($0 ~ /@@UPSTREAMS@@/) print up; else print }' \
  "$here/nginx.conf.template" > "$prefix/conf/nginx.conf"
nginx -t -q -p "$prefix" -c conf/nginx.conf
echo "nginx prefix ready: nginx -p $prefix -c conf/nginx.conf"
