using System.Text.Json.Serialization;
using AnSinh.Core.Oversight;
using AnSinh.Web.Audit;
using AnSinh.Web.Security;
using Microsoft.EntityFrameworkCore;

namespace AnSinh.Web.Features.Grievances;

/// <summary>A complaint, denunciation or petition: who filed it and how, about whom, who answers it by when, and the answer.</summary>
public sealed class Grievance : IAudited
{
    public long Id { get; init; }
    public required string Code { get; init; }
    public required string ProvinceCode { get; init; }
    public string? CommuneCode { get; set; }
    public required string Kind { get; init; }
    public required string Channel { get; init; }
    public required string Topic { get; set; }
    public long? PersonId { get; set; }
    public long? ApplicationId { get; set; }
    public required string FilerName { get; init; }
    public string? FilerPhone { get; init; }
    public string? FilerAddress { get; init; }
    public required string Summary { get; init; }
    public string Status { get; set; } = "received";
    public DateOnly ReceivedOn { get; init; }
    public DateOnly AcceptDueOn { get; init; }
    public DateOnly DueOn { get; init; }
    public string? AssignedTo { get; set; }
    public DateOnly? AcceptedOn { get; set; }
    public DateTimeOffset? EscalatedAt { get; set; }
    public string? Answer { get; set; }
    public DateOnly? AnsweredOn { get; set; }
    public string? AnsweredBy { get; set; }
    public string? ActionKind { get; set; }
    public string? ActionRef { get; set; }
    /// <summary>The person's signed decision the answer led to, or (one or the other) their proposal still waiting for the decider.</summary>
    public long? ActionDecisionId { get; set; }
    public long? ActionProposalId { get; set; }
    public DateTimeOffset CreatedAt { get; init; }
    public required string CreatedBy { get; init; }

    [JsonIgnore]
    public GrievanceStatus State => GrievanceWorkflow.Parse(Status);

    [JsonIgnore]
    public bool IsOpen => GrievanceWorkflow.IsOpen(State);

    public bool IsOverdue(DateOnly today) => IsOpen && DueOn < today;

    string? IAudited.AuditProvinceCode => ProvinceCode;
}

/// <summary>A paper kept with a grievance: the letter as scanned, evidence, or the signed answer as sent.</summary>
public sealed class GrievanceDocument : IAudited
{
    public static readonly IReadOnlyList<string> Kinds = ["letter", "evidence", "signed_answer"];

    public long Id { get; init; }
    public long GrievanceId { get; init; }
    public required string ProvinceCode { get; init; }
    public required string Kind { get; init; }
    public required string FileName { get; init; }
    public required string ContentType { get; init; }
    public int SizeBytes { get; init; }
    public required string Sha256 { get; init; }
    [JsonIgnore]
    public required byte[] Content { get; init; }
    public required string UploadedBy { get; init; }
    public DateTimeOffset UploadedAt { get; init; }

    string? IAudited.AuditProvinceCode => ProvinceCode;
}

/// <summary>What a list shows of a kept paper: not its bytes.</summary>
public sealed record GrievanceDocumentRow(long Id, string Kind, string FileName, int SizeBytes, string Sha256, string UploadedBy, DateTimeOffset UploadedAt);

public static class GrievanceDocumentRows
{
    /// <summary>One kept paper with its bytes, if its grievance is in the user's scope: what the page and the API download.</summary>
    public static Task<GrievanceDocument?> OpenAsync(Database.AppDbContext db, UserScope scope, long grievanceId, long documentId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        return (from d in db.GrievanceDocuments.AsNoTracking()
                join g in db.Grievances.AsNoTracking().WhereInScope(scope) on d.GrievanceId equals g.Id
                where d.Id == documentId && d.GrievanceId == grievanceId
                select d).FirstOrDefaultAsync(ct);
    }

    public static async Task<IReadOnlyList<GrievanceDocumentRow>> ForAsync(Database.AppDbContext db, long grievanceId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        return await db.GrievanceDocuments.AsNoTracking().Where(d => d.GrievanceId == grievanceId).OrderBy(d => d.Id)
            .Select(d => new GrievanceDocumentRow(d.Id, d.Kind, d.FileName, d.SizeBytes, d.Sha256, d.UploadedBy, d.UploadedAt)).ToListAsync(ct);
    }
}

public static class GrievanceScope
{
    /// <summary>
    /// A list's filter: open (the default), overdue, answered (or withdrawn) or all; only those assigned to
    /// <paramref name="me"/> when given; one commune's; a tracking code or part of the filer's name (with or without accents); most urgent first.
    /// </summary>
    public static IQueryable<Grievance> Listed(this IQueryable<Grievance> query, string? show, string? me, DateOnly today, string? commune = null, string? search = null)
    {
        if (!string.IsNullOrWhiteSpace(commune))
        {
            query = query.Where(g => g.CommuneCode == commune);
        }

        if (Core.People.FreeText.Clean(search) is { } text)
        {
            var term = text.Length > 100 ? text[..100] : text;
            var code = term.ToUpperInvariant();
            // Names without their accents on both sides, as the registry's search: "do van" finds "Đỗ Văn".
            var like = "%" + Core.People.FreeText.LikeEscape(Core.People.NameFold.Fold(term)) + "%";
            query = query.Where(g => g.Code == code || EF.Functions.ILike(EF.Functions.Unaccent(g.FilerName), like));
        }

        query = show switch
        {
            "overdue" => query.Where(g => (g.Status == "received" || g.Status == "accepted") && g.DueOn < today),
            "answered" => query.Where(g => g.Status == "answered" || g.Status == "withdrawn"),
            "all" => query,
            _ => query.Where(g => g.Status == "received" || g.Status == "accepted"),
        };
        if (me is not null)
        {
            query = query.Where(g => g.AssignedTo == me);
        }

        return query.OrderBy(g => g.DueOn).ThenBy(g => g.Id);
    }

    /// <summary>
    /// The grievances a user sees: all, their province's, or a commune's staff their commune's (a grievance not yet placed
    /// in a commune is the province's).
    /// </summary>
    public static IQueryable<Grievance> WhereInScope(this IQueryable<Grievance> query, UserScope scope)
    {
        ArgumentNullException.ThrowIfNull(scope);
        return scope.Level switch
        {
            ScopeLevel.All => query,
            ScopeLevel.Province => query.Where(g => g.ProvinceCode == scope.ProvinceCode),
            _ => query.Where(g => g.ProvinceCode == scope.ProvinceCode && g.CommuneCode == scope.CommuneCode),
        };
    }
}
