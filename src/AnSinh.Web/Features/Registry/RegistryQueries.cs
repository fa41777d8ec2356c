using System.Globalization;
using System.Text;
using AnSinh.Core.Registry;
using AnSinh.Core.Rules;
using AnSinh.Core.Time;
using AnSinh.Web.Database;
using AnSinh.Web.Features.People;
using AnSinh.Web.Features.Rules;
using AnSinh.Web.Security;
using Microsoft.EntityFrameworkCore;

namespace AnSinh.Web.Features.Registry;

public sealed record SearchRequest(string? Q, string? CitizenId, string? Commune, string? Category, string? Status, int Page = 1, int PageSize = 20, string Sort = "name");

public sealed record OpenEnrolment(string Programme, IReadOnlyList<CategoryFact> Categories, string Status);

public sealed record PersonRow(long Id, string CitizenId, string FullName, DateOnly BirthDate, string Sex, string CommuneCode, string CommuneName, IReadOnlyList<OpenEnrolment> Open);

public sealed record PeoplePage(IReadOnlyList<PersonRow> Items, int Page, int PageSize, bool HasMore);

public sealed record PeriodRow(long Id, string Programme, IReadOnlyList<CategoryFact> Categories, string Status, string From, string? To,
    string CommuneCode, string? DecisionNumber, string? Reason, string? CreatedBy, bool Superseded);

public sealed record MonthRow(string Month, string Status, string? CommuneCode);

public sealed record AuditRow(DateTimeOffset At, string Actor, string Action, string Entity, string? Old, string? New, string? Reason);

public sealed record PersonDetail(
    Person Person,
    string CommuneName,
    IReadOnlyList<PeriodRow> Periods,
    IReadOnlyList<Application> Applications,
    IReadOnlyList<OneTimePayment> OneTimePayments,
    string Month,
    Entitlement? Entitlement,
    IReadOnlyList<AuditRow> History);

public static class RegistryQueries
{
    /// <summary>Up to this many name matches are sorted in memory; more means a very common name, where the ordered walk finds a page quickly.</summary>
    public const int NameMatchCap = 10_000;

    // The same ordering as the database's "vi-x-icu" collation (both are ICU's Vietnamese), then the id.
    private static readonly StringComparer VietnameseOrder = StringComparer.Create(CultureInfo.GetCultureInfo("vi-VN"), CompareOptions.None);

    /// <summary>Deeper than this nobody reads page by page (100 a page: a province's whole list); and no page number overflows the offset.</summary>
    public const int MaxPage = 10_000;

    public static async Task<PeoplePage> SearchAsync(AppDbContext db, UserScope scope, SearchRequest r, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(r);
        var page = Math.Clamp(r.Page, 1, MaxPage);
        var size = Math.Clamp(r.PageSize, 1, 100);
        var q = db.People.AsNoTracking().WhereInScope(scope);
        if (!string.IsNullOrWhiteSpace(r.CitizenId))
        {
            q = q.Where(p => p.CitizenId == r.CitizenId.Trim());
        }

        if (!string.IsNullOrWhiteSpace(r.Q))
        {
            var folded = Core.People.FreeText.LikeEscape(Core.People.NameFold.Fold(r.Q));
            q = q.Where(p => EF.Functions.Like(p.SearchName, "%" + folded + "%"));
        }

        if (!string.IsNullOrWhiteSpace(r.Commune))
        {
            q = q.Where(p => p.CommuneCode == r.Commune);
        }

        if (!string.IsNullOrWhiteSpace(r.Category) || !string.IsNullOrWhiteSpace(r.Status))
        {
            if (r.Status == "none")
            {
                q = q.Where(p => !db.Enrolments.Any(e => e.PersonId == p.Id && e.EndMonth == null && e.SupersededAt == null));
            }
            else
            {
                // The province on the enrolment side lets the database start from the (few) matching enrolments.
                var province = scope.ProvinceCode;
                var containing = string.IsNullOrWhiteSpace(r.Category) ? null : CategoriesJson.Containing(r.Category);
                q = q.Where(p => db.Enrolments.Any(e => e.PersonId == p.Id && e.EndMonth == null && e.SupersededAt == null
                    && (province == null || e.ProvinceCode == province)
                    && (containing == null || EF.Functions.JsonContains(e.Categories, containing))
                    && (r.Status == null || r.Status == "" || e.Status == r.Status)));
            }
        }

        if (!string.IsNullOrWhiteSpace(r.Q))
        {
            // Two phases, because the planner cannot tell how many rows a LIKE '%…%' matches (and would walk a
            // whole province in name order): first the matches through the trigram index with their sort keys,
            // unordered and capped; if they are not too many, order them here and load only the page.
            var matches = await q.Select(p => new { p.Id, p.FullName, p.BirthDate, p.CommuneCode }).Take(NameMatchCap + 1).ToListAsync(ct);
            if (matches.Count <= NameMatchCap)
            {
                var ordered = r.Sort switch
                {
                    "birth" => matches.OrderBy(m => m.BirthDate).ThenBy(m => m.Id),
                    "-name" => matches.OrderByDescending(m => m.FullName, VietnameseOrder).ThenBy(m => m.Id),
                    "commune" => matches.OrderBy(m => m.CommuneCode, StringComparer.Ordinal).ThenBy(m => m.FullName, VietnameseOrder).ThenBy(m => m.Id),
                    _ => matches.OrderBy(m => m.FullName, VietnameseOrder).ThenBy(m => m.Id),
                };
                var pageIds = ordered.Skip((page - 1) * size).Take(size + 1).Select(m => m.Id).ToList();
                var loaded = (await Project(db, db.People.AsNoTracking().Where(p => pageIds.Contains(p.Id))).ToListAsync(ct)).ToDictionary(x => x.Id);
                var rowsInOrder = pageIds.Select(id => loaded[id]).ToList();
                return new PeoplePage(rowsInOrder.Take(size).ToList(), page, size, rowsInOrder.Count > size);
            }
        }

        q = r.Sort switch
        {
            "birth" => q.OrderBy(p => p.BirthDate).ThenBy(p => p.Id),
            "-name" => q.OrderByDescending(p => EF.Functions.Collate(p.FullName, "vi-x-icu")).ThenBy(p => p.Id),
            "commune" => q.OrderBy(p => p.CommuneCode).ThenBy(p => EF.Functions.Collate(p.FullName, "vi-x-icu")).ThenBy(p => p.Id),
            _ => q.OrderBy(p => EF.Functions.Collate(p.FullName, "vi-x-icu")).ThenBy(p => p.Id),
        };
        var rows = await Project(db, q.Skip((page - 1) * size).Take(size + 1)).ToListAsync(ct);
        return new PeoplePage(rows.Take(size).ToList(), page, size, rows.Count > size);
    }

    private static IQueryable<PersonRow> Project(AppDbContext db, IQueryable<Person> people) =>
        people.Select(p => new PersonRow(
            p.Id, p.CitizenId, p.FullName, p.BirthDate, p.Sex == Core.People.Sex.Male ? "male" : "female", p.CommuneCode,
            db.Communes.Where(c => c.Code == p.CommuneCode).Select(c => c.Name).FirstOrDefault() ?? "",
            db.Enrolments.Where(e => e.PersonId == p.Id && e.EndMonth == null && e.SupersededAt == null)
                .Select(e => new OpenEnrolment(e.Programme, e.Categories, e.Status)).ToList()));

    public static async Task<PersonDetail?> DetailAsync(AppDbContext db, UserScope scope, RulesCatalog rules, long personId, DateOnly today, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(rules);
        var person = await db.People.AsNoTracking().WhereInScope(scope).FirstOrDefaultAsync(p => p.Id == personId, ct);
        if (person is null)
        {
            return null;
        }

        var commune = await db.Communes.AsNoTracking().Where(c => c.Code == person.CommuneCode).Select(c => c.Name).FirstAsync(ct);
        var enrolments = await db.Enrolments.AsNoTracking().Where(e => e.PersonId == personId).OrderBy(e => e.Programme).ThenBy(e => e.StartMonth).ThenBy(e => e.Id).ToListAsync(ct);
        var applications = await db.Applications.AsNoTracking().Where(a => a.PersonId == personId).OrderByDescending(a => a.Id).ToListAsync(ct);
        var payments = await db.OneTimePayments.AsNoTracking().Where(p => p.PersonId == personId).ToListAsync(ct);
        var month = YearMonth.From(today);

        // This month's entitlement, explained line by line, from the periods covering it.
        Entitlement? entitlement = null;
        if (EntitlementFacts.ForMonth(person, month, enrolments) is { } facts)
        {
            entitlement = rules.Evaluator(await RulesCatalog.LoadOverridesAsync(db, ct), today).Evaluate(facts);
        }

        var personKey = personId.ToString(CultureInfo.InvariantCulture);
        var appKeys = applications.Select(a => a.Id.ToString(CultureInfo.InvariantCulture)).ToList();
        var enrolmentKeys = enrolments.Select(e => e.Id.ToString(CultureInfo.InvariantCulture)).ToList();
        var history = await db.AuditEntries.AsNoTracking()
            .Where(a => (a.Entity == "person" && a.EntityKey == personKey) || (a.Entity == "enrolment" && enrolmentKeys.Contains(a.EntityKey)) || (a.Entity == "application" && appKeys.Contains(a.EntityKey)))
            .OrderByDescending(a => a.Id).Take(200)
            .Select(a => new AuditRow(a.At, a.Actor, a.Action, a.Entity, a.OldValues, a.NewValues, a.Reason)).ToListAsync(ct);

        return new PersonDetail(person, commune,
            [.. enrolments.Select(e => new PeriodRow(e.Id, e.Programme, e.Categories, e.Status, YearMonth.From(e.StartMonth).ToString(),
                e.EndMonth is null ? null : YearMonth.From(e.EndMonth.Value).ToString(), e.CommuneCode, e.DecisionNumber, e.ChangeReason, e.CreatedBy, e.SupersededAt is not null))],
            applications, payments, month.ToString(), entitlement, history);
    }

    /// <summary>Month by month: paid (active), suspended or nothing, from the live periods.</summary>
    public static async Task<IReadOnlyList<MonthRow>?> MonthsAsync(AppDbContext db, UserScope scope, long personId, string programme, YearMonth from, YearMonth to, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (!await db.People.AsNoTracking().WhereInScope(scope).AnyAsync(p => p.Id == personId, ct))
        {
            return null;
        }

        var periods = await db.Enrolments.AsNoTracking().Where(e => e.PersonId == personId && e.Programme == programme && e.SupersededAt == null).ToListAsync(ct);
        var rows = new List<MonthRow>();
        for (var m = from; m <= to; m = m.AddMonths(1))
        {
            var p = periods.FirstOrDefault(e => new EnrolmentPeriod(e.Id, YearMonth.From(e.StartMonth), e.EndMonth is null ? null : YearMonth.From(e.EndMonth.Value), e.Status == EnrolmentStatus.Active).Covers(m));
            rows.Add(new MonthRow(m.ToString(), p?.Status ?? "none", p?.CommuneCode));
        }

        return rows;
    }

    public static IQueryable<Application> Overdue(AppDbContext db, UserScope scope, DateOnly today) =>
        db.Applications.AsNoTracking().WhereInScope(scope)
            .Where(a => Core.Registry.ApplicationWorkflow.OpenCodes.Contains(a.Status) && a.DueOn < today)
            .OrderBy(a => a.DueOn);
}
