#!/usr/bin/env bash
# Build the Linux one-folder bundle dist/butik/ from installer/butik.spec, then start it headless
# and fail (non-zero exit) if any smoke check fails. This is the CI step of issue 9.
#
#   bash installer/build_linux.sh            # build + smoke test (~2-3 minutes)
#   SKIP_BUILD=1 bash installer/build_linux.sh   # smoke-test an existing dist/butik/
#
# Smoke checks, each from the bundle, in a throwaway data folder:
#   butik --version; butik demo --no-gui --products 200      (the two the issue asks for)
#   butik export products         (SQLite, migrations shipped as data, babel/stdnum data)
#   butik server + GET /health    (uvicorn's loop/protocol picked by name at run time)
#   --db postgresql+psycopg://…   (the PostgreSQL driver loads: expects "connection refused")
#   butik pos / butik backoffice  (offscreen Qt: still running after 10 s, no traceback)
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
BUNDLE=dist/butik
BUTIK=$BUNDLE/butik

step() { printf '\n== %s\n' "$*"; }
fail() { printf 'build_linux.sh: FAILED: %s\n' "$*" >&2; exit 1; }

if [ -z "${SKIP_BUILD:-}" ]; then
  if ! "$PYTHON" -c "import PyInstaller" 2>/dev/null; then
    step "installing PyInstaller"
    "$PYTHON" -m pip install -q "pyinstaller>=6.3"
  fi
  step "building $BUNDLE"
  "$PYTHON" -m PyInstaller --noconfirm --clean --log-level WARN \
    --distpath dist --workpath build/pyinstaller installer/butik.spec
fi
[ -x "$BUTIK" ] || fail "$BUTIK was not built"
echo "bundle size: $(du -sh "$BUNDLE" | cut -f1)"

TMP=$(mktemp -d)
SERVER_PID=
cleanup() {
  if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; fi
  rm -rf "$TMP"
}
trap cleanup EXIT
DATA=$TMP/data
# never touch the keyring of whoever runs this
export PYTHON_KEYRING_BACKEND=keyring.backends.fail.Keyring

step "butik --version"
version=$("$BUTIK" --version) || fail "butik --version exited $?"
echo "$version"
case "$version" in "butik "*) ;; *) fail "unexpected version line: $version" ;; esac

step "butik demo --no-gui --products 200"
"$BUTIK" demo --no-gui --products 200 --data-dir "$DATA" || fail "butik demo --no-gui exited $?"

step "butik export products"
"$BUTIK" export products "$TMP/products.csv" --data-dir "$DATA" --quiet || fail "export exited $?"
rows=$(($(wc -l < "$TMP/products.csv") - 1))
[ "$rows" -eq 200 ] || fail "export wrote $rows products, expected 200"

step "butik server (GET /health)"
PORT=$("$PYTHON" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$BUTIK" server --data-dir "$DATA" --port "$PORT" >"$TMP/server.log" 2>&1 &
SERVER_PID=$!
health=
for _ in $(seq 1 60); do
  health=$("$PYTHON" -c "import urllib.request as u; print(u.urlopen('http://127.0.0.1:$PORT/health', timeout=2).read().decode())" 2>/dev/null) && break
  kill -0 "$SERVER_PID" 2>/dev/null || { cat "$TMP/server.log" >&2; fail "the server died"; }
  sleep 0.5
done
echo "$health"
case "$health" in *'"ok"'*) ;; *) cat "$TMP/server.log" >&2; fail "no healthy answer from the server" ;; esac
kill -TERM "$SERVER_PID"
rc=0; wait "$SERVER_PID" || rc=$?
SERVER_PID=
[ "$rc" -eq 0 ] || { cat "$TMP/server.log" >&2; fail "the server exited $rc on SIGTERM"; }

step "PostgreSQL driver"
# nothing listens on port 1: the driver must load and then report the refused connection
out=$("$BUTIK" export products "$TMP/pg.csv" --quiet \
      --db "postgresql+psycopg://butik@127.0.0.1:1/butik" 2>&1) && fail "expected a refused connection"
if grep -qiE "no module named|can't load plugin" <<<"$out" || ! grep -qi "refused" <<<"$out"; then
  echo "$out" | tail -5 >&2; fail "the PostgreSQL driver is not in the bundle"
fi
echo "psycopg loads (connection refused, as expected)"

for cmd in pos backoffice; do
  step "butik $cmd (offscreen, 10 s)"
  rc=0
  QT_QPA_PLATFORM=offscreen timeout 10 "$BUTIK" "$cmd" --data-dir "$DATA" >"$TMP/$cmd.log" 2>&1 || rc=$?
  if [ "$rc" -ne 124 ] || grep -q "Traceback" "$TMP/$cmd.log"; then
    tail -20 "$TMP/$cmd.log" >&2
    fail "butik $cmd did not stay up (exit $rc)"
  fi
  echo "window up until stopped"
done

step "bundle OK: $BUNDLE"
