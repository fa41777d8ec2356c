-- A move to a place outside the requesting officer's area (another commune's or another province's): the old
-- commune requests it, the receiving place's decider completes it (domain.md: old stops, new decides). Until then
-- nothing changes: the old place keeps paying, so no month is lost; on completion the old periods close the month
-- before the effective month and the new ones open in it, in one transaction, so no month is paid twice.
CREATE TABLE transfer (
    id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    person_id          bigint NOT NULL REFERENCES person (id),
    from_province_code text NOT NULL REFERENCES province (code),
    from_commune_code  text NOT NULL REFERENCES commune (code),
    to_province_code   text NOT NULL REFERENCES province (code),
    to_commune_code    text NOT NULL REFERENCES commune (code),
    effective_month    date NOT NULL CHECK (extract(day FROM effective_month) = 1),
    reason             text NOT NULL CHECK (length(reason) BETWEEN 1 AND 500),
    status             text NOT NULL DEFAULT 'requested' CHECK (status IN ('requested', 'completed', 'refused', 'withdrawn')),
    requested_by       text NOT NULL,
    requested_at       timestamptz NOT NULL,
    decided_by         text,
    decided_at         timestamptz,
    refusal_reason     text CHECK (length(refusal_reason) <= 500),
    CHECK (from_commune_code <> to_commune_code)
);
-- One open request per person.
CREATE UNIQUE INDEX transfer_one_open_idx ON transfer (person_id) WHERE status = 'requested';
CREATE INDEX transfer_to_idx ON transfer (to_province_code, to_commune_code) WHERE status = 'requested';
CREATE INDEX transfer_from_idx ON transfer (from_province_code, from_commune_code);

-- The receiving place's decision is a record like any other.
ALTER TABLE decision ADD COLUMN transfer_id bigint UNIQUE REFERENCES transfer (id);
ALTER TABLE decision DROP CONSTRAINT decision_check;
ALTER TABLE decision ADD CONSTRAINT decision_one_origin CHECK (num_nonnulls(application_id, proposal_id, transfer_id) = 1);
ALTER TABLE decision DROP CONSTRAINT decision_kind_check;
ALTER TABLE decision ADD CONSTRAINT decision_kind_check CHECK (kind IN ('approve', 'suspend', 'resume', 'stop', 'category', 'move'));
