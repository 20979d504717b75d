#!/bin/sh
# One-off set-up of the local federation of deploy/compose.yaml: the README's
# steps, with the compose services' names as host names. All parties share one
# volume here, which only a demonstration may do: in a real federation each
# party sets up its own folder on its own host from what it was handed.
set -eu
cd "${FEDERATION_DIR:-/var/lib/liaison}"
if [ -e broker/broker.toml ]; then
  echo "the federation is set up already (broker/broker.toml exists)"
  exit 0
fi
liaison pki init  --dir pki --federation compose
liaison pki issue --dir pki --name broker  --role broker --host broker
liaison pki issue --dir pki --name FR      --role node   --host node-fr
liaison pki issue --dir pki --name NL      --role node   --host node-nl
liaison pki issue --dir pki --name auditor --role auditor
liaison broker init --dir broker --federation compose --listen 0.0.0.0:7000 --pki pki \
    --participant FR=node-fr:7001 --participant NL=node-nl:7001 --purpose counter-terrorism
for who in FR NL auditor; do
  mkdir -p "handover-$who" && cp pki/ca.pem "pki/$who.pem" broker/audit.pub "handover-$who/"
  mv "pki/$who.key" "handover-$who/"
done
for agency in FR NL; do
  folder=$(echo "$agency" | tr 'A-Z' 'a-z')
  liaison node init --agency "$agency" --dir "$folder" --pki "handover-$agency" \
      --federation-listen 0.0.0.0:7001 --local-listen 127.0.0.1:7101 --broker broker:7000 \
      --broker-audit-key "handover-$agency/audit.pub" --delete-plain-key
done
liaison audit init --dir auditor --pki handover-auditor --broker broker:7000 \
    --broker-audit-key handover-auditor/audit.pub
echo "set up: broker, nodes fr and nl, auditor (see deploy/compose.yaml for what to run next)"
