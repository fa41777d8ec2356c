using System.Globalization;
using AnSinh.Core.Time;
using AnSinh.Web.Audit;
using AnSinh.Web.Database;
using AnSinh.Web.Features.Registry;
using AnSinh.Web.Security;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;

namespace AnSinh.Web.Features.Oversight;

public sealed record PlanView(long Id, string ProvinceCode, string Title, long Seed, int PerCommune, DateOnly DrawnOn, string CreatedBy, int Sampled, int Visited, int Findings, int OpenFindings);

public sealed record SampleRow(long PersonId, string FullName, string CommuneCode, string CommuneName, int Rank, int Weight, string[] Flags, string? LastResult);

public sealed record VisitView(long Id, long PersonId, string FullName, string CommuneName, DateOnly VisitedOn, string Result, string Note, string CreatedBy);

public sealed record VisitRequest(long PersonId, DateOnly? VisitedOn, string Result, string Note, string? Action, string? EffectiveMonth, string? Description);

public sealed record FindingView(long Id, long VisitId, long PlanId, long PersonId, string FullName, string CommuneCode, string CommuneName, string Action, DateOnly? EffectiveMonth,
    string Description, string Status, long? ProposalId, string? ProposalStatus, string? ReferredTo, string CreatedBy, DateTimeOffset CreatedAt);

/// <summary>
/// Inspections (thanh tra, kiểm tra): a plan draws a risk-weighted random sample of each commune's beneficiaries from a
/// seed (the same seed over the same data draws the same people); inspectors record visits and findings; an officer
/// takes each finding's action through the registry's own commands (a suspension or a stop proposed to the province's
/// decider; a correction linked to the proposal the officer made on the person's page; a referral named), so what it
/// changes is paid, or not, in the next run.
/// </summary>
public sealed class Inspections(AppDbContext db, ChangeProposals proposals, TimeProvider time)
{
    /// <summary>A flagged person weighs 1 + this × their number of flags in the draw (an unflagged one weighs 1).</summary>
    public const int WeightPerFlag = 4;

    public static readonly IReadOnlyList<string> Results = ["confirmed", "finding", "not_found"];
    public static readonly IReadOnlyList<string> Actions = ["correction", "suspension", "recovery", "referral"];

    private DateOnly Today => time.VietnamToday();

    public async Task<(long? PlanId, RegistryError? Error)> DrawAsync(string province, string? title, long? seed, int perCommune, string actor, CancellationToken ct)
    {
        var problems = new List<(string, string)>();
        var name = RegistryBounds.Text(title, "Title", 200, problems, required: true);
        if (perCommune is < 1 or > 200)
        {
            problems.Add(("PerCommune", Hosting.Texts.Get("Inspection.Err.PerCommune")));
        }

        if (problems.Count > 0)
        {
            return (null, RegistryError.Invalid(problems));
        }

        var flags = await RiskFlags.ForAsync(db, province, Today, ct);
        var byPerson = flags.GroupBy(f => f.PersonId).ToDictionary(g => g.Key, g => g.Select(f => f.Flag).Distinct().Order(StringComparer.Ordinal).ToArray());
        var drawSeed = seed ?? System.Security.Cryptography.RandomNumberGenerator.GetInt32(1, int.MaxValue);
        await using var tx = await db.TransactionAsync(ct);
        var (conn, ntx) = db.Raw();
        long planId;
        await using (var cmd = new NpgsqlCommand("""
            INSERT INTO inspection_plan (province_code, title, seed, per_commune, drawn_on, created_by) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id
            """, conn, ntx))
        {
            cmd.Parameters.AddWithValue(province);
            cmd.Parameters.AddWithValue(name!);
            cmd.Parameters.AddWithValue(drawSeed);
            cmd.Parameters.AddWithValue(perCommune);
            cmd.Parameters.AddWithValue(Today);
            cmd.Parameters.AddWithValue(actor);
            planId = (long)(await cmd.ExecuteScalarAsync(ct))!;
        }

        // Weighted sampling without replacement (Efraimidis–Spirakis): each person's key is -ln(u)/w with u uniform from a
        // hash of the seed and their id; the smallest keys in each commune are drawn. Ties fall to the lower id.
        await using (var cmd = new NpgsqlCommand("""
            WITH flagged AS (SELECT * FROM unnest($3::bigint[], $4::text[]) AS f(person_id, flags)),
            candidate AS (
                SELECT DISTINCT e.person_id, p.commune_code
                FROM enrolment e JOIN person p ON p.id = e.person_id
                WHERE e.province_code = $2 AND e.superseded_at IS NULL AND e.status = 'active' AND e.end_month IS NULL AND p.death_date IS NULL),
            keyed AS (
                SELECT c.person_id, c.commune_code, coalesce(string_to_array(f.flags, ','), '{}') AS flags,
                       1 + $6 * coalesce(cardinality(string_to_array(f.flags, ',')), 0) AS weight,
                       ((('x' || substr(md5($5::text || ':' || c.person_id), 1, 13))::bit(52)::bigint + 1)::float8 / 4503599627370497.0) AS u
                FROM candidate c LEFT JOIN flagged f ON f.person_id = c.person_id),
            ranked AS (
                SELECT *, row_number() OVER (PARTITION BY commune_code ORDER BY -ln(u) / weight, person_id) AS rank FROM keyed)
            INSERT INTO inspection_sample (plan_id, person_id, commune_code, rank, weight, flags)
            SELECT $1, person_id, commune_code, rank, weight, flags FROM ranked WHERE rank <= $7
            """, conn, ntx))
        {
            cmd.Parameters.AddWithValue(planId);
            cmd.Parameters.AddWithValue(province);
            cmd.Parameters.AddWithValue(NpgsqlDbType.Array | NpgsqlDbType.Bigint, byPerson.Keys.ToArray());
            cmd.Parameters.AddWithValue(NpgsqlDbType.Array | NpgsqlDbType.Text, byPerson.Values.Select(v => string.Join(',', v)).ToArray());
            cmd.Parameters.AddWithValue(drawSeed);
            cmd.Parameters.AddWithValue(WeightPerFlag);
            cmd.Parameters.AddWithValue(perCommune);
            await cmd.ExecuteNonQueryAsync(ct);
        }

        await AuditLog.AppendAsync(conn, ntx,
            [new AuditEntryDraft("draw", "inspection_plan", planId.ToString(CultureInfo.InvariantCulture), province, null,
                System.Text.Json.JsonSerializer.Serialize(new { title = name, seed = drawSeed, per_commune = perCommune }))],
            actor, null, time.GetUtcNow(), ct);
        await tx.CommitAsync(ct);
        return (planId, null);
    }

    /// <param name="planId">One plan, or null for all the province's, newest first.</param>
    public Task<List<PlanView>> PlansAsync(string province, CancellationToken ct, long? planId = null) => db.Database.SqlQuery<PlanView>($"""
        SELECT p.id AS "Id", p.province_code AS "ProvinceCode", p.title AS "Title", p.seed AS "Seed", p.per_commune AS "PerCommune", p.drawn_on AS "DrawnOn", p.created_by AS "CreatedBy",
               (SELECT count(*)::int FROM inspection_sample s WHERE s.plan_id = p.id) AS "Sampled",
               (SELECT count(DISTINCT v.person_id)::int FROM inspection_visit v WHERE v.plan_id = p.id) AS "Visited",
               (SELECT count(*)::int FROM inspection_finding f JOIN inspection_visit v ON v.id = f.visit_id WHERE v.plan_id = p.id) AS "Findings",
               (SELECT count(*)::int FROM inspection_finding f JOIN inspection_visit v ON v.id = f.visit_id WHERE v.plan_id = p.id AND f.status = 'open') AS "OpenFindings"
        FROM inspection_plan p WHERE p.province_code = {province} AND ({planId}::bigint IS NULL OR p.id = {planId}) ORDER BY p.id DESC
        """).ToListAsync(ct);

    /// <summary>The sample, a commune's staff seeing their commune's rows only.</summary>
    public Task<List<SampleRow>> SampleAsync(long planId, UserScope scope, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(scope);
        var commune = scope.CommuneCode;
        return db.Database.SqlQuery<SampleRow>($"""
            SELECT s.person_id AS "PersonId", p.full_name AS "FullName", s.commune_code AS "CommuneCode", c.name AS "CommuneName", s.rank AS "Rank", s.weight AS "Weight", s.flags AS "Flags",
                   (SELECT v.result FROM inspection_visit v WHERE v.plan_id = s.plan_id AND v.person_id = s.person_id ORDER BY v.id DESC LIMIT 1) AS "LastResult"
            FROM inspection_sample s JOIN person p ON p.id = s.person_id JOIN commune c ON c.code = s.commune_code
            WHERE s.plan_id = {planId} AND ({commune}::text IS NULL OR s.commune_code = {commune})
            ORDER BY c.name, s.rank
            """).ToListAsync(ct);
    }

    /// <summary>A plan's visit records, newest first, a commune's staff seeing their commune's.</summary>
    public Task<List<VisitView>> VisitsAsync(long planId, UserScope scope, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(scope);
        var commune = scope.CommuneCode;
        return db.Database.SqlQuery<VisitView>($"""
            SELECT v.id AS "Id", v.person_id AS "PersonId", p.full_name AS "FullName", c.name AS "CommuneName", v.visited_on AS "VisitedOn", v.result AS "Result",
                   v.note AS "Note", v.created_by AS "CreatedBy"
            FROM inspection_visit v JOIN person p ON p.id = v.person_id JOIN commune c ON c.code = v.commune_code
            WHERE v.plan_id = {planId} AND ({commune}::text IS NULL OR v.commune_code = {commune})
            ORDER BY v.visited_on DESC, v.id DESC
            LIMIT 2000
            """).ToListAsync(ct);
    }

    public Task<List<FindingView>> FindingsAsync(string province, UserScope scope, long? planId, CancellationToken ct, long? findingId = null)
    {
        ArgumentNullException.ThrowIfNull(scope);
        var commune = scope.CommuneCode;
        return db.Database.SqlQuery<FindingView>($"""
            SELECT f.id AS "Id", f.visit_id AS "VisitId", v.plan_id AS "PlanId", f.person_id AS "PersonId", p.full_name AS "FullName", f.commune_code AS "CommuneCode", c.name AS "CommuneName",
                   f.action AS "Action", f.effective_month AS "EffectiveMonth", f.description AS "Description", f.status AS "Status", f.proposal_id AS "ProposalId",
                   cp.status AS "ProposalStatus", f.referred_to AS "ReferredTo", f.created_by AS "CreatedBy", f.created_at AS "CreatedAt"
            FROM inspection_finding f JOIN inspection_visit v ON v.id = f.visit_id JOIN person p ON p.id = f.person_id JOIN commune c ON c.code = f.commune_code
            LEFT JOIN change_proposal cp ON cp.id = f.proposal_id
            WHERE f.province_code = {province} AND ({planId}::bigint IS NULL OR v.plan_id = {planId}) AND ({findingId}::bigint IS NULL OR f.id = {findingId}) AND ({commune}::text IS NULL OR f.commune_code = {commune})
            ORDER BY f.status DESC, f.id DESC
            LIMIT 2000
            """).ToListAsync(ct);
    }

    /// <summary>A visit to a person of the plan's province, and when something was found, the finding with the action it calls for.</summary>
    public async Task<(long? VisitId, RegistryError? Error)> RecordVisitAsync(string province, long planId, VisitRequest r, string actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(r);
        if (!await db.Database.SqlQuery<long>($"SELECT id AS \"Value\" FROM inspection_plan WHERE id = {planId} AND province_code = {province}").AnyAsync(ct))
        {
            return (null, RegistryError.NotFound("inspection"));
        }

        var person = await db.People.AsNoTracking().Where(p => p.Id == r.PersonId && p.ProvinceCode == province).Select(p => new { p.CommuneCode }).FirstOrDefaultAsync(ct);
        if (person is null)
        {
            return (null, RegistryError.NotFound("person"));
        }

        var problems = new List<(string, string)>();
        var note = RegistryBounds.Text(r.Note, "Note", 4000, problems, required: true, lines: true);
        var visited = r.VisitedOn ?? Today;
        if (visited > Today || visited < Today.AddYears(-1))
        {
            problems.Add(("VisitedOn", Hosting.Texts.Get("Inspection.Err.VisitedOn")));
        }

        if (!Results.Contains(r.Result))
        {
            problems.Add(("Result", Hosting.Texts.Get("Inspection.Err.Result")));
        }

        string? description = null;
        DateOnly? effective = null;
        if (r.Result == "finding")
        {
            description = RegistryBounds.Text(r.Description, "Description", 4000, problems, required: true, lines: true);
            if (r.Action is null || !Actions.Contains(r.Action))
            {
                problems.Add(("Action", Hosting.Texts.Get("Inspection.Err.Action")));
            }
            else if (r.Action is "suspension" or "recovery")
            {
                if (YearMonth.TryParse(r.EffectiveMonth, out var m))
                {
                    effective = m.FirstDay;
                }
                else
                {
                    problems.Add(("EffectiveMonth", Hosting.Texts.Get("Registry.Err.EffectiveMonthFormat")));
                }
            }
        }

        if (problems.Count > 0)
        {
            return (null, RegistryError.Invalid(problems));
        }

        await using var tx = await db.TransactionAsync(ct);
        var (conn, ntx) = db.Raw();
        long visitId;
        await using (var cmd = new NpgsqlCommand("""
            INSERT INTO inspection_visit (plan_id, person_id, province_code, commune_code, visited_on, result, note, created_by)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id
            """, conn, ntx))
        {
            cmd.Parameters.AddWithValue(planId);
            cmd.Parameters.AddWithValue(r.PersonId);
            cmd.Parameters.AddWithValue(province);
            cmd.Parameters.AddWithValue(person.CommuneCode);
            cmd.Parameters.AddWithValue(visited);
            cmd.Parameters.AddWithValue(r.Result);
            cmd.Parameters.AddWithValue(note!);
            cmd.Parameters.AddWithValue(actor);
            visitId = (long)(await cmd.ExecuteScalarAsync(ct))!;
        }

        var drafts = new List<AuditEntryDraft>
        {
            new("create", "inspection_visit", visitId.ToString(CultureInfo.InvariantCulture), province, null,
                System.Text.Json.JsonSerializer.Serialize(new { plan_id = planId, person_id = r.PersonId, visited_on = visited, result = r.Result, note })),
        };
        if (r.Result == "finding")
        {
            await using var cmd = new NpgsqlCommand("""
                INSERT INTO inspection_finding (visit_id, person_id, province_code, commune_code, action, effective_month, description, status, created_by)
                VALUES ($1, $2, $3, $4, $5, $6, $7, 'open', $8) RETURNING id
                """, conn, ntx);
            cmd.Parameters.AddWithValue(visitId);
            cmd.Parameters.AddWithValue(r.PersonId);
            cmd.Parameters.AddWithValue(province);
            cmd.Parameters.AddWithValue(person.CommuneCode);
            cmd.Parameters.AddWithValue(r.Action!);
            cmd.Parameters.AddWithValue(NpgsqlDbType.Date, (object?)effective ?? DBNull.Value);
            cmd.Parameters.AddWithValue(description!);
            cmd.Parameters.AddWithValue(actor);
            var findingId = (long)(await cmd.ExecuteScalarAsync(ct))!;
            drafts.Add(new("create", "inspection_finding", findingId.ToString(CultureInfo.InvariantCulture), province, null,
                System.Text.Json.JsonSerializer.Serialize(new { visit_id = visitId, action = r.Action, effective_month = effective, description })));
        }

        await AuditLog.AppendAsync(conn, ntx, drafts, actor, null, time.GetUtcNow(), ct);
        await tx.CommitAsync(ct);
        return (visitId, null);
    }

    /// <summary>
    /// An officer takes a finding's action: a suspension proposes a suspension, a recovery proposes a stop from the month
    /// the money was no longer due (the ledger recovers what was paid after it), a correction links the proposal the
    /// officer made for the person, a referral names where it went. The proposal goes to the province's decider as any other.
    /// </summary>
    public async Task<RegistryError?> ActAsync(UserScope scope, string province, long findingId, long? proposalId, string? referredTo, string actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(scope);
        var f = (await FindingsAsync(province, scope, null, ct, findingId)).FirstOrDefault();
        if (f is null)
        {
            return RegistryError.NotFound("finding");
        }

        if (f.Status != "open")
        {
            return RegistryError.Conflict(Hosting.Texts.Get("Inspection.Err.Actioned"));
        }

        // The proposal and the finding's link commit together: a refused proposal leaves the finding open.
        await using var tx = await db.TransactionAsync(ct);
        var reason = Hosting.Texts.Get("Inspection.ProposalReason", f.PlanId, f.Description.Length > 300 ? f.Description[..300] : f.Description);
        long? linked = null;
        string? referral = null;
        switch (f.Action)
        {
            case "suspension" or "recovery":
                var (proposal, error) = await proposals.ProposeAsync(scope, f.PersonId, "social_assistance",
                    new ChangeRequest(f.Action == "suspension" ? "suspend" : "stop", YearMonth.From(f.EffectiveMonth!.Value).ToString(), reason), actor, ct);
                if (error is not null)
                {
                    return error;
                }

                linked = proposal!.Id;
                break;
            case "correction":
                if (proposalId is not { } pid || !await db.ChangeProposals.WhereInScope(scope).AnyAsync(p => p.Id == pid && p.PersonId == f.PersonId, ct))
                {
                    return RegistryError.Invalid("ProposalId", Hosting.Texts.Get("Inspection.Err.Proposal"));
                }

                linked = pid;
                break;
            default:
                var problems = new List<(string, string)>();
                referral = RegistryBounds.Text(referredTo, "ReferredTo", 200, problems, required: true);
                if (problems.Count > 0)
                {
                    return RegistryError.Invalid(problems);
                }

                break;
        }

        var now = time.GetUtcNow();
        var (conn, ntx) = db.Raw();
        await using (var cmd = new NpgsqlCommand("""
            UPDATE inspection_finding SET status = 'actioned', proposal_id = $2, referred_to = $3, actioned_by = $4, actioned_at = $5 WHERE id = $1 AND status = 'open'
            """, conn, ntx))
        {
            cmd.Parameters.AddWithValue(findingId);
            cmd.Parameters.AddWithValue(NpgsqlDbType.Bigint, (object?)linked ?? DBNull.Value);
            cmd.Parameters.AddWithValue(NpgsqlDbType.Text, (object?)referral ?? DBNull.Value);
            cmd.Parameters.AddWithValue(actor);
            cmd.Parameters.AddWithValue(now);
            if (await cmd.ExecuteNonQueryAsync(ct) == 0)
            {
                return RegistryError.Conflict(Hosting.Texts.Get("Inspection.Err.Actioned"));
            }
        }

        await AuditLog.AppendAsync(conn, ntx,
            [new AuditEntryDraft("act", "inspection_finding", findingId.ToString(CultureInfo.InvariantCulture), province, null,
                System.Text.Json.JsonSerializer.Serialize(new { proposal_id = linked, referred_to = referral }))],
            actor, null, now, ct);
        await tx.CommitAsync(ct);
        return null;
    }
}
