-- What an approved run pays per commune, programme and category, summed once at approval (Features/Oversight/RunSums.cs)
-- like payroll_run_sum: the summary report over a period adds these rows instead of every item of every month. lines
-- counts the lines with an item in the category (a line paying two categories counts in each); the report's total of
-- lines comes from payroll_run_sum. Runs approved before are summed here.
CREATE TABLE payroll_run_category_sum (
    run_id       bigint NOT NULL REFERENCES payroll_run (id),
    commune_code text NOT NULL,
    programme    text NOT NULL,
    category     text NOT NULL,
    lines        integer NOT NULL,
    regular      bigint NOT NULL,
    back_pay     bigint NOT NULL,
    carry_over   bigint NOT NULL,
    funeral      bigint NOT NULL,
    recovery     bigint NOT NULL,
    total        bigint NOT NULL CHECK (total = regular + back_pay + carry_over + funeral + recovery),
    PRIMARY KEY (run_id, commune_code, programme, category)
);

INSERT INTO payroll_run_category_sum (run_id, commune_code, programme, category, lines, regular, back_pay, carry_over, funeral, recovery, total)
SELECT i.run_id, l.commune_code, i.programme, coalesce(i.category, '—'), count(DISTINCT i.line_no),
       coalesce(sum(i.amount) FILTER (WHERE i.kind = 'regular'), 0), coalesce(sum(i.amount) FILTER (WHERE i.kind = 'back_pay'), 0),
       coalesce(sum(i.amount) FILTER (WHERE i.kind = 'carry_over'), 0), coalesce(sum(i.amount) FILTER (WHERE i.kind = 'funeral'), 0),
       coalesce(sum(i.amount) FILTER (WHERE i.kind = 'recovery'), 0), sum(i.amount)
FROM payroll_run r JOIN payroll_item i ON i.run_id = r.id JOIN payroll_line l ON l.run_id = i.run_id AND l.line_no = i.line_no
WHERE r.status IN ('approved', 'sent', 'closed')
GROUP BY 1, 2, 3, 4
ON CONFLICT DO NOTHING;
