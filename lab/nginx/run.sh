#!/usr/bin/env bash
# Start the lab's office provisioning server (nginx, nginx.conf.in beside this script) in the
# foreground for a test harness:
#   run.sh <workdir> <docroot>        e.g. ip netns exec sb-pbx lab/nginx/run.sh /tmp/ngx /tmp/ngx/docroot
# Serves <docroot> with GET/HEAD (Range, If-Modified-Since, ETag) and PUT (create_full_put_path) on
#   http://$LISTEN_IP:$HTTP_PORT/  and  https://$LISTEN_IP:$HTTPS_PORT/
# Env: LISTEN_IP (default 198.19.2.10), HTTP_PORT (8000), HTTPS_PORT (8443).
# The HTTPS certificate is <workdir>/tls/server.crt + server.key; when they are missing a self-signed
# one for IP:$LISTEN_IP is made here (a test that wants its own puts its files there first).
# Everything nginx writes goes to <workdir>: nginx.conf, nginx.pid, access.log, temp/. Errors go to
# stderr. The script execs nginx, so its pid is nginx's master: SIGTERM it to stop.
set -euo pipefail

[[ $# -eq 2 ]] || { echo "usage: $0 <workdir> <docroot>" >&2; exit 2; }
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$1" "$2"
workdir=$(cd "$1" && pwd)
docroot=$(cd "$2" && pwd)
ip=${LISTEN_IP:-198.19.2.10}
http_port=${HTTP_PORT:-8000}
https_port=${HTTPS_PORT:-8443}

mkdir -p "$workdir/tls" "$workdir/temp"
if [[ ! -s $workdir/tls/server.crt || ! -s $workdir/tls/server.key ]]; then
  openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj "/CN=$ip/O=sipbridge lab" \
    -addext "subjectAltName=IP:$ip" -addext "basicConstraints=critical,CA:FALSE" \
    -addext "extendedKeyUsage=serverAuth" \
    -keyout "$workdir/tls/server.key" -out "$workdir/tls/server.crt" 2>/dev/null
fi

# '|' as the sed delimiter: the paths contain '/'. Refuse paths that would break the substitution
# or the config's syntax.
for value in "$workdir" "$docroot"; do
  [[ $value != *[\|\;\ \'\"\{\}]* ]] || { echo "run.sh: unsupported character in path: $value" >&2; exit 2; }
done
sed -e "s|@WORKDIR@|$workdir|g" -e "s|@DOCROOT@|$docroot|g" -e "s|@LISTEN_IP@|$ip|g" \
    -e "s|@HTTP_PORT@|$http_port|g" -e "s|@HTTPS_PORT@|$https_port|g" \
    "$here/nginx.conf.in" > "$workdir/nginx.conf"

# -e stderr: no attempt to open the packaged error log before nginx.conf is read;
# -p: relative paths (none are used) resolve in the work dir, not /usr/share/nginx.
exec nginx -e stderr -p "$workdir/" -c "$workdir/nginx.conf"
