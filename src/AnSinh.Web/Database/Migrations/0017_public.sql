-- The public side: whether a province posts its communes' lists of beneficiaries on the web (công khai). The printed
-- list is posted at the commune office either way; off by default, a province chooses.
ALTER TABLE province_setting ADD COLUMN public_posting boolean NOT NULL DEFAULT false;
