-- Papers kept with a grievance: the citizen's letter as scanned (a complaint by post arrives on paper), evidence
-- gathered, and the signed answer as sent. PDF, JPEG or PNG up to 5 MB, at most 20 per grievance (the command checks).
CREATE TABLE grievance_document (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    grievance_id  bigint NOT NULL REFERENCES grievance (id),
    province_code text NOT NULL REFERENCES province (code),
    kind          text NOT NULL CHECK (kind IN ('letter', 'evidence', 'signed_answer')),
    file_name     text NOT NULL CHECK (length(file_name) BETWEEN 1 AND 110),
    content_type  text NOT NULL CHECK (content_type IN ('application/pdf', 'image/jpeg', 'image/png')),
    size_bytes    integer NOT NULL CHECK (size_bytes > 0 AND size_bytes <= 5242880),
    sha256        text NOT NULL,
    content       bytea NOT NULL,
    uploaded_by   text NOT NULL,
    uploaded_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX grievance_document_grievance_idx ON grievance_document (grievance_id);
