-- Places in force since 1/7/2025 (two-tier local government) and the mapping from pre-2025 communes.
-- Rows are loaded from the embedded CSVs by PlaceLoader, not here, so a corrected list is a data change.
CREATE EXTENSION IF NOT EXISTS unaccent;
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE TABLE province (
    code text PRIMARY KEY CHECK (code ~ '^[0-9]{2}$'),
    name text NOT NULL
);

CREATE TABLE commune (
    code          text PRIMARY KEY CHECK (code ~ '^[0-9]{5}$'),
    name          text NOT NULL,
    province_code text NOT NULL REFERENCES province (code)
);
CREATE INDEX commune_province_idx ON commune (province_code);

CREATE TABLE commune_mapping (
    old_province_code text NOT NULL,
    old_province_name text NOT NULL,
    old_commune_code  text NOT NULL,
    old_commune_name  text NOT NULL,
    new_commune_code  text NOT NULL REFERENCES commune (code),
    new_commune_name  text NOT NULL,
    PRIMARY KEY (old_commune_code, new_commune_code)
);

-- Which version of each embedded reference file is loaded.
CREATE TABLE reference_data (
    name      text PRIMARY KEY,
    checksum  text NOT NULL,
    rows      integer NOT NULL,
    loaded_at timestamptz NOT NULL DEFAULT now()
);
