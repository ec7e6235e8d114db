-- The audit inbox holds captured rows for about a second, until audit.drain_inbox moves them into
-- audit.audit_log. A statement that changes many rows is captured as one inbox row with all of them (a
-- subject's erasure: 10,000 rides, about 16 MB of JSON each side); compressing that on the writer's path
-- cost more than writing it out: the rows are stored out of line, uncompressed.
ALTER TABLE audit.audit_inbox
    ALTER COLUMN old_rows SET STORAGE EXTERNAL,
    ALTER COLUMN new_rows SET STORAGE EXTERNAL;
