-- A run's people are its lines (one line per person): the column said the same thing twice.
ALTER TABLE payroll_run DROP COLUMN people;
