-- A first, minimal registry: people and their enrolments in a programme. The registry issue
-- grows these (effective-dated history, households, payment channels) with later migrations.
CREATE TABLE person (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    citizen_id    text NOT NULL UNIQUE CHECK (citizen_id ~ '^[0-9]{12}$'),
    full_name     text NOT NULL,
    birth_date    date NOT NULL,
    sex           smallint NOT NULL CHECK (sex IN (0, 1)),
    province_code text NOT NULL REFERENCES province (code),
    commune_code  text NOT NULL REFERENCES commune (code),
    address       text,
    phone         text,
    created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX person_scope_idx ON person (province_code, commune_code);

CREATE TABLE enrolment (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    person_id     bigint NOT NULL REFERENCES person (id),
    province_code text NOT NULL REFERENCES province (code),
    commune_code  text NOT NULL REFERENCES commune (code),
    programme     text NOT NULL CHECK (programme IN ('social_assistance', 'care_support', 'social_pension')),
    category_code text NOT NULL,
    severity      text CHECK (severity IN ('severe', 'especially_severe')),
    children      smallint CHECK (children > 0),
    status        text NOT NULL CHECK (status IN ('active', 'suspended', 'stopped')),
    start_month   date NOT NULL CHECK (extract(day FROM start_month) = 1),
    end_month     date CHECK (end_month IS NULL OR end_month >= start_month),
    created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX enrolment_scope_idx ON enrolment (province_code, commune_code, status);
-- One active enrolment per person and programme, nationally.
CREATE UNIQUE INDEX enrolment_one_active_idx ON enrolment (person_id, programme) WHERE status = 'active';
