-- A province's own levels (Decree 20/2021 Art. 4.3: a province may set a higher base level; some
-- provinces top up the social pension). Effective-dated; periods of one kind never overlap in a province:
-- to change a level, end the current period and start a new one.
CREATE EXTENSION IF NOT EXISTS btree_gist;

CREATE TABLE province_rule_override (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    province_code text NOT NULL REFERENCES province (code),
    kind          text NOT NULL CHECK (kind IN ('base_level', 'social_pension')),
    from_month    date NOT NULL CHECK (extract(day FROM from_month) = 1),
    to_month      date CHECK (to_month IS NULL OR (extract(day FROM to_month) = 1 AND to_month >= from_month)),
    amount        bigint NOT NULL CHECK (amount > 0),
    reference     text NOT NULL CHECK (length(trim(reference)) > 0),
    decided_on    date NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    created_by    text NOT NULL,
    CONSTRAINT province_rule_override_no_overlap EXCLUDE USING gist (
        province_code WITH =, kind WITH =, daterange(from_month, to_month, '[]') WITH &&)
);
