using AnSinh.Web.Database;
using Microsoft.EntityFrameworkCore;

namespace AnSinh.Web.Features.Payment;

/// <summary>One active beneficiary whose payment for a month cannot go out as things stand, and why.</summary>
public sealed record UnroutedRow(long PersonId, string FullName, string CitizenId, string CommuneCode, string CommuneName, string Programme, string Problem);

/// <summary>Per commune: active beneficiaries and how many have a working bank instruction (cashless outreach).</summary>
public sealed record CashlessRow(string CommuneCode, string CommuneName, int Beneficiaries, int WithAccount);

/// <summary>A beneficiary with no working bank account, for outreach (how they are paid now: cash, home, proxy, or nothing yet).</summary>
public sealed record OutreachRow(string CitizenId, string FullName, int BirthYear, string CommuneName, string? Hamlet, string? Phone, string Method);

/// <summary>
/// Set-based checks of payment routing for a month, so nobody silently goes unpaid: every person with a paid
/// period covering the month needs a live instruction (their programme's own, else the all-programme one) that
/// can be carried out: a working point of the commune paying them that month with a payer, a proxy letter covering the month, a
/// known bank.
/// </summary>
public static class PaymentRouting
{
    private const string Active = """
        WITH active AS (
            SELECT DISTINCT e.person_id, e.programme, p.full_name, p.citizen_id, e.commune_code
            FROM enrolment e JOIN person p ON p.id = e.person_id
            WHERE e.superseded_at IS NULL AND e.status = 'active' AND e.start_month <= @m AND (e.end_month IS NULL OR e.end_month >= @m)
              AND p.death_date IS NULL AND e.province_code = @province AND (@commune::text IS NULL OR e.commune_code = @commune)
              AND (@person::bigint IS NULL OR p.id = @person)
        ), routed AS (
            SELECT a.*, i.id AS instruction_id, i.method, i.bank_bin, pp.active AS point_active, pp.payer_id, pp.commune_code AS point_commune,
                   pa.valid_from, pa.valid_to, pa.revoked_at
            FROM active a
            LEFT JOIN LATERAL (
                SELECT * FROM payment_instruction i
                WHERE i.person_id = a.person_id AND i.superseded_at IS NULL AND (i.programme = a.programme OR i.programme IS NULL)
                  AND i.start_month <= @m AND (i.end_month IS NULL OR i.end_month >= @m)
                ORDER BY i.programme NULLS LAST LIMIT 1) i ON true
            LEFT JOIN payment_point pp ON pp.id = i.payment_point_id
            LEFT JOIN proxy_authorisation pa ON pa.id = i.proxy_id
        ), checked AS (
            SELECT r.*, CASE
                WHEN instruction_id IS NULL THEN 'none'
                WHEN method IN ('cash_point', 'proxy') AND point_commune <> commune_code THEN 'point_other_commune'
                WHEN method IN ('cash_point', 'proxy') AND NOT point_active THEN 'point_inactive'
                WHEN method IN ('cash_point', 'proxy') AND payer_id IS NULL THEN 'point_no_payer'
                WHEN method = 'proxy' AND revoked_at IS NOT NULL THEN 'proxy_revoked'
                WHEN method = 'proxy' AND (valid_from IS NULL OR valid_to IS NULL) THEN 'proxy_dates_missing'
                WHEN method = 'proxy' AND valid_to < (@m + interval '1 month' - interval '1 day')::date THEN 'proxy_expired'
                WHEN method = 'proxy' AND valid_from > @m THEN 'proxy_not_yet_valid'
                WHEN method = 'bank' AND bank_bin IS NULL THEN 'bank_unknown'
            END AS problem
            FROM routed r)
        """;

    /// <summary>The people to fix before the month's list goes to the payer (capped: a page, or an export).</summary>
    public static async Task<IReadOnlyList<UnroutedRow>> UnroutedAsync(AppDbContext db, string province, string? commune, long? person, YearMonth month, int limit, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        return await db.Database.SqlQueryRaw<UnroutedRow>(Active + """
            SELECT c.person_id AS "PersonId", c.full_name AS "FullName", c.citizen_id AS "CitizenId", c.commune_code AS "CommuneCode",
                   co.name AS "CommuneName", c.programme AS "Programme", c.problem AS "Problem"
            FROM checked c JOIN commune co ON co.code = c.commune_code
            WHERE c.problem IS NOT NULL
            ORDER BY co.name, c.full_name COLLATE "vi-x-icu", c.person_id
            LIMIT @limit
            """, Parameters(province, commune, person, month, limit)).ToListAsync(ct);
    }

    public static async Task<IReadOnlyList<CashlessRow>> CashlessAsync(AppDbContext db, string province, string? commune, YearMonth month, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        return await db.Database.SqlQueryRaw<CashlessRow>(Active + """
            , people AS (SELECT person_id, commune_code, bool_or(method = 'bank' AND problem IS NULL) AS banked FROM checked GROUP BY person_id, commune_code)
            SELECT p.commune_code AS "CommuneCode", co.name AS "CommuneName", count(*)::int AS "Beneficiaries", count(*) FILTER (WHERE banked)::int AS "WithAccount"
            FROM people p JOIN commune co ON co.code = p.commune_code
            GROUP BY p.commune_code, co.name ORDER BY co.name
            """, Parameters(province, commune, null, month, 0)).ToListAsync(ct);
    }

    /// <summary>Everyone without a working bank instruction, streamed in commune and name order (the outreach list).</summary>
    public static IAsyncEnumerable<OutreachRow> WithoutAccount(AppDbContext db, string province, string? commune, YearMonth month)
    {
        ArgumentNullException.ThrowIfNull(db);
        return db.Database.SqlQueryRaw<OutreachRow>(Active + """
            , people AS (SELECT person_id, commune_code, bool_or(method = 'bank' AND problem IS NULL) AS banked, min(method) AS method FROM checked GROUP BY person_id, commune_code)
            SELECT p.citizen_id AS "CitizenId", p.full_name AS "FullName", extract(year FROM p.birth_date)::int AS "BirthYear", co.name AS "CommuneName",
                   p.hamlet AS "Hamlet", p.phone AS "Phone", coalesce(pe.method, 'none') AS "Method"
            FROM people pe JOIN person p ON p.id = pe.person_id JOIN commune co ON co.code = pe.commune_code
            WHERE NOT pe.banked
            ORDER BY co.name, p.full_name COLLATE "vi-x-icu", p.id
            """, Parameters(province, commune, null, month, 0)).AsAsyncEnumerable();
    }

    private static object[] Parameters(string province, string? commune, long? person, YearMonth month, int limit) =>
    [
        new Npgsql.NpgsqlParameter("m", month.FirstDay),
        new Npgsql.NpgsqlParameter("province", province),
        new Npgsql.NpgsqlParameter("commune", NpgsqlTypes.NpgsqlDbType.Text) { Value = (object?)commune ?? DBNull.Value },
        new Npgsql.NpgsqlParameter("person", NpgsqlTypes.NpgsqlDbType.Bigint) { Value = (object?)person ?? DBNull.Value },
        new Npgsql.NpgsqlParameter("limit", limit),
    ];
}
