-- Payment routing: who pays (payers, under contracts with the province, at payment points) and how each person is
-- paid (an effective-dated instruction: cash at a point, at home, into an account, or through a proxy with an
-- authorisation letter). Independent of entitlement: changing an account never touches an enrolment period.

-- Banks by NAPAS BIN. Seeded from github.com/xuannghia/vietnam-qr-pay src/constants/banks.ts
-- @17a05d3f36245c51a4486eba8e21745deea9f232 (MIT, see Data/LICENSE.vietnam-qr-pay); admins add the missing ones.
CREATE TABLE bank (
    bin        text PRIMARY KEY CHECK (bin ~ '^[0-9]{6}$'),
    short_name text NOT NULL CHECK (length(short_name) BETWEEN 1 AND 60),
    name_vi    text NOT NULL CHECK (length(name_vi) BETWEEN 1 AND 200),
    swift      text CHECK (swift ~ '^[A-Z0-9]{8}([A-Z0-9]{3})?$'),
    created_by text NOT NULL DEFAULT 'reference data',
    created_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO bank (bin, short_name, name_vi, swift) VALUES
    ('422589', 'CIMB Bank', 'Ngân hàng TNHH MTV CIMB Việt Nam', 'CIBBVNVN'),
    ('458761', 'HSBC Vietnam', 'Ngân hàng TNHH MTV HSBC (Việt Nam)', 'HSBCVNVX'),
    ('546034', 'CAKE by VPBank', 'Ngân hàng số CAKE by VPBank - Ngân hàng TMCP Việt Nam Thịnh Vượng', NULL),
    ('546035', 'Ubank by VPBank', 'Ngân hàng số Ubank by VPBank - Ngân hàng TMCP Việt Nam Thịnh Vượng', NULL),
    ('668888', 'Kasikornbank', 'Ngân hàng Đại chúng TNHH KASIKORNBANK - CN TP. Hồ Chí Minh', 'KASIVNVX'),
    ('796500', 'DBS Bank', 'NH TNHH MTV Phát triển Singapore - Chi nhánh TP. Hồ Chí Minh', 'DBSSVNVX'),
    ('801011', 'Nonghyup Bank', 'Ngân hàng Nonghyup - Chi nhánh Hà Nội', NULL),
    ('963369', 'Liobank', 'Ngân hàng số Liobank - Ngân hàng TMCP Phương Đông', NULL),
    ('963388', 'Timo', 'Ngân hàng số Timo by Bản Việt Bank', NULL),
    ('970400', 'SaigonBank', 'Ngân hàng TMCP Sài Gòn Công Thương', 'SBITVNVX'),
    ('970403', 'Sacombank', 'Ngân hàng TMCP Sài Gòn Thương Tín', 'SGTTVNVX'),
    ('970405', 'Agribank', 'Ngân hàng Nông nghiệp và Phát triển Nông thôn Việt Nam', 'VBAAVNVX'),
    ('970406', 'Vikki Bank', 'Ngân hàng TNHH MTV Số Vikki', 'EACBVNVX'),
    ('970407', 'Techcombank', 'Ngân hàng TMCP Kỹ thương Việt Nam', 'VTCBVNVX'),
    ('970408', 'GPBank', 'Ngân hàng Thương mại TNHH MTV Dầu Khí Toàn Cầu', 'GBNKVNVX'),
    ('970409', 'BacA Bank', 'Ngân hàng TMCP Bắc Á', 'NASCVNVX'),
    ('970410', 'Standard Chartered Vietnam', 'Ngân hàng TNHH MTV Standard Chartered Bank Việt Nam', 'SCBLVNVX'),
    ('970412', 'PVcomBank', 'Ngân hàng TMCP Đại Chúng Việt Nam', 'WBVNVNVX'),
    ('970414', 'MBV', 'Ngân hàng TNHH MTV Việt Nam Hiện Đại', NULL),
    ('970415', 'VietinBank', 'Ngân hàng TMCP Công thương Việt Nam', 'ICBVVNVX'),
    ('970416', 'ACB', 'Ngân hàng TMCP Á Châu', 'ASCBVNVX'),
    ('970418', 'BIDV', 'Ngân hàng TMCP Đầu tư và Phát triển Việt Nam', 'BIDVVNVX'),
    ('970419', 'NCB Bank', 'Ngân hàng TMCP Quốc Dân', 'NVBAVNVX'),
    ('970421', 'VietNgaBank', 'Ngân hàng Liên doanh Việt - Nga', NULL),
    ('970422', 'MB Bank', 'Ngân hàng TMCP Quân đội', 'MSCBVNVX'),
    ('970423', 'TPBank', 'Ngân hàng TMCP Tiên Phong', 'TPBVVNVX'),
    ('970424', 'Shinhan Bank', 'Ngân hàng TNHH MTV Shinhan Việt Nam', 'SHBKVNVX'),
    ('970425', 'AB Bank', 'Ngân hàng TMCP An Bình', 'ABBKVNVX'),
    ('970426', 'MSB', 'Ngân hàng TMCP Hàng Hải', 'MCOBVNVX'),
    ('970427', 'VietABank', 'Ngân hàng TMCP Việt Á', 'VNACVNVX'),
    ('970428', 'Nam A Bank', 'Ngân hàng TMCP Nam Á', 'NAMAVNVX'),
    ('970429', 'SCB', 'Ngân hàng TMCP Sài Gòn', 'SACLVNVX'),
    ('970430', 'PG Bank', 'Ngân hàng TMCP Xăng dầu Petrolimex', 'PGBLVNVX'),
    ('970431', 'Eximbank', 'Ngân hàng TMCP Xuất Nhập khẩu Việt Nam', 'EBVIVNVX'),
    ('970432', 'VPBank', 'Ngân hàng TMCP Việt Nam Thịnh Vượng', 'VPBKVNVX'),
    ('970433', 'VietBank', 'Ngân hàng TMCP Việt Nam Thương Tín', 'VNTTVNVX'),
    ('970434', 'Indovina Bank', 'Ngân hàng TNHH Indovina', NULL),
    ('970436', 'Vietcombank', 'Ngân hàng TMCP Ngoại Thương Việt Nam', 'BFTVVNVX'),
    ('970437', 'HDBank', 'Ngân hàng TMCP Phát triển TP. Hồ Chí Minh', 'HDBCVNVX'),
    ('970438', 'BaoViet Bank', 'Ngân hàng TMCP Bảo Việt', 'BVBVVNVX'),
    ('970439', 'Public Bank Vietnam', 'Ngân hàng TNHH MTV Public Việt Nam', 'VIDPVNVX'),
    ('970440', 'SeABank', 'Ngân hàng TMCP Đông Nam Á', 'SEAVVNVX'),
    ('970441', 'VIB', 'Ngân hàng TMCP Quốc tế Việt Nam', 'VNIBVNVX'),
    ('970442', 'HongLeong Bank', 'Ngân hàng TNHH MTV Hong Leong Việt Nam', 'HLBBVNVX'),
    ('970443', 'SHB', 'Ngân hàng TMCP Sài Gòn - Hà Nội', 'SHBAVNVX'),
    ('970444', 'CB Bank', 'Ngân hàng Thương mại TNHH MTV Xây dựng Việt Nam', 'GTBAVNVX'),
    ('970446', 'Co-op Bank', 'Ngân hàng Hợp tác xã Việt Nam', NULL),
    ('970448', 'OCB Bank', 'Ngân hàng TMCP Phương Đông', 'ORCOVNVX'),
    ('970449', 'LPBank', 'Ngân hàng TMCP Lộc Phát Việt Nam', 'LVBKVNVX'),
    ('970452', 'KienlongBank', 'Ngân hàng TMCP Kiên Long', 'KLBKVNVX'),
    ('970454', 'BVBank', 'Ngân hàng TMCP Bản Việt', 'VCBCVNVX'),
    ('970455', 'IBK HN', 'Ngân hàng Công nghiệp Hàn Quốc - Chi nhánh Hà Nội', NULL),
    ('970456', 'IBK HCM', 'Ngân hàng Công nghiệp Hàn Quốc - Chi nhánh TP. Hồ Chí Minh', NULL),
    ('970457', 'Woori Bank', 'Ngân hàng TNHH MTV Woori Việt Nam', NULL),
    ('970458', 'United Overseas Bank Vietnam', 'Ngân hàng United Overseas Bank Việt Nam', NULL),
    ('970462', 'Kookmin Bank HN', 'Ngân hàng Kookmin - Chi nhánh Hà Nội', NULL),
    ('970463', 'Kookmin Bank HCM', 'Ngân hàng Kookmin - Chi nhánh TP. Hồ Chí Minh', NULL);

-- A payer: a post-office unit or a bank branch serving a province.
CREATE TABLE payer (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    province_code text NOT NULL REFERENCES province (code),
    kind          text NOT NULL CHECK (kind IN ('post_office', 'bank')),
    name          text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    bank_bin      text REFERENCES bank (bin),
    created_by    text NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    UNIQUE (province_code, name),
    CHECK ((kind = 'bank') = (bank_bin IS NOT NULL))
);

-- The contract (Decree 20 Art. 34.3): scope (communes), methods, fee as a percentage of the money paid
-- (Circular 76/2021 Art. 3.7) in hundredths of a percent, the days of the month for each deadline, validity.
CREATE TABLE payer_contract (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    province_code    text NOT NULL REFERENCES province (code),
    payer_id         bigint NOT NULL REFERENCES payer (id),
    reference        text NOT NULL CHECK (length(reference) BETWEEN 1 AND 100),
    pays_cash        boolean NOT NULL,
    pays_account     boolean NOT NULL,
    fee_basis_points integer NOT NULL CHECK (fee_basis_points BETWEEN 0 AND 1000),
    transfer_day     smallint NOT NULL CHECK (transfer_day BETWEEN 1 AND 28),
    pay_from_day     smallint NOT NULL CHECK (pay_from_day BETWEEN 1 AND 28),
    pay_to_day       smallint NOT NULL CHECK (pay_to_day BETWEEN 1 AND 28),
    results_day      smallint NOT NULL CHECK (results_day BETWEEN 1 AND 28),
    settlement_day   smallint NOT NULL CHECK (settlement_day BETWEEN 1 AND 28),
    valid_from       date NOT NULL,
    valid_to         date,
    created_by       text NOT NULL,
    created_at       timestamptz NOT NULL DEFAULT now(),
    CHECK (pays_cash OR pays_account),
    CHECK (pay_from_day <= pay_to_day),
    CHECK (valid_to IS NULL OR valid_to >= valid_from)
);
CREATE TABLE payer_contract_commune (
    contract_id  bigint NOT NULL REFERENCES payer_contract (id),
    commune_code text NOT NULL REFERENCES commune (code),
    PRIMARY KEY (contract_id, commune_code)
);
CREATE INDEX payer_contract_commune_idx ON payer_contract_commune (commune_code);

-- A payment point in a commune, served by a payer, with its payment days (e.g. 7 to 15).
CREATE TABLE payment_point (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    province_code text NOT NULL REFERENCES province (code),
    commune_code  text NOT NULL REFERENCES commune (code),
    payer_id      bigint REFERENCES payer (id),
    name          text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    address       text CHECK (length(address) <= 300),
    first_day     smallint NOT NULL CHECK (first_day BETWEEN 1 AND 28),
    last_day      smallint NOT NULL CHECK (last_day BETWEEN 1 AND 28),
    active        boolean NOT NULL DEFAULT true,
    created_by    text NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    CHECK (first_day <= last_day),
    UNIQUE (commune_code, name)
);

-- An authorisation letter (giấy ủy quyền): who may collect for the person, for how long, with the scan.
CREATE TABLE proxy_authorisation (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    person_id      bigint NOT NULL REFERENCES person (id),
    province_code  text NOT NULL REFERENCES province (code),
    commune_code   text NOT NULL REFERENCES commune (code),
    full_name      text NOT NULL CHECK (length(full_name) BETWEEN 1 AND 100),
    citizen_id     text NOT NULL CHECK (citizen_id ~ '^[0-9]{12}$'),
    birth_date     date,
    relationship   text NOT NULL CHECK (length(relationship) BETWEEN 1 AND 50),
    phone          text CHECK (length(phone) <= 20),
    address        text CHECK (length(address) <= 300),
    reference      text CHECK (length(reference) <= 100),
    valid_from     date,
    valid_to       date,
    letter         bytea CHECK (octet_length(letter) <= 5242880),
    letter_type    text CHECK (letter_type IN ('application/pdf', 'image/jpeg', 'image/png')),
    letter_sha256  text,
    revoked_at     timestamptz,
    created_by     text NOT NULL,
    created_at     timestamptz NOT NULL DEFAULT now(),
    CHECK (valid_to IS NULL OR valid_from IS NULL OR valid_to >= valid_from)
);
CREATE INDEX proxy_authorisation_person_idx ON proxy_authorisation (person_id);

-- How a person is paid from a month on; programme NULL = every programme of the person unless one has its own.
CREATE TABLE payment_instruction (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    person_id        bigint NOT NULL REFERENCES person (id),
    province_code    text NOT NULL REFERENCES province (code),
    commune_code     text NOT NULL REFERENCES commune (code),
    programme        text CHECK (programme IN ('social_assistance', 'care_support', 'social_pension')),
    method           text NOT NULL CHECK (method IN ('cash_point', 'home', 'bank', 'proxy')),
    payment_point_id bigint REFERENCES payment_point (id),
    home_reason      text CHECK (length(home_reason) <= 300),
    bank_bin         text REFERENCES bank (bin),
    account_number   text CHECK (account_number ~ '^[0-9]{6,19}$'),
    account_holder   text CHECK (length(account_holder) <= 100),
    proxy_id         bigint REFERENCES proxy_authorisation (id),
    start_month      date NOT NULL CHECK (extract(day FROM start_month) = 1),
    end_month        date CHECK (end_month IS NULL OR (extract(day FROM end_month) = 1 AND end_month >= start_month)),
    reason           text CHECK (length(reason) <= 500),
    created_by       text NOT NULL,
    created_at       timestamptz NOT NULL DEFAULT now(),
    superseded_at    timestamptz,
    CHECK (method <> 'cash_point' OR payment_point_id IS NOT NULL),
    CHECK (method <> 'home' OR home_reason IS NOT NULL),
    CHECK (method <> 'proxy' OR (proxy_id IS NOT NULL AND payment_point_id IS NOT NULL)),
    CHECK (method <> 'bank' OR (account_number IS NOT NULL AND account_holder IS NOT NULL))
);
CREATE INDEX payment_instruction_person_idx ON payment_instruction (person_id);
CREATE INDEX payment_instruction_scope_idx ON payment_instruction (province_code, commune_code) WHERE superseded_at IS NULL;
-- Never two live instructions for the same person, programme (or all) and month.
ALTER TABLE payment_instruction ADD CONSTRAINT payment_instruction_no_overlap EXCLUDE USING gist (
    person_id WITH =, (coalesce(programme, '*')) WITH =, daterange(start_month, end_month, '[]') WITH &&) WHERE (superseded_at IS NULL);

-- Today's free-text payment columns become instructions. Points named in free text (or none) become points of
-- the commune without a payer yet; accounts without a bank and proxies without a letter's dates are kept, and
-- show on the list of people to fix before the next payment.
INSERT INTO payment_point (province_code, commune_code, name, first_day, last_day, created_by)
SELECT DISTINCT e.province_code, e.commune_code, coalesce(CASE WHEN e.payment_channel IN ('cash_point', 'proxy', 'home') THEN nullif(btrim(e.payment_point), '') END, 'Điểm chi trả ' || c.name), 7, 15, 'migration'
FROM enrolment e JOIN commune c ON c.code = e.commune_code
WHERE e.superseded_at IS NULL AND e.end_month IS NULL
ON CONFLICT DO NOTHING;

INSERT INTO proxy_authorisation (person_id, province_code, commune_code, full_name, citizen_id, relationship, created_by)
SELECT DISTINCT ON (e.person_id) e.person_id, e.province_code, e.commune_code, e.proxy_name, e.proxy_citizen_id, 'chưa ghi', 'migration'
FROM enrolment e
WHERE e.superseded_at IS NULL AND e.end_month IS NULL AND e.payment_channel = 'proxy' AND e.proxy_citizen_id ~ '^[0-9]{12}$' AND e.proxy_name IS NOT NULL
ORDER BY e.person_id, e.id;

INSERT INTO payment_instruction (person_id, province_code, commune_code, method, payment_point_id, home_reason, account_number, account_holder, proxy_id, start_month, reason, created_by)
SELECT DISTINCT ON (e.person_id) e.person_id, e.province_code, e.commune_code,
    CASE WHEN e.payment_channel = 'proxy' AND pa.id IS NULL THEN 'cash_point'
         WHEN e.payment_channel = 'bank' AND coalesce(regexp_replace(e.bank_account, '[^0-9]', '', 'g'), '') !~ '^[0-9]{6,19}$' THEN 'cash_point'
         ELSE e.payment_channel END,
    pp.id,
    CASE WHEN e.payment_channel = 'home' THEN 'chuyển từ dữ liệu cũ: chưa ghi lý do' END,
    CASE WHEN e.payment_channel = 'bank' THEN nullif(regexp_replace(e.bank_account, '[^0-9]', '', 'g'), '') END,
    CASE WHEN e.payment_channel = 'bank' THEN p.full_name END,
    pa.id, e.start_month, 'chuyển từ thông tin nhận tiền cũ', 'migration'
FROM enrolment e
JOIN person p ON p.id = e.person_id
JOIN commune c ON c.code = e.commune_code
JOIN payment_point pp ON pp.commune_code = e.commune_code AND pp.name = coalesce(CASE WHEN e.payment_channel IN ('cash_point', 'proxy', 'home') THEN nullif(btrim(e.payment_point), '') END, 'Điểm chi trả ' || c.name)
LEFT JOIN proxy_authorisation pa ON pa.person_id = e.person_id AND pa.created_by = 'migration'
WHERE e.superseded_at IS NULL AND e.end_month IS NULL
ORDER BY e.person_id, (e.programme = 'social_assistance') DESC, e.id;
ALTER TABLE enrolment DROP COLUMN payment_channel, DROP COLUMN payment_point, DROP COLUMN bank_account,
    DROP COLUMN proxy_name, DROP COLUMN proxy_citizen_id;
