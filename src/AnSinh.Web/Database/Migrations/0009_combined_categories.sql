-- Combined categories (Decree 20 Art. 6.2): an enrolment and an application hold every category the person
-- qualifies for, as a JSON array of {code, severity?, children?}; the rules choose what is paid (the highest
-- coefficient, k4 on top of k5, k6 or k8). The three single-category columns are folded into it.
ALTER TABLE enrolment ADD COLUMN categories jsonb;
UPDATE enrolment SET categories = jsonb_build_array(jsonb_strip_nulls(jsonb_build_object('code', category_code, 'severity', severity, 'children', children)));
ALTER TABLE enrolment ALTER COLUMN categories SET NOT NULL;
ALTER TABLE enrolment ADD CONSTRAINT enrolment_categories_list
    CHECK (jsonb_typeof(categories) = 'array' AND jsonb_array_length(categories) BETWEEN 1 AND 12);
DROP INDEX IF EXISTS enrolment_open_category_idx;
ALTER TABLE enrolment DROP COLUMN category_code, DROP COLUMN severity, DROP COLUMN children;
-- "Open enrolments of province P in category X": province equality (btree_gin) and containment
-- (categories @> '[{"code":"6"}]') in one GIN over the live periods, so a province's filter does not read the nation's.
CREATE EXTENSION IF NOT EXISTS btree_gin;
CREATE INDEX enrolment_open_categories_idx ON enrolment USING gin (province_code, categories jsonb_path_ops)
    WHERE end_month IS NULL AND superseded_at IS NULL;

ALTER TABLE application ADD COLUMN categories jsonb;
UPDATE application SET categories = jsonb_build_array(jsonb_strip_nulls(jsonb_build_object('code', category_code, 'severity', severity, 'children', children)));
ALTER TABLE application ALTER COLUMN categories SET NOT NULL;
ALTER TABLE application ADD CONSTRAINT application_categories_list
    CHECK (jsonb_typeof(categories) = 'array' AND jsonb_array_length(categories) BETWEEN 1 AND 12);
ALTER TABLE application DROP COLUMN category_code, DROP COLUMN severity, DROP COLUMN children;
