-- afterMigrate.sql — runs after every migration (Flyway callback; upgrade.sql includes it last).
-- Privileges granted or revoked by a migration are intended: record them, so that monitoring's privilege
-- drift alerts only on changes made outside migrations. A new database's first run takes the privileges
-- as they are for its baseline.
DO $$
BEGIN
    IF EXISTS (SELECT FROM monitoring.privilege_baseline) THEN
        PERFORM monitoring.record_privilege_changes('migration');
    ELSE
        INSERT INTO monitoring.privilege_baseline SELECT DISTINCT * FROM monitoring.current_privileges();
    END IF;
END
$$;
