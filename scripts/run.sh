#!/usr/bin/env bash
# `make run`: create var/gonggai.db on first run (printing the one-time
# passwords of sysadmin, secadmin and auditor), then serve on
# 127.0.0.1:8080 (override with LISTEN=host:port).
set -eu
db=${DB:-var/gonggai.db}
listen=${LISTEN:-127.0.0.1:8080}
mkdir -p "$(dirname "$db")"
if [ ! -f "$db" ]; then
  ./gonggai init --db "$db"
  echo "请妥善保存以上一次性密码，首次登录后须修改。(Keep these one-time passwords; each must be changed at first login.)"
fi
exec ./gonggai serve --db "$db" --listen "$listen"
