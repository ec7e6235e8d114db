#!/usr/bin/env bash
# master-keyset.sh generate|add|promote|retire|show FILE — the production VIP master keyset, made and
# rotated by Tink from the service jar (no hand-written keyset JSON). Prints key ids, never key material.
#
# Rotation while the service serves (each step rolled out to every instance before the next):
#   1. master-keyset.sh add FILE       a new key, not primary: every instance can unwrap under it
#   2. master-keyset.sh promote FILE   the new key wraps from now on; each instance's vip-master-key-rewrap
#                                      job re-wraps every subject key (minutes; see maintenance.job_runs)
#   3. when SELECT count(*) FROM vip_data.subject_keys WHERE master_key_id <> '<new id>' is 0:
#      master-keyset.sh retire FILE    the old key is gone
# Builds the jar if it is missing.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
jar=$(ls "$root"/target/vipride-platform-*.jar 2>/dev/null | grep -v -- '-plain' | head -1 || true)
if [[ -z $jar ]]; then
  (cd "$root" && ./mvnw -q -DskipTests package)
  jar=$(ls "$root"/target/vipride-platform-*.jar | grep -v -- '-plain' | head -1)
fi
exec java -cp "$jar" -Dloader.main=com.vipride.vip.crypto.MasterKeysetCommand \
  org.springframework.boot.loader.launch.PropertiesLauncher "$@"
