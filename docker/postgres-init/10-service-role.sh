#!/bin/sh
# Creates the service's login role: the app logs in as it (DATABASE_URL) and gets its privileges from the owner's
# migrations (DATABASE_OWNER_URL), never ownership: so it cannot disable the audit trail's trigger or rewrite history.
# Runs once when the postgres image initialises an empty volume; idempotent, so it may also be run by hand.
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  -v app_password="$TRACKER_APP_PASSWORD" -v db="$POSTGRES_DB" <<'SQL'
SELECT 'CREATE ROLE tracker_app LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT'
 WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'tracker_app') \gexec
ALTER ROLE tracker_app PASSWORD :'app_password';
GRANT CONNECT ON DATABASE :"db" TO tracker_app;
SQL
