-- Disbursement: the files a payer receives for an approved run, the results it sends back, the money transferred to
-- it, the exceptions reconciliation raises and how each was resolved, the settlement printed, and the API tokens a
-- payer's own system uses. Everything here is appended or moves forward through named states; nothing is rewritten.

-- A payer clerk belongs to one payer (a post-office unit or a bank branch) and sees only its runs, files and results.
ALTER TABLE app_user ADD COLUMN payer_id bigint REFERENCES payer (id);
ALTER TABLE app_user ADD CONSTRAINT app_user_payer_only_clerks CHECK (payer_id IS NULL OR role = 'payer_clerk');

-- A bank's reason for a rejected payment (ISO 20022 status reason, e.g. AC04), kept with the outcome it explains.
ALTER TABLE payroll_outcome ADD COLUMN reason_code text CHECK (reason_code ~ '^[A-Z0-9]{4}$');

-- A file for one payer of an approved run. The queue is the table: 'queued' files are claimed with SKIP LOCKED and
-- built in the background; a built file keeps its bytes, so a download is the same bytes every time.
CREATE TABLE payer_file (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    run_id        bigint NOT NULL REFERENCES payroll_run (id),
    province_code text NOT NULL REFERENCES province (code),
    payer_id      bigint NOT NULL REFERENCES payer (id),
    contract_id   bigint REFERENCES payer_contract (id),
    kind          text NOT NULL CHECK (kind IN ('cash_xlsx', 'cash_csv', 'home_xlsx', 'bank_csv', 'pain001')),
    reference     text NOT NULL UNIQUE CHECK (length(reference) BETWEEN 1 AND 35),
    status        text NOT NULL CHECK (status IN ('queued', 'ready', 'failed')),
    line_count    integer,
    control_total bigint,
    sha256        text CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    file_name     text,
    content       bytea,
    failure       text,
    requested_by  text NOT NULL,
    requested_at  timestamptz NOT NULL,
    built_at      timestamptz,
    UNIQUE (run_id, payer_id, kind),
    CHECK ((status = 'ready') = (content IS NOT NULL AND sha256 IS NOT NULL AND line_count IS NOT NULL AND control_total IS NOT NULL))
);
CREATE INDEX payer_file_queued_idx ON payer_file (id) WHERE status = 'queued';

-- How far the building of a file has got, written outside the builder's transaction so that pages can show it.
CREATE TABLE payer_file_progress (
    file_id    bigint PRIMARY KEY REFERENCES payer_file (id),
    done_lines integer NOT NULL,
    all_lines  integer NOT NULL
);

-- A built file never changes: its bytes, counts and hash are what the payer holds.
CREATE FUNCTION payer_file_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' AND OLD.status = 'ready' THEN
        RAISE EXCEPTION 'a built payer file is kept' USING ERRCODE = 'check_violation';
    END IF;
    IF TG_OP = 'UPDATE' AND OLD.status = 'ready' THEN
        RAISE EXCEPTION 'a built payer file never changes' USING ERRCODE = 'check_violation';
    END IF;
    RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END $$;
CREATE TRIGGER payer_file_guard BEFORE UPDATE OR DELETE ON payer_file FOR EACH ROW EXECUTE FUNCTION payer_file_guard();

-- A results file a payer sent back, as committed: which run and payer, its format and hash, what it recorded.
CREATE TABLE payer_result (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    run_id        bigint NOT NULL REFERENCES payroll_run (id),
    province_code text NOT NULL REFERENCES province (code),
    payer_id      bigint NOT NULL REFERENCES payer (id),
    format        text NOT NULL CHECK (format IN ('post_table', 'bank_csv', 'pain002')),
    file_name     text NOT NULL CHECK (length(file_name) BETWEEN 1 AND 255),
    sha256        text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    rows          integer NOT NULL,
    recorded      integer NOT NULL,
    unchanged     integer NOT NULL,
    imported_by   text NOT NULL,
    imported_at   timestamptz NOT NULL
);
CREATE INDEX payer_result_run_idx ON payer_result (run_id, payer_id);

-- Money the office transferred to a payer for a run (Decree 20 Art. 34.4: before the 25th, into its deposit account).
CREATE TABLE payer_transfer (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    run_id         bigint NOT NULL REFERENCES payroll_run (id),
    province_code  text NOT NULL REFERENCES province (code),
    payer_id       bigint NOT NULL REFERENCES payer (id),
    amount         bigint NOT NULL CHECK (amount > 0),
    transferred_on date NOT NULL,
    reference      text NOT NULL CHECK (length(reference) BETWEEN 1 AND 100),
    recorded_by    text NOT NULL,
    recorded_at    timestamptz NOT NULL
);
CREATE INDEX payer_transfer_run_idx ON payer_transfer (run_id, payer_id);

-- What reconciliation found that a person must look at, and how it was resolved (a named action and a reason).
CREATE TABLE payroll_exception (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    run_id        bigint NOT NULL REFERENCES payroll_run (id),
    province_code text NOT NULL REFERENCES province (code),
    payer_id      bigint REFERENCES payer (id),
    line_no       integer,
    kind          text NOT NULL CHECK (kind IN ('bank_rejected', 'paid_after_death', 'proxy_expired', 'results_missing', 'transfer_mismatch')),
    args          jsonb NOT NULL,
    raised_at     timestamptz NOT NULL,
    action        text CHECK (action IN ('reissue_cash', 'recover', 'write_off', 'carry', 'confirm')),
    reason        text CHECK (length(reason) BETWEEN 5 AND 500),
    resolved_by   text,
    resolved_at   timestamptz,
    FOREIGN KEY (run_id, line_no) REFERENCES payroll_line (run_id, line_no),
    CHECK ((action IS NULL) = (resolved_at IS NULL) AND (action IS NULL) = (reason IS NULL) AND (action IS NULL) = (resolved_by IS NULL))
);
CREATE UNIQUE INDEX payroll_exception_once_idx ON payroll_exception (run_id, kind, coalesce(line_no, -1), coalesce(payer_id, -1));
CREATE INDEX payroll_exception_open_idx ON payroll_exception (province_code, run_id) WHERE resolved_at IS NULL;

-- A line's money paid again in a later run through another channel: cash at a point instead of the account that
-- rejected it. The run of that month routes the person to the point; the money itself is the ledger's carry-over.
CREATE TABLE payroll_reissue (
    person_id        bigint NOT NULL REFERENCES person (id),
    month            date NOT NULL CHECK (extract(day FROM month) = 1),
    province_code    text NOT NULL REFERENCES province (code),
    payment_point_id bigint NOT NULL REFERENCES payment_point (id),
    exception_id     bigint NOT NULL REFERENCES payroll_exception (id),
    created_by       text NOT NULL,
    created_at       timestamptz NOT NULL,
    PRIMARY KEY (person_id, month)
);

-- Each printed settlement: the audit log's last row and hash at that moment, to check the chain against paper later.
CREATE TABLE settlement_print (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    run_id        bigint NOT NULL REFERENCES payroll_run (id),
    province_code text NOT NULL REFERENCES province (code),
    contract_id   bigint NOT NULL REFERENCES payer_contract (id),
    audit_id      bigint NOT NULL,
    audit_hash    text NOT NULL,
    printed_by    text NOT NULL,
    printed_at    timestamptz NOT NULL
);

-- A payer system's key to the file and result endpoints: shown once, stored as its SHA-256, scoped to one payer,
-- expiring, revocable.
CREATE TABLE api_token (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    payer_id      bigint NOT NULL REFERENCES payer (id),
    province_code text NOT NULL REFERENCES province (code),
    name          text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    prefix        text NOT NULL CHECK (prefix ~ '^[A-Za-z0-9_-]{8,12}$'),
    secret_sha256 text NOT NULL UNIQUE CHECK (secret_sha256 ~ '^[0-9a-f]{64}$'),
    expires_at    timestamptz NOT NULL,
    created_by    text NOT NULL,
    created_at    timestamptz NOT NULL,
    revoked_by    text,
    revoked_at    timestamptz,
    last_used_at  timestamptz
);
