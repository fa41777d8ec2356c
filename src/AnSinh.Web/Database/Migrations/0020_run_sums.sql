-- What an approved run pays per commune and channel, summed once: an approved run's lines never change (they are
-- guarded), so the dashboards read these few rows instead of summing a province's lines on every view. Written the
-- first time a dashboard reads the run (Features/Oversight/RunSums.cs).
CREATE TABLE payroll_run_sum (
    run_id       bigint NOT NULL REFERENCES payroll_run (id),
    commune_code text NOT NULL,
    channel      text NOT NULL,
    lines        integer NOT NULL,
    regular      bigint NOT NULL,
    back_pay     bigint NOT NULL,
    carry_over   bigint NOT NULL,
    funeral      bigint NOT NULL,
    recovery     bigint NOT NULL,
    total        bigint NOT NULL CHECK (total = regular + back_pay + carry_over + funeral + recovery),
    PRIMARY KEY (run_id, commune_code, channel)
);
