-- The keys that protect sign-in cookies and antiforgery tokens, kept with the data they protect: every instance of
-- one deployment shares them (a cookie issued by one is accepted by another), and no other deployment on the same
-- host can read them (the default key ring in the user's home folder would be shared by both).
CREATE TABLE data_protection_key (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    friendly_name text NOT NULL,
    xml          text NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now()
);

-- Import files hold personal data: kept only while needed. A committed file's bytes are dropped (its hash, counts,
-- report and audit row remain); a dry run never committed is dropped after a week (status 'expired').
ALTER TABLE import_batch ALTER COLUMN content DROP NOT NULL;
ALTER TABLE import_batch DROP CONSTRAINT import_batch_status_check;
ALTER TABLE import_batch ADD CONSTRAINT import_batch_status_check CHECK (status IN ('checked', 'committed', 'expired'));
UPDATE import_batch SET content = NULL WHERE status = 'committed';
ALTER TABLE import_batch ADD CONSTRAINT import_batch_content_while_checked CHECK ((status = 'checked') = (content IS NOT NULL));
