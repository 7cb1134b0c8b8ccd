#!/bin/bash
# serve --workers 2 on a copy of the 100k store; RSS of every process of the server after 20 questions.
cd /work/wt-18
PORT=7961
PYTHONPATH=$PWD setsid /work/main/.venv/bin/python -m app.cli --data-dir /tmp/t18-100k serve --port $PORT --workers 2 > /tmp/t18-rss-serve.log 2>&1 &
PID=$!
echo "server pid $PID"
start=$(date +%s)
for i in $(seq 1 300); do
  if curl -sf localhost:$PORT/api/health >/dev/null 2>&1; then break; fi; sleep 2
done
# both workers answer: ask until each has served
for q in "Mục tiêu thu hút FDI năm 2023 của Bắc Ninh là bao nhiêu?" "What was Cao Bằng's GRDP growth in 2022?" "Tăng trưởng kinh tế năm 2022 của Bắc Kạn?" "Thu ngân sách năm 2023 của Hải Dương?" "Hưng Yên's 2023 export target"; do
  for k in 1 2 3 4; do curl -s localhost:$PORT/api/ask -H 'content-type: application/json' -d "{\"question\": \"$q\"}" -o /dev/null; done
done
echo "ready+20 questions after $(( $(date +%s) - start )) s"
curl -s localhost:$PORT/api/health; echo
total=0
for p in $(pgrep -g $(ps -o pgid= -p $PID | tr -d ' ')); do
  rss=$(awk '/VmRSS/{print $2}' /proc/$p/status); hwm=$(awk '/VmHWM/{print $2}' /proc/$p/status)
  echo "pid $p rss_mb $((rss/1024)) peak_mb $((hwm/1024)) $(tr '\0' ' ' < /proc/$p/cmdline | cut -c1-80)"
  total=$((total+rss))
done
echo "total_rss_mb $((total/1024))"
kill -- -$(ps -o pgid= -p $PID | tr -d ' ')
