-- The monthly payroll: runs per province and month, their lines (one per person) and items (one per programme,
-- month and kind: the ledger's issued side), debts left after capped recoveries, months the rules could not price,
-- commune confirmations, outcomes reported by payers, and approvers' waivers. An approved run is frozen here, in the
-- database, not only in the app: the triggers below refuse any change to it or its lines.

ALTER TABLE province_setting
    ADD COLUMN recovery_cap_percent integer NOT NULL DEFAULT 100 CHECK (recovery_cap_percent BETWEEN 0 AND 100),
    -- The ledger's first month: earlier months were settled before AnSinh (null: the province's first run's month).
    ADD COLUMN payroll_from date CHECK (payroll_from IS NULL OR extract(day FROM payroll_from) = 1);

CREATE INDEX enrolment_person_idx ON enrolment (person_id);
CREATE INDEX one_time_payment_province_idx ON one_time_payment (province_code);

CREATE TABLE payroll_run (
    id                   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    province_code        text NOT NULL REFERENCES province (code),
    month                date NOT NULL CHECK (extract(day FROM month) = 1),
    cut_off              date NOT NULL,
    ledger_from          date NOT NULL CHECK (extract(day FROM ledger_from) = 1 AND ledger_from <= month),
    recovery_cap_percent integer NOT NULL CHECK (recovery_cap_percent BETWEEN 0 AND 100),
    status               text NOT NULL CHECK (status IN ('computing', 'failed', 'draft', 'submitted', 'approved', 'sent', 'closed', 'discarded')),
    prepared_by          text NOT NULL,
    prepared_at          timestamptz NOT NULL,
    computed_at          timestamptz,
    failure              text,
    submitted_by         text,
    submitted_at         timestamptz,
    returned_reason      text CHECK (length(returned_reason) <= 500),
    approved_by          text,
    approved_at          timestamptz,
    sent_by              text,
    sent_at              timestamptz,
    closed_at            timestamptz,
    discarded_by         text,
    people               integer NOT NULL DEFAULT 0,
    lines                integer NOT NULL DEFAULT 0,
    items                integer NOT NULL DEFAULT 0,
    total                bigint NOT NULL DEFAULT 0,
    unrouted_lines       integer NOT NULL DEFAULT 0,
    -- People whose whole ledger was read (changed since the previous run, or not in it); the rest only from the first month that can owe anything new.
    full_reads           integer NOT NULL DEFAULT 0,
    content_hash         text,
    -- The database's clock when the computation began: what changed after (less a margin) is read again next time.
    ledger_mark          timestamptz,
    CHECK (status NOT IN ('approved', 'sent', 'closed') OR (approved_by IS NOT NULL AND content_hash IS NOT NULL)),
    CHECK (approved_by IS NULL OR (approved_by <> prepared_by AND approved_by IS DISTINCT FROM submitted_by))
);
-- One run per province and month (a discarded draft frees the month).
CREATE UNIQUE INDEX payroll_run_one_per_month_idx ON payroll_run (province_code, month) WHERE status <> 'discarded';
CREATE INDEX payroll_run_computing_idx ON payroll_run (id) WHERE status = 'computing';

-- Progress of a computation, written outside its transaction so that others can watch it.
CREATE TABLE payroll_progress (
    run_id     bigint PRIMARY KEY REFERENCES payroll_run (id),
    done       integer NOT NULL,
    total      integer NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE payroll_line (
    run_id           bigint NOT NULL,
    line_no          integer NOT NULL,
    person_id        bigint NOT NULL,
    province_code    text NOT NULL,
    commune_code     text NOT NULL,
    category         text,
    channel          text CHECK (channel IN ('cash_point', 'home', 'bank', 'proxy')),
    instruction_id   bigint,
    payment_point_id bigint,
    payer_id         bigint,
    regular          bigint NOT NULL,
    back_pay         bigint NOT NULL,
    carry_over       bigint NOT NULL,
    funeral          bigint NOT NULL,
    recovery         bigint NOT NULL CHECK (recovery <= 0),
    total            bigint NOT NULL CHECK (total = regular + back_pay + carry_over + funeral + recovery),
    PRIMARY KEY (run_id, line_no)
);
CREATE INDEX payroll_line_person_idx ON payroll_line (person_id);
CREATE INDEX payroll_line_commune_idx ON payroll_line (run_id, commune_code);

CREATE TABLE payroll_item (
    run_id      bigint NOT NULL,
    line_no     integer NOT NULL,
    person_id   bigint NOT NULL,
    programme   text NOT NULL,
    month       date NOT NULL,
    kind        text NOT NULL CHECK (kind IN ('regular', 'back_pay', 'carry_over', 'funeral', 'recovery')),
    amount      bigint NOT NULL CHECK ((kind = 'recovery') = (amount < 0) AND amount <> 0),
    owed        bigint NOT NULL,
    coefficient integer NOT NULL,
    base        bigint NOT NULL,
    category    text,
    reference   text,
    reason      text NOT NULL
);
CREATE INDEX payroll_item_person_idx ON payroll_item (person_id, month);
CREATE INDEX payroll_item_line_idx ON payroll_item (run_id, line_no);

CREATE TABLE payroll_debt (
    run_id        bigint NOT NULL,
    person_id     bigint NOT NULL,
    province_code text NOT NULL,
    commune_code  text NOT NULL,
    programme     text NOT NULL,
    month         date NOT NULL,
    amount        bigint NOT NULL CHECK (amount > 0),
    reason        text NOT NULL,
    PRIMARY KEY (run_id, person_id, programme, month)
);

CREATE TABLE payroll_problem (
    run_id        bigint NOT NULL,
    person_id     bigint NOT NULL,
    commune_code  text NOT NULL,
    programme     text NOT NULL,
    month         date NOT NULL,
    reason        text NOT NULL,
    args          jsonb NOT NULL
);
CREATE INDEX payroll_problem_run_idx ON payroll_problem (run_id);

CREATE TABLE payroll_confirmation (
    run_id       bigint NOT NULL REFERENCES payroll_run (id),
    commune_code text NOT NULL REFERENCES commune (code),
    confirmed_by text NOT NULL,
    confirmed_at timestamptz NOT NULL,
    PRIMARY KEY (run_id, commune_code)
);

-- What the payer reported for a line. Recorded once; a different outcome later is a conflict, never an overwrite.
CREATE TABLE payroll_outcome (
    run_id      bigint NOT NULL,
    line_no     integer NOT NULL,
    outcome     text NOT NULL CHECK (outcome IN ('paid', 'unpaid', 'returned')),
    paid_on     date,
    receiver    text CHECK (receiver IN ('self', 'proxy', 'home')),
    note        text CHECK (length(note) <= 300),
    source      text NOT NULL,
    recorded_by text NOT NULL,
    recorded_at timestamptz NOT NULL,
    PRIMARY KEY (run_id, line_no),
    FOREIGN KEY (run_id, line_no) REFERENCES payroll_line (run_id, line_no),
    CHECK ((outcome = 'paid') = (paid_on IS NOT NULL AND receiver IS NOT NULL))
);
CREATE INDEX payroll_outcome_recorded_idx ON payroll_outcome (recorded_at);

-- An approver forgoes a debt: the month counts as settled. Never edited; a mistaken waiver is answered by a new fact.
CREATE TABLE ledger_waiver (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    person_id     bigint NOT NULL REFERENCES person (id),
    province_code text NOT NULL REFERENCES province (code),
    programme     text NOT NULL,
    month         date NOT NULL CHECK (extract(day FROM month) = 1),
    amount        bigint NOT NULL CHECK (amount > 0),
    reason        text NOT NULL CHECK (length(reason) BETWEEN 5 AND 500),
    waived_by     text NOT NULL,
    waived_at     timestamptz NOT NULL
);
CREATE INDEX ledger_waiver_person_idx ON ledger_waiver (person_id);

-- Frozen means frozen: once approved, a run's own row changes only to be marked sent and then closed, and its
-- lines, items, debts and problems change not at all. Checked per statement (a run's lines arrive in bulk).
CREATE FUNCTION payroll_run_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        IF OLD.status IN ('approved', 'sent', 'closed') THEN
            RAISE EXCEPTION 'payroll run % is approved and cannot be deleted', OLD.id USING ERRCODE = 'P0001';
        END IF;
        RETURN OLD;
    END IF;
    IF OLD.status IN ('approved', 'sent', 'closed') THEN
        IF NOT ((OLD.status = 'approved' AND NEW.status IN ('approved', 'sent')) OR (OLD.status = 'sent' AND NEW.status IN ('sent', 'closed')) OR (OLD.status = 'closed' AND NEW.status = 'closed'))
           OR (to_jsonb(NEW) - 'status' - 'sent_by' - 'sent_at' - 'closed_at') <> (to_jsonb(OLD) - 'status' - 'sent_by' - 'sent_at' - 'closed_at')
           OR (OLD.sent_at IS NOT NULL AND NEW.sent_at IS DISTINCT FROM OLD.sent_at)
           OR (OLD.closed_at IS NOT NULL AND NEW.closed_at IS DISTINCT FROM OLD.closed_at) THEN
            RAISE EXCEPTION 'payroll run % is approved and cannot be changed', OLD.id USING ERRCODE = 'P0001';
        END IF;
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER payroll_run_guard BEFORE UPDATE OR DELETE ON payroll_run FOR EACH ROW EXECUTE FUNCTION payroll_run_guard();

-- Two functions, since a statement trigger's function may name only the transition tables its trigger has.
CREATE FUNCTION payroll_rows_guard_new() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM payroll_run r WHERE r.status IN ('approved', 'sent', 'closed') AND r.id IN (SELECT DISTINCT run_id FROM new_rows)) THEN
        RAISE EXCEPTION '% of an approved payroll run refused', TG_TABLE_NAME USING ERRCODE = 'P0001';
    END IF;
    RETURN NULL;
END
$$;
CREATE FUNCTION payroll_rows_guard_old() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM payroll_run r WHERE r.status IN ('approved', 'sent', 'closed') AND r.id IN (SELECT DISTINCT run_id FROM old_rows)) THEN
        RAISE EXCEPTION '% of an approved payroll run refused', TG_TABLE_NAME USING ERRCODE = 'P0001';
    END IF;
    RETURN NULL;
END
$$;

CREATE FUNCTION payroll_truncate_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM payroll_run WHERE status IN ('approved', 'sent', 'closed')) THEN
        RAISE EXCEPTION 'payroll tables hold approved runs and cannot be truncated' USING ERRCODE = 'P0001';
    END IF;
    RETURN NULL;
END
$$;

DO $$
DECLARE t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['payroll_line', 'payroll_item', 'payroll_debt', 'payroll_problem'] LOOP
        EXECUTE format('CREATE TRIGGER %1$s_insert_guard AFTER INSERT ON %1$s REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION payroll_rows_guard_new()', t);
        EXECUTE format('CREATE TRIGGER %1$s_update_old_guard AFTER UPDATE ON %1$s REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION payroll_rows_guard_old()', t);
        EXECUTE format('CREATE TRIGGER %1$s_update_new_guard AFTER UPDATE ON %1$s REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION payroll_rows_guard_new()', t);
        EXECUTE format('CREATE TRIGGER %1$s_delete_guard AFTER DELETE ON %1$s REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION payroll_rows_guard_old()', t);
    END LOOP;
    FOREACH t IN ARRAY ARRAY['payroll_run', 'payroll_line', 'payroll_item', 'payroll_debt', 'payroll_problem', 'payroll_outcome', 'payroll_confirmation', 'ledger_waiver'] LOOP
        EXECUTE format('CREATE TRIGGER %1$s_truncate_guard BEFORE TRUNCATE ON %1$s FOR EACH STATEMENT EXECUTE FUNCTION payroll_truncate_guard()', t);
    END LOOP;
END
$$;

-- Outcomes and waivers are facts: recorded, never edited or removed.
CREATE FUNCTION payroll_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% rows are never changed or removed', TG_TABLE_NAME USING ERRCODE = 'P0001';
END
$$;
CREATE TRIGGER payroll_outcome_append_only BEFORE UPDATE OR DELETE ON payroll_outcome FOR EACH ROW EXECUTE FUNCTION payroll_append_only();
CREATE TRIGGER ledger_waiver_append_only BEFORE UPDATE OR DELETE ON ledger_waiver FOR EACH ROW EXECUTE FUNCTION payroll_append_only();

-- Whose ledger facts changed, and when, by the database's clock: a period recorded, closed or corrected, the person's
-- record, a one-time payment, a waiver, or money reported not paid. A run reads in full the history of anyone touched
-- since the previous run began (less an hour, for writes that began before it and committed after), and for everyone
-- else only the months that can owe something new.
CREATE TABLE ledger_touch (
    person_id  bigint PRIMARY KEY,
    touched_at timestamptz NOT NULL
);
CREATE INDEX ledger_touch_at_idx ON ledger_touch (touched_at);

CREATE FUNCTION ledger_touch_person_id() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO ledger_touch (person_id, touched_at) SELECT DISTINCT person_id, now() FROM touched_rows
    ON CONFLICT (person_id) DO UPDATE SET touched_at = excluded.touched_at;
    RETURN NULL;
END
$$;
CREATE FUNCTION ledger_touch_id() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO ledger_touch (person_id, touched_at) SELECT DISTINCT id, now() FROM touched_rows
    ON CONFLICT (person_id) DO UPDATE SET touched_at = excluded.touched_at;
    RETURN NULL;
END
$$;
CREATE FUNCTION ledger_touch_outcome() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO ledger_touch (person_id, touched_at)
    SELECT DISTINCT l.person_id, now() FROM touched_rows o JOIN payroll_line l ON l.run_id = o.run_id AND l.line_no = o.line_no
    WHERE o.outcome <> 'paid'
    ON CONFLICT (person_id) DO UPDATE SET touched_at = excluded.touched_at;
    RETURN NULL;
END
$$;
CREATE TRIGGER enrolment_touch_insert AFTER INSERT ON enrolment REFERENCING NEW TABLE AS touched_rows FOR EACH STATEMENT EXECUTE FUNCTION ledger_touch_person_id();
CREATE TRIGGER enrolment_touch_update AFTER UPDATE ON enrolment REFERENCING NEW TABLE AS touched_rows FOR EACH STATEMENT EXECUTE FUNCTION ledger_touch_person_id();
CREATE TRIGGER person_touch_update AFTER UPDATE ON person REFERENCING NEW TABLE AS touched_rows FOR EACH STATEMENT EXECUTE FUNCTION ledger_touch_id();
CREATE TRIGGER one_time_payment_touch AFTER INSERT ON one_time_payment REFERENCING NEW TABLE AS touched_rows FOR EACH STATEMENT EXECUTE FUNCTION ledger_touch_person_id();
CREATE TRIGGER ledger_waiver_touch AFTER INSERT ON ledger_waiver REFERENCING NEW TABLE AS touched_rows FOR EACH STATEMENT EXECUTE FUNCTION ledger_touch_person_id();
CREATE TRIGGER payroll_outcome_touch AFTER INSERT ON payroll_outcome REFERENCING NEW TABLE AS touched_rows FOR EACH STATEMENT EXECUTE FUNCTION ledger_touch_outcome();

-- People with periods in more than one province (moved between provinces). A run reads a province's own rows by
-- province, in bulk; these few it also reads person by person, wherever their rows are.
CREATE TABLE person_elsewhere (person_id bigint PRIMARY KEY);
CREATE FUNCTION person_elsewhere_note() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO person_elsewhere (person_id)
    SELECT DISTINCT n.person_id FROM touched_rows n
    WHERE EXISTS (SELECT 1 FROM enrolment e WHERE e.person_id = n.person_id AND e.province_code <> n.province_code)
    ON CONFLICT DO NOTHING;
    RETURN NULL;
END
$$;
CREATE TRIGGER enrolment_elsewhere_insert AFTER INSERT ON enrolment REFERENCING NEW TABLE AS touched_rows FOR EACH STATEMENT EXECUTE FUNCTION person_elsewhere_note();
CREATE TRIGGER enrolment_elsewhere_update AFTER UPDATE ON enrolment REFERENCING NEW TABLE AS touched_rows FOR EACH STATEMENT EXECUTE FUNCTION person_elsewhere_note();
INSERT INTO person_elsewhere (person_id) SELECT person_id FROM enrolment GROUP BY person_id HAVING count(DISTINCT province_code) > 1;
