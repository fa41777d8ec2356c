-- Two rules the disbursement queries share, each stated once.

-- The contract under which a payer pays a month: in force on some day of that month, the first made if several.
CREATE FUNCTION payer_contract_in_force(payer bigint, month date) RETURNS SETOF payer_contract
LANGUAGE sql STABLE AS $$
    SELECT c.* FROM payer_contract c
    WHERE c.payer_id = payer AND c.valid_from <= (month + interval '1 month' - interval '1 day')::date AND (c.valid_to IS NULL OR c.valid_to >= month)
    ORDER BY c.id LIMIT 1
$$;

-- The run whose unpaid lines a payer still holds the money of, when a run is paid: the province's latest run sent
-- (or closed) before it. Each run's transfer already netted what was held before it, so only this one counts.
CREATE FUNCTION payroll_previous_sent_run(run bigint) RETURNS bigint
LANGUAGE sql STABLE AS $$
    SELECT p.id FROM payroll_run p JOIN payroll_run x ON x.id = run
    WHERE p.province_code = x.province_code AND p.month < x.month AND p.status IN ('sent', 'closed')
    ORDER BY p.month DESC LIMIT 1
$$;

-- The money a payer still holds when a run is paid: its unpaid lines of that previous run.
CREATE FUNCTION payer_held_before(run bigint, payer bigint) RETURNS bigint
LANGUAGE sql STABLE AS $$
    SELECT coalesce(sum(l.total), 0)::bigint FROM payroll_line l JOIN payroll_outcome o ON o.run_id = l.run_id AND o.line_no = l.line_no AND o.outcome = 'unpaid'
    WHERE l.run_id = payroll_previous_sent_run(run) AND l.payer_id = payer
$$;
