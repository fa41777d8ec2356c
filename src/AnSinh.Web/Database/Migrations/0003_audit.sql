-- Tamper-evident audit log. Rows are written by AuditLog in the same transaction as the change
-- they describe; each row's hash covers its content and the previous row's hash (AuditChain in Core).
-- JSON is stored as `json`, not `jsonb`, so the text hashed is the text kept.
CREATE SEQUENCE audit_log_id_seq;

CREATE TABLE audit_log (
    id            bigint PRIMARY KEY,
    at            timestamptz NOT NULL,
    actor         text NOT NULL,
    action        text NOT NULL,
    entity        text NOT NULL,
    entity_key    text NOT NULL,
    province_code text,
    old_values    json,
    new_values    json,
    reason        text,
    previous_hash text NOT NULL CHECK (length(previous_hash) = 64),
    hash          text NOT NULL CHECK (length(hash) = 64)
);
CREATE INDEX audit_log_entity_idx ON audit_log (entity, entity_key);
CREATE INDEX audit_log_province_idx ON audit_log (province_code, id);

-- Append-only, enforced in the schema for every role the application uses: no UPDATE, DELETE or TRUNCATE.
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only: % is not allowed', TG_OP USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER audit_log_no_update_delete BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM PUBLIC;
