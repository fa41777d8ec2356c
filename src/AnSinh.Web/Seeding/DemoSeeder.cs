using AnSinh.Core.People;
using AnSinh.Core.Rules;
using AnSinh.Web.Audit;
using AnSinh.Web.Features.People;
using Bogus;
using Npgsql;
using NpgsqlTypes;

using AnSinh.Web.Database;

namespace AnSinh.Web.Seeding;

/// <summary>
/// Synthetic beneficiaries over the real communes of one province, with the category mix of the
/// Chợ Đồn field figures (domain.md, Aug 2020: 1,714 beneficiaries). Deterministic for a given seed.
/// </summary>
public static class DemoSeeder
{
    /// <summary>One kind of demo beneficiary: its share, age range and enrolment.</summary>
    private sealed record Kind(int Share, int MinAge, int MaxAge, string Programme, string Category, string? Severity = null);

    // Chợ Đồn: 16 children without support, 8 HIV-positive poor, 84 single parents, 553 elderly,
    // 785 disabled, 268 carer households. The split of the elderly between 5a/5b/5c and of the
    // disabled by severity is not in the figures: the splits below are assumptions.
    private static readonly Kind[] Mix =
    [
        new(16, 0, 15, Programme.SocialAssistance, "1"),
        new(8, 20, 55, Programme.SocialAssistance, "8"),
        new(84, 22, 50, Programme.SocialAssistance, "4"),
        new(83, 60, 79, Programme.SocialAssistance, "5a"),
        new(55, 75, 79, Programme.SocialAssistance, "5b"),
        new(415, 80, 98, Programme.SocialAssistance, "5c"),
        new(510, 3, 85, Programme.SocialAssistance, "6", "severe"),
        new(275, 3, 85, Programme.SocialAssistance, "6", "especially_severe"),
        new(268, 25, 65, Programme.CareSupport, "household_especially_severe"),
    ];

    private static readonly string[] Hamlets = ["Thôn Bản Chang", "Thôn Nà Pài", "Thôn Khuổi Đăm", "Thôn Pác Cáp", "Thôn Bản Tàn", "Tổ 1", "Tổ 2", "Tổ 3", "Tổ 5", "Thôn Nà Lẹng", "Thôn Phiêng Khảo", "Thôn Bản Duồm"];
    private static readonly string[] MaleMiddle = ["Văn", "Đức", "Minh", "Quang", "Hữu", "Công"];
    private static readonly string[] FemaleMiddle = ["Thị", "Thị", "Ngọc", "Thu", "Thanh", "Kim"];

    public sealed record Result(int People, int Enrolments, bool Skipped);

    public static async Task<Result> SeedAsync(NpgsqlDataSource dataSource, string provinceCode, int count, DateTimeOffset now, bool onlyIfEmpty,
        int seed, string actor, IProgress<int>? progress, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        var today = DateOnly.FromDateTime(now.Date);
        await using var conn = await dataSource.OpenConnectionAsync(ct).ConfigureAwait(false);
        await using var tx = await conn.BeginTransactionAsync(ct).ConfigureAwait(false);

        var communes = await ListAsync(conn, tx, "SELECT code FROM commune WHERE province_code = @p ORDER BY code", provinceCode, ct).ConfigureAwait(false);
        if (communes.Count == 0)
        {
            throw new ArgumentException($"Không có tỉnh mã '{provinceCode}' (hoặc tỉnh chưa có xã nào): dùng mã 2 chữ số, ví dụ 19.");
        }

        if (onlyIfEmpty && (await ListAsync(conn, tx, "SELECT 1::text FROM person WHERE province_code = @p LIMIT 1", provinceCode, ct).ConfigureAwait(false)).Count > 0)
        {
            return new Result(0, 0, Skipped: true);
        }

        // Birth registrations use the pre-2025 province codes of the places that now form this province.
        var birthProvinces = (await ListAsync(conn, tx,
                "SELECT DISTINCT '0' || m.old_province_code FROM commune_mapping m JOIN commune c ON c.code = m.new_commune_code WHERE c.province_code = @p", provinceCode, ct).ConfigureAwait(false))
            .Where(CitizenId.BirthProvinceCodes.Contains).ToList();
        if (birthProvinces.Count == 0)
        {
            birthProvinces = [.. CitizenId.BirthProvinceCodes];
        }

        var taken = new HashSet<string>(await ListAsync(conn, tx, "SELECT citizen_id FROM person", null, ct).ConfigureAwait(false), StringComparer.Ordinal);
        var faker = new Faker("vi") { Random = new Randomizer(seed) };
        var totalShare = Mix.Sum(k => k.Share);

        await using (var cmd = new NpgsqlCommand(
            "CREATE TEMP TABLE seed_enrolment (citizen_id text, programme text, category_code text, severity text, children smallint, start_month date) ON COMMIT DROP", conn, tx))
        {
            await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }

        var rows = new List<(string Id, string Name, DateOnly Birth, Sex Sex, string Commune, string Address, string? Phone, Kind Kind, short? Children, DateOnly Start)>(count);
        for (var i = 0; i < count; i++)
        {
            var kind = PickKind(faker, totalShare);
            var sex = kind.Category == "4" && faker.Random.Bool(0.8f) ? Sex.Female : faker.PickRandom<Sex>();
            var age = faker.Random.Int(kind.MinAge, kind.MaxAge);
            var birth = today.AddYears(-age).AddDays(-faker.Random.Int(0, 364));
            string id;
            do
            {
                id = CitizenId.Compose(faker.PickRandom(birthProvinces), birth.Year, sex, faker.Random.Int(0, 999_999));
            }
            while (!taken.Add(id));

            var name = $"{faker.Name.LastName()} {faker.PickRandom(sex == Sex.Male ? MaleMiddle : FemaleMiddle)} {faker.Name.FirstName(sex == Sex.Male ? Bogus.DataSets.Name.Gender.Male : Bogus.DataSets.Name.Gender.Female)}";
            var earliest = new DateOnly(birth.Year, birth.Month, 1).AddYears(kind.MinAge);
            var start = new DateOnly(today.Year, today.Month, 1).AddMonths(-faker.Random.Int(0, 96));
            if (start < earliest)
            {
                start = earliest;
            }

            rows.Add((id, name, birth, sex, faker.PickRandom(communes), $"{faker.PickRandom(Hamlets)}", faker.Random.Bool(0.6f) ? "09" + faker.Random.ReplaceNumbers("########") : null,
                kind, kind.Category == "4" ? (short)faker.Random.Int(1, 3) : null, start));
        }

        await using (var w = await conn.BeginBinaryImportAsync(
            "COPY person (citizen_id, full_name, birth_date, sex, province_code, commune_code, address, phone) FROM STDIN (FORMAT BINARY)", ct).ConfigureAwait(false))
        {
            var done = 0;
            foreach (var r in rows)
            {
                await w.StartRowAsync(ct).ConfigureAwait(false);
                await w.WriteAsync(r.Id, NpgsqlDbType.Text, ct).ConfigureAwait(false);
                await w.WriteAsync(r.Name, NpgsqlDbType.Text, ct).ConfigureAwait(false);
                await w.WriteAsync(r.Birth, NpgsqlDbType.Date, ct).ConfigureAwait(false);
                await w.WriteAsync((short)r.Sex, NpgsqlDbType.Smallint, ct).ConfigureAwait(false);
                await w.WriteAsync(provinceCode, NpgsqlDbType.Text, ct).ConfigureAwait(false);
                await w.WriteAsync(r.Commune, NpgsqlDbType.Text, ct).ConfigureAwait(false);
                await w.WriteAsync(r.Address, NpgsqlDbType.Text, ct).ConfigureAwait(false);
                await w.WriteNullableAsync(r.Phone, NpgsqlDbType.Text, ct).ConfigureAwait(false);
                if (++done % 1000 == 0)
                {
                    progress?.Report(done / 2);
                }
            }

            await w.CompleteAsync(ct).ConfigureAwait(false);
        }

        await using (var w = await conn.BeginBinaryImportAsync(
            "COPY seed_enrolment (citizen_id, programme, category_code, severity, children, start_month) FROM STDIN (FORMAT BINARY)", ct).ConfigureAwait(false))
        {
            var done = 0;
            foreach (var r in rows)
            {
                await w.StartRowAsync(ct).ConfigureAwait(false);
                await w.WriteAsync(r.Id, NpgsqlDbType.Text, ct).ConfigureAwait(false);
                await w.WriteAsync(r.Kind.Programme, NpgsqlDbType.Text, ct).ConfigureAwait(false);
                await w.WriteAsync(r.Kind.Category, NpgsqlDbType.Text, ct).ConfigureAwait(false);
                await w.WriteNullableAsync(r.Kind.Severity, NpgsqlDbType.Text, ct).ConfigureAwait(false);
                await w.WriteNullableAsync(r.Children, NpgsqlDbType.Smallint, ct).ConfigureAwait(false);
                await w.WriteAsync(r.Start, NpgsqlDbType.Date, ct).ConfigureAwait(false);
                if (++done % 1000 == 0)
                {
                    progress?.Report((count / 2) + (done / 2));
                }
            }

            await w.CompleteAsync(ct).ConfigureAwait(false);
        }

        int enrolments;
        await using (var cmd = new NpgsqlCommand("""
            INSERT INTO enrolment (person_id, province_code, commune_code, programme, categories, status, start_month)
            SELECT p.id, p.province_code, p.commune_code, s.programme, jsonb_build_array(jsonb_strip_nulls(jsonb_build_object('code', s.category_code, 'severity', s.severity, 'children', s.children))), 'active', s.start_month
            FROM seed_enrolment s JOIN person p ON p.citizen_id = s.citizen_id
            """, conn, tx))
        {
            enrolments = await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }

        // A carer household cares for someone: an especially severely disabled person of the same commune where there
        // is one, else of the province, so care support has the cared person's age to be priced on.
        await using (var cmd = new NpgsqlCommand("""
            WITH cared AS (
                SELECT e.person_id, e.commune_code, row_number() OVER (PARTITION BY e.commune_code ORDER BY e.id) AS n,
                       count(*) OVER (PARTITION BY e.commune_code) AS of
                FROM enrolment e WHERE e.province_code = @province AND e.categories @> '[{"code":"6","severity":"especially_severe"}]'),
            anyone AS (SELECT person_id, row_number() OVER (ORDER BY person_id) AS n, count(*) OVER () AS of FROM cared)
            UPDATE enrolment c SET cared_person_id = coalesce(
                (SELECT x.person_id FROM cared x WHERE x.commune_code = c.commune_code AND x.n = 1 + c.id % x.of),
                (SELECT a.person_id FROM anyone a WHERE a.n = 1 + c.id % a.of))
            WHERE c.province_code = @province AND c.programme = 'care_support' AND c.cared_person_id IS NULL
            """, conn, tx))
        {
            cmd.Parameters.AddWithValue("province", provinceCode);
            await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }

        // Who pays them: the province's post office under a contract for cash in the seeded communes, a bank branch
        // under one for accounts, a payment point per commune (days 7 to 15), and an instruction per person: most
        // collect cash at the point, one in five is paid into an account (holder written as banks print it), a few at
        // home; every one valid, so the list to fix starts empty.
        await using (var cmd = new NpgsqlCommand("""
            WITH payer AS (
                INSERT INTO payer (province_code, kind, name, created_by)
                SELECT @province, 'post_office', 'Bưu điện ' || pr.name, @actor FROM province pr WHERE pr.code = @province
                ON CONFLICT (province_code, name) DO UPDATE SET name = EXCLUDED.name RETURNING id),
            contract AS (
                INSERT INTO payer_contract (province_code, payer_id, reference, pays_cash, pays_account, fee_basis_points, transfer_day,
                    pay_from_day, pay_to_day, results_day, settlement_day, valid_from, created_by)
                SELECT @province, payer.id, 'HĐ-' || @province || '/2026/BĐ', true, false, 55, 24, 7, 15, 18, 20, date '2026-01-01', @actor FROM payer
                WHERE NOT EXISTS (SELECT 1 FROM payer_contract c WHERE c.payer_id = payer.id) RETURNING id),
            bank AS (
                INSERT INTO payer (province_code, kind, name, bank_bin, created_by)
                SELECT @province, 'bank', 'Agribank chi nhánh ' || pr.name, '970405', @actor FROM province pr WHERE pr.code = @province
                ON CONFLICT (province_code, name) DO UPDATE SET name = EXCLUDED.name RETURNING id),
            bank_contract AS (
                INSERT INTO payer_contract (province_code, payer_id, reference, pays_cash, pays_account, fee_basis_points, transfer_day,
                    pay_from_day, pay_to_day, results_day, settlement_day, valid_from, created_by)
                SELECT @province, bank.id, 'HĐ-' || @province || '/2026/NH', false, true, 20, 24, 5, 5, 12, 20, date '2026-01-01', @actor FROM bank
                WHERE NOT EXISTS (SELECT 1 FROM payer_contract c WHERE c.payer_id = bank.id) RETURNING id),
            communes AS (SELECT DISTINCT p.commune_code FROM person p WHERE p.province_code = @province),
            covered AS (INSERT INTO payer_contract_commune (contract_id, commune_code) SELECT contract.id, c.commune_code FROM contract, communes c),
            bank_covered AS (INSERT INTO payer_contract_commune (contract_id, commune_code) SELECT bank_contract.id, c.commune_code FROM bank_contract, communes c)
            INSERT INTO payment_point (province_code, commune_code, payer_id, name, address, first_day, last_day, created_by)
            SELECT @province, c.commune_code, payer.id, 'Điểm chi trả ' || co.name, 'Nhà văn hoá ' || co.name, 7, 15, @actor
            FROM communes c JOIN commune co ON co.code = c.commune_code, payer
            ON CONFLICT (commune_code, name) DO NOTHING
            """, conn, tx))
        {
            cmd.Parameters.AddWithValue("province", provinceCode);
            cmd.Parameters.AddWithValue("actor", actor);
            await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }

        await using (var cmd = new NpgsqlCommand("""
            INSERT INTO payment_instruction (person_id, province_code, commune_code, method, payment_point_id, home_reason, bank_bin, account_number, account_holder, start_month, reason, created_by)
            SELECT p.id, p.province_code, p.commune_code,
                   CASE WHEN p.id % 5 = 0 THEN 'bank' WHEN p.id % 29 = 0 THEN 'home' ELSE 'cash_point' END,
                   CASE WHEN p.id % 5 = 0 OR p.id % 29 = 0 THEN NULL ELSE pp.id END,
                   CASE WHEN p.id % 5 <> 0 AND p.id % 29 = 0 THEN 'ốm, không đi lại được' END,
                   CASE WHEN p.id % 5 = 0 THEN (ARRAY['970405', '970415', '970436', '970418'])[1 + (p.id % 4)::int] END,
                   CASE WHEN p.id % 5 = 0 THEN lpad((p.id * 7919 % 1000000000000)::text, 12, '0') END,
                   CASE WHEN p.id % 5 = 0 THEN upper(unaccent(p.full_name)) END,
                   min(e.start_month), 'dữ liệu mẫu', @actor
            FROM person p
            JOIN enrolment e ON e.person_id = p.id
            JOIN commune co ON co.code = p.commune_code
            JOIN payment_point pp ON pp.commune_code = p.commune_code AND pp.name = 'Điểm chi trả ' || co.name
            WHERE p.province_code = @province AND NOT EXISTS (SELECT 1 FROM payment_instruction i WHERE i.person_id = p.id)
            GROUP BY p.id, pp.id
            """, conn, tx))
        {
            cmd.Parameters.AddWithValue("province", provinceCode);
            cmd.Parameters.AddWithValue("actor", actor);
            await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }

        // A bulk load is one audit row that says what was loaded, not one row per person.
        await AuditLog.AppendAsync(conn, tx,
            [new AuditEntryDraft("seed_demo", "person", "bulk", provinceCode, null, $$"""{"people":{{count}},"enrolments":{{enrolments}},"seed":{{seed}}}""")],
            actor, "demo data", now, ct).ConfigureAwait(false);
        await tx.CommitAsync(ct).ConfigureAwait(false);
        progress?.Report(count);
        return new Result(count, enrolments, Skipped: false);
    }

    private static Kind PickKind(Faker faker, int totalShare)
    {
        var n = faker.Random.Int(0, totalShare - 1);
        foreach (var k in Mix)
        {
            if (n < k.Share)
            {
                return k;
            }

            n -= k.Share;
        }

        return Mix[^1];
    }

    private static async Task<List<string>> ListAsync(NpgsqlConnection conn, NpgsqlTransaction tx, string sql, string? province, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(sql, conn, tx);
        if (province is not null)
        {
            cmd.Parameters.AddWithValue("p", province);
        }

        await using var reader = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        var list = new List<string>();
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            list.Add(reader.GetString(0));
        }

        return list;
    }
}
