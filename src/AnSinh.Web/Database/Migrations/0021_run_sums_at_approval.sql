-- The run sums are now written when a run is approved (RunSteps), so dashboards only read. Runs approved before that
-- and not yet read by a dashboard are summed here, once.
INSERT INTO payroll_run_sum (run_id, commune_code, channel, lines, regular, back_pay, carry_over, funeral, recovery, total)
SELECT l.run_id, l.commune_code, coalesce(l.channel, 'none'), count(*), sum(l.regular), sum(l.back_pay), sum(l.carry_over), sum(l.funeral), sum(l.recovery), sum(l.total)
FROM payroll_run r JOIN payroll_line l ON l.run_id = r.id
WHERE r.status IN ('approved', 'sent', 'closed') AND NOT EXISTS (SELECT 1 FROM payroll_run_sum s WHERE s.run_id = r.id)
GROUP BY 1, 2, 3
ON CONFLICT DO NOTHING;
