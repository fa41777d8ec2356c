-- Who decides (Decree 147/2025, from 1/7/2025): the commune chairman, or where the province keeps it, a province
-- approver. Decisions become records: the amount and its lines as decided, the office and the signer.

-- The commune approver (Chủ tịch / Phó Chủ tịch UBND xã) is bound to one commune, like a commune officer.
ALTER TABLE app_user DROP CONSTRAINT app_user_role_check;
ALTER TABLE app_user ADD CONSTRAINT app_user_role_check CHECK (role IN
    ('admin', 'province_officer', 'province_approver', 'commune_officer', 'commune_approver', 'payer_clerk', 'inspector'));
ALTER TABLE app_user DROP CONSTRAINT app_user_scope_fits_role;
ALTER TABLE app_user ADD CONSTRAINT app_user_scope_fits_role CHECK (
    (role = 'admin' AND province_code IS NULL AND commune_code IS NULL)
    OR (role IN ('commune_officer', 'commune_approver') AND province_code IS NOT NULL AND commune_code IS NOT NULL)
    OR (role NOT IN ('admin', 'commune_officer', 'commune_approver') AND province_code IS NOT NULL AND commune_code IS NULL));
-- The title printed above the signature ("Chủ tịch", "Phó Chủ tịch", "Giám đốc Sở Y tế").
ALTER TABLE app_user ADD COLUMN job_title text CHECK (length(job_title) <= 100);

-- Who decides applications and changes in a province: the commune chairman (default) or a province approver.
ALTER TABLE province_setting ADD COLUMN decider text NOT NULL DEFAULT 'commune' CHECK (decider IN ('commune', 'province'));

-- Whoever checked an application may not decide it (nor whoever received it: created_by).
ALTER TABLE application ADD COLUMN checked_by text;

-- A proposed change that needs a decision (suspend, resume, stop, category): proposed by an officer, decided
-- by the province's decider, never by the proposer. The request is kept as sent and applied on approval.
CREATE TABLE change_proposal (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    person_id        bigint NOT NULL REFERENCES person (id),
    province_code    text NOT NULL REFERENCES province (code),
    commune_code     text NOT NULL REFERENCES commune (code),
    programme        text NOT NULL CHECK (programme IN ('social_assistance', 'care_support', 'social_pension')),
    kind             text NOT NULL CHECK (kind IN ('suspend', 'resume', 'stop', 'category')),
    request          jsonb NOT NULL,
    reason           text NOT NULL CHECK (length(reason) BETWEEN 1 AND 500),
    status           text NOT NULL DEFAULT 'proposed' CHECK (status IN ('proposed', 'approved', 'refused')),
    proposed_by      text NOT NULL,
    proposed_at      timestamptz NOT NULL DEFAULT now(),
    decided_by       text,
    refusal_reason   text CHECK (length(refusal_reason) <= 500),
    decided_at       timestamptz
);
-- One open proposal per person and programme: a second waits for the first.
CREATE UNIQUE INDEX change_proposal_one_open_idx ON change_proposal (person_id, programme) WHERE status = 'proposed';
CREATE INDEX change_proposal_scope_idx ON change_proposal (province_code, commune_code) WHERE status = 'proposed';

-- A signed decision as it was made: reprints read this, never today's rules.
CREATE TABLE decision (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    person_id       bigint NOT NULL REFERENCES person (id),
    province_code   text NOT NULL REFERENCES province (code),
    commune_code    text NOT NULL REFERENCES commune (code),
    programme       text NOT NULL CHECK (programme IN ('social_assistance', 'care_support', 'social_pension')),
    kind            text NOT NULL CHECK (kind IN ('approve', 'suspend', 'resume', 'stop', 'category')),
    application_id  bigint UNIQUE REFERENCES application (id),
    proposal_id     bigint UNIQUE REFERENCES change_proposal (id),
    number          text NOT NULL CHECK (length(number) BETWEEN 1 AND 50),
    decided_on      date NOT NULL,
    effective_month date NOT NULL CHECK (extract(day FROM effective_month) = 1),
    office          text NOT NULL,
    signer_title    text NOT NULL,
    signer_name     text NOT NULL,
    decided_by      text NOT NULL,
    -- The monthly amount and its lines on the rules known on the decision date (null for a suspension or stop).
    amount          bigint CHECK (amount >= 0),
    lines           jsonb NOT NULL DEFAULT '[]',
    reason          text,
    created_at      timestamptz NOT NULL DEFAULT now(),
    CHECK ((application_id IS NULL) <> (proposal_id IS NULL))
);
CREATE INDEX decision_person_idx ON decision (person_id);

-- Approvals made before this migration become records too; what they paid was not stored, so their amount stays
-- empty (the print says so) rather than being recomputed on today's rules.
INSERT INTO decision (person_id, province_code, commune_code, programme, kind, application_id, number, decided_on, effective_month,
                      office, signer_title, signer_name, decided_by, reason)
SELECT a.person_id, a.province_code, a.commune_code, a.programme, 'approve', a.id, left(a.decision_number, 50), a.decision_date, a.start_month,
       'Ủy ban nhân dân ' || c.name, 'Chủ tịch', coalesce(u.full_name, a.decided_by, ''), coalesce(a.decided_by, ''), NULL
FROM application a
JOIN commune c ON c.code = a.commune_code
LEFT JOIN app_user u ON u.user_name = a.decided_by
WHERE a.status = 'approved' AND a.decision_number IS NOT NULL AND a.decision_date IS NOT NULL AND a.start_month IS NOT NULL;
