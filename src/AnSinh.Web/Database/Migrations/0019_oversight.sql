-- Oversight: grievances with deadlines in working days, and inspections (a plan, its risk-weighted sample, visits and
-- findings, each finding leading to a named action through the registry's own commands).

-- A province's grievance deadlines in working days; NULL keeps the default (Law on Complaints 2011 and Law on
-- Denunciations 2018, counted in working days: see Core/Oversight/GrievanceDeadlines.cs).
ALTER TABLE province_setting ADD COLUMN grievance_accept_days integer CHECK (grievance_accept_days BETWEEN 1 AND 30);
ALTER TABLE province_setting ADD COLUMN complaint_days integer CHECK (complaint_days BETWEEN 1 AND 90);
ALTER TABLE province_setting ADD COLUMN denunciation_days integer CHECK (denunciation_days BETWEEN 1 AND 90);
ALTER TABLE province_setting ADD COLUMN petition_days integer CHECK (petition_days BETWEEN 1 AND 90);

-- A complaint (khiếu nại), denunciation (tố cáo) or petition (kiến nghị, phản ánh): how it came, about whom, who
-- answers it and by when, and the answer with the action it led to. The tracking code is what a citizen follows.
CREATE TABLE grievance (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code           text NOT NULL UNIQUE CHECK (code ~ '^[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}$'),
    province_code  text NOT NULL REFERENCES province (code),
    commune_code   text REFERENCES commune (code),
    kind           text NOT NULL CHECK (kind IN ('complaint', 'denunciation', 'petition')),
    channel        text NOT NULL CHECK (channel IN ('in_person', 'phone', 'post', 'online')),
    topic          text NOT NULL CHECK (topic IN ('not_paid', 'amount', 'eligibility', 'decision', 'payment_point', 'proxy', 'conduct', 'other')),
    person_id      bigint REFERENCES person (id),
    application_id bigint REFERENCES application (id),
    filer_name     text NOT NULL CHECK (length(filer_name) BETWEEN 1 AND 200),
    filer_phone    text CHECK (filer_phone ~ '^[0-9+ ]{6,20}$'),
    filer_address  text CHECK (length(filer_address) <= 300),
    summary        text NOT NULL CHECK (length(summary) BETWEEN 1 AND 4000),
    status         text NOT NULL CHECK (status IN ('received', 'accepted', 'answered', 'withdrawn')),
    received_on    date NOT NULL,
    accept_due_on  date NOT NULL,
    due_on         date NOT NULL CHECK (due_on >= received_on),
    assigned_to    text,
    accepted_on    date,
    escalated_at   timestamptz,
    answer         text CHECK (length(answer) <= 8000),
    answered_on    date,
    answered_by    text,
    action_kind    text CHECK (action_kind IN ('none', 'correction', 'back_pay', 'suspension_lifted', 'suspension', 'recovery', 'referral')),
    action_ref     text CHECK (length(action_ref) <= 200),
    created_at     timestamptz NOT NULL DEFAULT now(),
    created_by     text NOT NULL,
    CHECK ((status = 'answered') = (answer IS NOT NULL AND answered_on IS NOT NULL AND action_kind IS NOT NULL))
);
CREATE INDEX grievance_province_idx ON grievance (province_code, status, due_on);
CREATE INDEX grievance_assignee_idx ON grievance (assigned_to) WHERE status IN ('received', 'accepted');
CREATE INDEX grievance_person_idx ON grievance (person_id) WHERE person_id IS NOT NULL;

-- An inspection plan: a province's sample of beneficiaries per commune, drawn with weights from the risk flags and a
-- seed, so the same seed over the same data draws the same people.
CREATE TABLE inspection_plan (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    province_code text NOT NULL REFERENCES province (code),
    title         text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    seed          bigint NOT NULL,
    per_commune   integer NOT NULL CHECK (per_commune BETWEEN 1 AND 200),
    drawn_on      date NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    created_by    text NOT NULL
);

CREATE TABLE inspection_sample (
    plan_id      bigint NOT NULL REFERENCES inspection_plan (id),
    person_id    bigint NOT NULL REFERENCES person (id),
    commune_code text NOT NULL REFERENCES commune (code),
    rank         integer NOT NULL,
    weight       integer NOT NULL CHECK (weight >= 1),
    flags        text[] NOT NULL,
    PRIMARY KEY (plan_id, person_id)
);

-- A visit to a sampled person (or any person of the province) and what was found.
CREATE TABLE inspection_visit (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    plan_id       bigint NOT NULL REFERENCES inspection_plan (id),
    person_id     bigint NOT NULL REFERENCES person (id),
    province_code text NOT NULL REFERENCES province (code),
    commune_code  text NOT NULL REFERENCES commune (code),
    visited_on    date NOT NULL,
    result        text NOT NULL CHECK (result IN ('confirmed', 'finding', 'not_found')),
    note          text NOT NULL CHECK (length(note) BETWEEN 1 AND 4000),
    created_at    timestamptz NOT NULL DEFAULT now(),
    created_by    text NOT NULL
);
CREATE INDEX inspection_visit_plan_idx ON inspection_visit (plan_id, person_id);

-- A finding names the action it calls for; an officer takes it through the registry's commands (a proposal the
-- decider approves), and the finding keeps the link, so its effect is the next run's.
CREATE TABLE inspection_finding (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    visit_id      bigint NOT NULL REFERENCES inspection_visit (id),
    person_id     bigint NOT NULL REFERENCES person (id),
    province_code text NOT NULL REFERENCES province (code),
    commune_code  text NOT NULL REFERENCES commune (code),
    action        text NOT NULL CHECK (action IN ('correction', 'suspension', 'recovery', 'referral')),
    effective_month date CHECK (extract(day FROM effective_month) = 1),
    description   text NOT NULL CHECK (length(description) BETWEEN 1 AND 4000),
    status        text NOT NULL CHECK (status IN ('open', 'actioned')),
    proposal_id   bigint REFERENCES change_proposal (id),
    referred_to   text CHECK (length(referred_to) <= 200),
    actioned_by   text,
    actioned_at   timestamptz,
    created_at    timestamptz NOT NULL DEFAULT now(),
    created_by    text NOT NULL,
    CHECK ((status = 'actioned') = (actioned_at IS NOT NULL))
);
CREATE INDEX inspection_finding_open_idx ON inspection_finding (province_code, status);
