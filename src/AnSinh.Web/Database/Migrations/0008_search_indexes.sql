-- Search at national scale (measured over 6 million people, see docs/benchmarks.md).
-- Name search: one trigram index per province (a province officer's search reads only that province's
-- postings; a multi-column GIN would not partition them) and one national index for admins and inspectors.
-- The 34 province codes are those of the 2025 list embedded in Data/admin-units-2025.csv.
DO $$
DECLARE p text;
BEGIN
    FOREACH p IN ARRAY string_to_array('01 04 08 11 12 14 15 19 20 22 24 25 31 33 37 38 40 42 44 46 48 51 52 56 66 68 75 79 80 82 86 91 92 96', ' ') LOOP
        EXECUTE format('CREATE INDEX IF NOT EXISTS person_trgm_%s_idx ON person USING gin (search_name gin_trgm_ops) WHERE province_code = %L', p, p);
    END LOOP;
END
$$;
-- Open enrolments by province, category and status, for the registry's filters.
CREATE INDEX IF NOT EXISTS enrolment_open_category_idx ON enrolment (province_code, category_code, status)
    WHERE end_month IS NULL AND superseded_at IS NULL;
