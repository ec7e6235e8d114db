-- The backup manifest: the exact row count of every table (leaf partitions included) and digests of a
-- sample of VIP ciphertexts and of the wrapped data keys, as one "name value" line each, sorted.
-- backup-full.sh runs it inside the snapshot pg_dump dumps, as the backup login (BYPASSRLS, so RLS hides
-- no row); restore-verify.sh runs it on the restored database and compares. Needs the psql variable
-- "manifest" (the output file).
SELECT format('%I.%I', n.nspname, c.relname) AS name,
       (xpath('/row/n/text()', query_to_xml(format('SELECT count(*) AS n FROM ONLY %I.%I', n.nspname, c.relname),
                                             false, true, '')))[1]::text AS value
  FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
 WHERE c.relkind = 'r' AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\_%'
UNION ALL
SELECT 'digest:vip_location_history(first 1000 by id)',
       coalesce(md5(string_agg(h.id || ':' || encode(h.encrypted_coordinates, 'hex'), ',' ORDER BY h.id)), 'none')
  FROM (SELECT id, encrypted_coordinates FROM vip_data.vip_location_history ORDER BY id LIMIT 1000) h
UNION ALL
SELECT 'digest:subject_keys', coalesce(md5(string_agg(k.subject_id || ':' || encode(k.keyset_enc, 'hex'), ',' ORDER BY k.subject_id)), 'none')
  FROM vip_data.subject_keys k
ORDER BY 1
\g (format=unaligned tuples_only=on fieldsep=' ') :manifest
