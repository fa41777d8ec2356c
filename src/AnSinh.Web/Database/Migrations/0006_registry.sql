-- The beneficiary registry: households, fuller person records, applications with documents, enrolment
-- periods that never overlap, one-time payments (funeral support), per-province workflow settings.

CREATE TABLE household (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    province_code text NOT NULL REFERENCES province (code),
    commune_code  text NOT NULL REFERENCES commune (code),
    address       text,
    created_at    timestamptz NOT NULL DEFAULT now()
);

ALTER TABLE person
    ADD COLUMN hamlet                     text,
    ADD COLUMN household_id               bigint REFERENCES household (id),
    ADD COLUMN citizen_id_override_reason text,
    ADD COLUMN death_date                 date,
    ADD COLUMN search_name                text NOT NULL DEFAULT '',
    ADD COLUMN updated_at                 timestamptz NOT NULL DEFAULT now();

-- Search without diacritics ("nguyen van an" finds "Nguyễn Văn An"): unaccent() is not immutable, so a
-- trigger keeps a plain lower-case, unaccented copy of the name, indexed with trigrams.
CREATE FUNCTION person_search_name() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.search_name := lower(unaccent(NEW.full_name));
    RETURN NEW;
END
$$;
CREATE TRIGGER person_search_name BEFORE INSERT OR UPDATE OF full_name ON person
    FOR EACH ROW EXECUTE FUNCTION person_search_name();
UPDATE person SET search_name = lower(unaccent(full_name));
CREATE INDEX person_search_name_trgm_idx ON person USING gin (search_name gin_trgm_ops);
CREATE INDEX person_name_vi_idx ON person (province_code, (full_name COLLATE "vi-x-icu"));

-- Enrolment rows are periods: [start_month, end_month] (end inclusive, null = open), each 'active' (paid)
-- or 'suspended'. A change closes the current period and opens the next from the month it takes effect;
-- a correction marks a period superseded instead of deleting it. Stopping closes the period.
ALTER TABLE enrolment
    ADD COLUMN decision_number  text,
    ADD COLUMN decision_date    date,
    ADD COLUMN payment_channel  text NOT NULL DEFAULT 'cash_point' CHECK (payment_channel IN ('cash_point', 'home', 'proxy', 'bank')),
    ADD COLUMN payment_point    text,
    ADD COLUMN bank_account     text,
    ADD COLUMN proxy_name       text,
    ADD COLUMN proxy_citizen_id text,
    ADD COLUMN cared_person_id  bigint REFERENCES person (id),
    ADD COLUMN application_id   bigint,
    ADD COLUMN change_reason    text,
    ADD COLUMN superseded_at    timestamptz,
    ADD COLUMN created_by       text;
DROP INDEX enrolment_one_active_idx;
ALTER TABLE enrolment DROP CONSTRAINT enrolment_status_check;
ALTER TABLE enrolment ADD CONSTRAINT enrolment_status_check CHECK (status IN ('active', 'suspended'));
ALTER TABLE enrolment ADD CONSTRAINT enrolment_end_month_first_day CHECK (end_month IS NULL OR extract(day FROM end_month) = 1);
-- One open period per person and programme, nationally ...
CREATE UNIQUE INDEX enrolment_one_open_idx ON enrolment (person_id, programme) WHERE end_month IS NULL AND superseded_at IS NULL;
-- ... and never two live periods covering the same month: no month paid twice, in any province.
ALTER TABLE enrolment ADD CONSTRAINT enrolment_no_overlap EXCLUDE USING gist (
    person_id WITH =, programme WITH =, daterange(start_month, end_month, '[]') WITH &&) WHERE (superseded_at IS NULL);

CREATE TABLE province_setting (
    province_code    text PRIMARY KEY REFERENCES province (code),
    posting_days     integer NOT NULL DEFAULT 0 CHECK (posting_days BETWEEN 0 AND 30),
    decision_days    integer NOT NULL DEFAULT 10 CHECK (decision_days BETWEEN 1 AND 60)
);

CREATE TABLE application (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    person_id       bigint NOT NULL REFERENCES person (id),
    province_code   text NOT NULL REFERENCES province (code),
    commune_code    text NOT NULL REFERENCES commune (code),
    programme       text NOT NULL CHECK (programme IN ('social_assistance', 'care_support', 'social_pension')),
    category_code   text NOT NULL,
    severity        text CHECK (severity IN ('severe', 'especially_severe')),
    children        smallint CHECK (children > 0),
    cared_person_id bigint REFERENCES person (id),
    channel         text NOT NULL CHECK (channel IN ('in_person', 'post', 'online')),
    received_on     date NOT NULL,
    due_on          date NOT NULL,
    status          text NOT NULL CHECK (status IN ('received', 'checked', 'posted', 'approved', 'refused', 'withdrawn')),
    check_notes     text,
    posting_until   date,
    decision_number text,
    decision_date   date,
    start_month     date CHECK (start_month IS NULL OR extract(day FROM start_month) = 1),
    refusal_reason  text,
    decided_by      text,
    enrolment_id    bigint REFERENCES enrolment (id),
    created_by      text NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX application_scope_idx ON application (province_code, commune_code, status);
ALTER TABLE enrolment ADD CONSTRAINT enrolment_application_fk FOREIGN KEY (application_id) REFERENCES application (id);

CREATE TABLE application_document (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    application_id bigint NOT NULL REFERENCES application (id),
    province_code  text NOT NULL,
    doc_type       text NOT NULL,
    file_name      text NOT NULL,
    content_type   text NOT NULL,
    size_bytes     integer NOT NULL CHECK (size_bytes > 0 AND size_bytes <= 5242880),
    sha256         text NOT NULL,
    content        bytea NOT NULL,
    uploaded_by    text NOT NULL,
    uploaded_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE one_time_payment (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    person_id     bigint NOT NULL REFERENCES person (id),
    province_code text NOT NULL REFERENCES province (code),
    commune_code  text NOT NULL REFERENCES commune (code),
    kind          text NOT NULL CHECK (kind IN ('funeral')),
    month         date NOT NULL CHECK (extract(day FROM month) = 1),
    amount        bigint NOT NULL CHECK (amount > 0),
    reference     text NOT NULL,
    created_by    text NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    UNIQUE (person_id, kind)
);
