-- Takes the audit table away from the application's role (docs/deploy.md, "PostgreSQL: who owns the audit trail").
-- The app role keeps INSERT and SELECT on "AuditEvents" and nothing else there: no UPDATE, DELETE, TRUNCATE,
-- ALTER TABLE … DISABLE TRIGGER, DROP TRIGGER or DROP TABLE. Run it as a superuser (or the owner of the database)
-- after the migrations, and again after any migration that changes the audit table:
--
--   psql "host=… dbname=controlplane user=postgres" -v ON_ERROR_STOP=1 \
--        -v app_role=controlplane -v audit_owner=controlplane_audit_owner -f scripts/postgres-audit-roles.sql
--
-- The app role must not be a superuser, must not own the database or the schema "AuditEvents" lives in (the
-- schema owner can drop any table in it), and must not be a member of audit_owner.

SELECT format('CREATE ROLE %I NOLOGIN', :'audit_owner')
WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'audit_owner') \gexec

ALTER TABLE "AuditEvents" OWNER TO :"audit_owner";
ALTER FUNCTION audit_events_append_only() OWNER TO :"audit_owner";
ALTER FUNCTION audit_events_append_at_head() OWNER TO :"audit_owner";
REVOKE ALL ON TABLE "AuditEvents" FROM PUBLIC;
REVOKE ALL ON TABLE "AuditEvents" FROM :"app_role";
GRANT SELECT, INSERT ON TABLE "AuditEvents" TO :"app_role";

-- Refuse to finish when the app role could still undo the above.
SELECT format('DO $$ BEGIN RAISE EXCEPTION %L; END $$', 'app role ' || :'app_role' || ' is a superuser, owns the schema, or is a member of ' || :'audit_owner')
WHERE EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'app_role' AND rolsuper)
   OR pg_has_role(:'app_role', :'audit_owner', 'MEMBER')
   OR EXISTS (SELECT 1 FROM pg_namespace n JOIN pg_class c ON c.relnamespace = n.oid
              WHERE c.relname = 'AuditEvents' AND pg_has_role(:'app_role', n.nspowner, 'MEMBER')) \gexec
