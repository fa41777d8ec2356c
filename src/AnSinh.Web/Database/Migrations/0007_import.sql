-- Legacy imports: the uploaded file and its dry-run report are kept, so the commit is a separate,
-- explicit step on exactly the file that was checked (and can be retried), all or nothing.
CREATE TABLE import_batch (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    province_code text NOT NULL REFERENCES province (code),
    commune_code  text REFERENCES commune (code),
    file_name     text NOT NULL,
    sha256        text NOT NULL,
    content       bytea NOT NULL,
    rows_total    integer NOT NULL,
    rows_valid    integer NOT NULL,
    problems      integer NOT NULL,
    report        jsonb NOT NULL,
    status        text NOT NULL CHECK (status IN ('checked', 'committed')),
    created_by    text NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    committed_at  timestamptz
);
CREATE INDEX import_batch_scope_idx ON import_batch (province_code, id);
