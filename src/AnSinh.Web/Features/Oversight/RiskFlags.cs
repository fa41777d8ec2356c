using AnSinh.Web.Database;
using Microsoft.EntityFrameworkCore;

namespace AnSinh.Web.Features.Oversight;

/// <summary>One person flagged for an inspector's look: which flag, and the figure that raised it.</summary>
public sealed record RiskFlag(long PersonId, string FullName, string CommuneCode, string CommuneName, string Flag, string Detail);

/// <summary>
/// Risk flags over the registry and the ledger of a province, each one set-based query: paid after a recorded death;
/// aged 100 or more and still on the latest list; one bank account or one proxy for three people or more; the same
/// name and birth date recorded in two provinces; a category that does not fit the age (a child's category at 22 or
/// more; an elderly category under 60); two approved months running not collected; back pay above the threshold on
/// the latest list; an amount on the latest list that differs from the rules (a month's regular amount that is not the
/// base × the coefficient rounded half up, an amount not equal to what was owed, a base other than the one the run paid
/// everyone else for that month and programme, a line whose monthly amount is not the sum of its items: a line edited
/// outside the run, or computed on other rules). A flag is a reason to look, never a finding.
/// </summary>
public static class RiskFlags
{
    public const long BackPayThreshold = 10_000_000;
    public const int SharedBy = 3;

    public static readonly IReadOnlyList<string> All =
        ["paid_after_death", "over_100", "shared_account", "shared_proxy", "duplicate_identity", "category_age", "unclaimed_streak", "large_back_pay", "amount_rules"];

    public static Task<List<RiskFlag>> ForAsync(AppDbContext db, string province, DateOnly today, CancellationToken ct, long backPayThreshold = BackPayThreshold)
    {
        ArgumentNullException.ThrowIfNull(db);
        return db.Database.SqlQuery<RiskFlag>($$"""
            WITH latest AS (SELECT id, month FROM payroll_run WHERE province_code = {{province}} AND status IN ('approved', 'sent', 'closed') ORDER BY month DESC LIMIT 1),
            recent AS (SELECT id FROM payroll_run WHERE province_code = {{province}} AND status IN ('approved', 'sent', 'closed') ORDER BY month DESC LIMIT 2),
            active AS (SELECT DISTINCT e.person_id FROM enrolment e WHERE e.province_code = {{province}} AND e.superseded_at IS NULL AND e.status = 'active' AND e.end_month IS NULL),
            flags AS (
                SELECT l.person_id, 'paid_after_death' AS flag, 'paid ' || o.paid_on || ', died ' || p.death_date AS detail
                FROM payroll_line l JOIN payroll_outcome o ON o.run_id = l.run_id AND o.line_no = l.line_no JOIN person p ON p.id = l.person_id
                WHERE l.province_code = {{province}} AND o.outcome = 'paid' AND p.death_date IS NOT NULL AND o.paid_on > p.death_date
                UNION ALL
                SELECT l.person_id, 'over_100', 'born ' || p.birth_date
                FROM latest r JOIN payroll_line l ON l.run_id = r.id JOIN person p ON p.id = l.person_id
                WHERE p.birth_date <= ({{today}}::date - interval '100 years')
                UNION ALL
                SELECT i.person_id, 'shared_account', i.bank_bin || ' …' || right(i.account_number, 4) || ' × ' || n.people
                FROM payment_instruction i JOIN (
                    SELECT bank_bin, account_number, count(DISTINCT person_id) AS people FROM payment_instruction
                    WHERE province_code = {{province}} AND method = 'bank' AND superseded_at IS NULL GROUP BY 1, 2 HAVING count(DISTINCT person_id) >= {{SharedBy}}) n
                  ON n.bank_bin = i.bank_bin AND n.account_number = i.account_number
                WHERE i.province_code = {{province}} AND i.method = 'bank' AND i.superseded_at IS NULL
                UNION ALL
                SELECT a.person_id, 'shared_proxy', a.full_name || ' × ' || n.people
                FROM proxy_authorisation a JOIN (SELECT citizen_id, count(DISTINCT person_id) AS people FROM proxy_authorisation
                                                 WHERE province_code = {{province}} AND revoked_at IS NULL GROUP BY 1 HAVING count(DISTINCT person_id) >= {{SharedBy}}) n ON n.citizen_id = a.citizen_id
                WHERE a.province_code = {{province}} AND a.revoked_at IS NULL
                UNION ALL
                SELECT p.id, 'duplicate_identity', 'also in ' || string_agg(DISTINCT q.province_code, ', ')
                FROM person p JOIN active x ON x.person_id = p.id
                JOIN person q ON q.birth_date = p.birth_date AND lower(q.full_name) = lower(p.full_name) AND q.province_code <> p.province_code AND q.id <> p.id
                WHERE p.province_code = {{province}}
                GROUP BY p.id
                UNION ALL
                SELECT e.person_id, 'category_age', (e.categories -> 0 ->> 'code') || ' at ' || extract(year FROM age({{today}}::date, p.birth_date))
                FROM enrolment e JOIN person p ON p.id = e.person_id
                WHERE e.province_code = {{province}} AND e.superseded_at IS NULL AND e.status = 'active' AND e.end_month IS NULL AND e.programme = 'social_assistance'
                  AND ((e.categories @> '[{"code":"1"}]' AND age({{today}}::date, p.birth_date) >= interval '22 years')
                    OR ((e.categories @> '[{"code":"5a"}]' OR e.categories @> '[{"code":"5b"}]' OR e.categories @> '[{"code":"5c"}]' OR e.categories @> '[{"code":"5d"}]')
                        AND age({{today}}::date, p.birth_date) < interval '60 years'))
                UNION ALL
                SELECT l.person_id, 'unclaimed_streak', count(*) || ' months'
                FROM recent r JOIN payroll_line l ON l.run_id = r.id JOIN payroll_outcome o ON o.run_id = l.run_id AND o.line_no = l.line_no AND o.outcome <> 'paid'
                GROUP BY l.person_id HAVING count(*) = (SELECT count(*) FROM recent) AND count(*) >= 2
                UNION ALL
                SELECT l.person_id, 'large_back_pay', l.back_pay::text
                FROM latest r JOIN payroll_line l ON l.run_id = r.id WHERE l.back_pay > {{backPayThreshold}}
                UNION ALL
                SELECT i.person_id, 'amount_rules', to_char(i.month, 'MM/YYYY') || ': ' || i.amount || ' / ' || i.base || ' × ' || (i.coefficient / 10.0)
                FROM latest r JOIN payroll_item i ON i.run_id = r.id
                JOIN (SELECT j.programme, j.month, mode() WITHIN GROUP (ORDER BY j.base) AS base FROM latest r2 JOIN payroll_item j ON j.run_id = r2.id
                      WHERE j.kind = 'regular' GROUP BY 1, 2) usual ON usual.programme = i.programme AND usual.month = i.month
                WHERE i.kind = 'regular' AND (i.owed <> (i.base * i.coefficient + 5) / 10 OR i.amount <> i.owed OR i.base <> usual.base)
                UNION ALL
                SELECT l.person_id, 'amount_rules', l.regular || ' ≠ ' || coalesce(sum(i.amount), 0)
                FROM latest r JOIN payroll_line l ON l.run_id = r.id LEFT JOIN payroll_item i ON i.run_id = l.run_id AND i.line_no = l.line_no AND i.kind = 'regular'
                GROUP BY l.person_id, l.regular HAVING l.regular <> coalesce(sum(i.amount), 0))
            SELECT DISTINCT f.person_id AS "PersonId", p.full_name AS "FullName", p.commune_code AS "CommuneCode", c.name AS "CommuneName", f.flag AS "Flag", f.detail AS "Detail"
            FROM flags f JOIN person p ON p.id = f.person_id JOIN commune c ON c.code = p.commune_code
            ORDER BY f.flag, c.name, p.full_name
            LIMIT 5000
            """).ToListAsync(ct);
    }
}
