using System.Text.Json;
using AnSinh.Core.Time;
using AnSinh.Web.Database;
using AnSinh.Web.Features.Home;
using AnSinh.Web.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace AnSinh.Web.Features;

/// <summary>The home page: real counts for what the signed-in user's scope holds.</summary>
[Authorize(Policy = Policies.SignedIn)]
public sealed class IndexModel(AppDbContext db, IStringLocalizer<SharedResource> l, TimeProvider time, Core.Registry.WorkingDays workingDays) : PageModel
{
    // Razor HTML-encodes the attribute that carries this, so the JSON itself need not escape Vietnamese.
    private static readonly JsonSerializerOptions ChartJsonOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.Create(System.Text.Unicode.UnicodeRanges.All) };

    public Summary Summary { get; private set; } = null!;
    public string ChartJson { get; private set; } = "{}";
    public IReadOnlyList<Registry.Application> Overdue { get; private set; } = [];

    /// <summary>The day's work for this user's role: what to check, what to decide, what waits for a decision, who cannot be paid.</summary>
    public WorkList<Registry.Application> ToCheck { get; private set; } = WorkList<Registry.Application>.Empty;
    public WorkList<Registry.Application> ToDecide { get; private set; } = WorkList<Registry.Application>.Empty;
    public WorkList<Registry.ChangeProposal> Proposals { get; private set; } = WorkList<Registry.ChangeProposal>.Empty;
    /// <summary>People who cannot be paid next month (counted for a commune user; null elsewhere: the page links to the list).</summary>
    public int? Unrouted { get; private set; }
    /// <summary>Transfers into this user's area waiting for the receiving decider, and out of it waiting elsewhere.</summary>
    public int TransfersIn { get; private set; }
    public int TransfersOut { get; private set; }
    public YearMonth NextMonth { get; private set; }
    /// <summary>People of a commune who collected nothing for three months (the suspension task), for its officers.</summary>
    public int? Uncollected { get; private set; }
    /// <summary>Grievances for this officer: open ones assigned to them, those due within three working days, overdue; and, for the province's officers, those not yet accepted and those escalated.</summary>
    public GrievanceReminders? Grievances { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        var scope = UserScope.From(User);
        var scopeName = scope.Level switch
        {
            ScopeLevel.All => l["Home.AllProvinces"].Value,
            ScopeLevel.Province => (await db.Provinces.AsNoTracking().FirstOrDefaultAsync(p => p.Code == scope.ProvinceCode, ct))?.Name ?? scope.ProvinceCode!,
            _ => (await db.Communes.AsNoTracking().FirstOrDefaultAsync(c => c.Code == scope.CommuneCode, ct))?.Name ?? scope.CommuneCode!,
        };
        Summary = await SummaryApi.ComputeAsync(db, scope, null, scopeName, ct);
        Overdue = await Registry.RegistryQueries.Overdue(db, scope, time.VietnamToday()).Take(20).ToListAsync(ct);
        await LoadWorkAsync(scope, ct);
        ChartJson = JsonSerializer.Serialize(new
        {
            label = l["Home.Beneficiaries"].Value,
            labels = Summary.ByCategory.Select(c => CategoryLabel(c)).ToArray(),
            values = Summary.ByCategory.Select(c => c.Count).ToArray(),
        }, ChartJsonOptions);
    }

    private async Task LoadWorkAsync(UserScope scope, CancellationToken ct)
    {
        if (scope.Level == ScopeLevel.All)
        {
            return;
        }

        var applications = db.Applications.AsNoTracking().WhereInScope(scope);
        var proposals = db.ChangeProposals.AsNoTracking().WhereInScope(scope).Where(p => p.Status == Registry.ProposalStatus.Proposed);
        var received = Core.Registry.ApplicationWorkflow.Code(Core.Registry.ApplicationStatus.Received);
        if (User.IsInRole(Roles.CommuneOfficer) || User.IsInRole(Roles.ProvinceOfficer))
        {
            ToCheck = await WorkList<Registry.Application>.LoadAsync(applications.Where(a => a.Status == received).OrderBy(a => a.DueOn), ct);
            Proposals = await WorkList<Registry.ChangeProposal>.LoadAsync(proposals.OrderBy(p => p.Id), ct);
        }

        var setting = await Registry.Deciding.SettingAsync(db, scope.ProvinceCode!, ct);
        if (Registry.Deciding.IsDecider(setting, User))
        {
            var me = User.Identity!.Name;
            var ready = new[] { Core.Registry.ApplicationStatus.Checked, Core.Registry.ApplicationStatus.Posted }.Select(Core.Registry.ApplicationWorkflow.Code).ToList();
            var today = time.VietnamToday();
            ToDecide = await WorkList<Registry.Application>.LoadAsync(applications
                .Where(a => ready.Contains(a.Status) && (a.PostingUntil == null || a.PostingUntil < today) && a.CreatedBy != me && a.CheckedBy != me).OrderBy(a => a.DueOn), ct);
            Proposals = await WorkList<Registry.ChangeProposal>.LoadAsync(proposals.Where(p => p.ProposedBy != me).OrderBy(p => p.Id), ct);
        }

        (TransfersIn, TransfersOut) = await Registry.Transfers.CountOpenAsync(db, scope, ct);
        if (User.IsInRole(Roles.CommuneOfficer) || User.IsInRole(Roles.ProvinceOfficer))
        {
            Grievances = await GrievanceReminders.LoadAsync(db, scope, User.Identity!.Name!, time.VietnamToday(), workingDays, ct);
        }

        // Counted for a commune (hundreds of people) on every visit; a province's whole list is checked on the
        // routing page when asked for, not each time someone opens the home page.
        NextMonth = time.VietnamMonth().AddMonths(1);
        if (scope.Level == ScopeLevel.Commune)
        {
            Unrouted = (await Payment.PaymentRouting.UnroutedAsync(db, scope.ProvinceCode!, scope.CommuneCode, null, NextMonth, Payment.RoutingModel.MaxListed + 1, ct)).Count;
            Uncollected = (await Payroll.Uncollected.ListAsync(db, scope, scope.ProvinceCode!, ct)).Count(r => !r.Proposed);
        }
    }

    public string CategoryLabel(CategoryCount c)
    {
        ArgumentNullException.ThrowIfNull(c);
        var label = l[$"Category.{c.Programme}.{c.Category}"];
        return label.ResourceNotFound ? $"{c.Programme}/{c.Category}" : label.Value;
    }
}

/// <summary>What the home page reminds an officer of about grievances.</summary>
public sealed record GrievanceReminders(string ProvinceCode, int Mine, int MineSoon, int MineOverdue, int Unaccepted, int Escalated)
{
    public const int SoonWorkingDays = 3;

    public bool Any => Mine + Unaccepted + Escalated > 0;

    public static async Task<GrievanceReminders> LoadAsync(AppDbContext db, UserScope scope, string me, DateOnly today, Core.Registry.WorkingDays days, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(days);
        var open = Grievances.GrievanceScope.WhereInScope(db.Grievances.AsNoTracking(), scope).Where(g => g.Status == "received" || g.Status == "accepted");
        var soon = days.Add(today, SoonWorkingDays);
        // One statement on every home-page view: the five counts are filters of one scan of the open grievances.
        var c = await open.GroupBy(_ => 1).Select(g => new
        {
            Mine = g.Count(x => x.AssignedTo == me),
            Soon = g.Count(x => x.AssignedTo == me && x.DueOn >= today && x.DueOn <= soon),
            Overdue = g.Count(x => x.AssignedTo == me && x.DueOn < today),
            Unaccepted = g.Count(x => x.Status == "received"),
            Escalated = g.Count(x => x.EscalatedAt != null),
        }).FirstOrDefaultAsync(ct);
        return c is null
            ? new(scope.ProvinceCode!, 0, 0, 0, 0, 0)
            : new(scope.ProvinceCode!, c.Mine, c.Soon, c.Overdue, c.Unaccepted, scope.Level == ScopeLevel.Province ? c.Escalated : 0);
    }
}

/// <summary>The first items of a work list and how many there are in all.</summary>
public sealed record WorkList<T>(IReadOnlyList<T> Items, int Count)
{
    public const int Shown = 10;

    public static readonly WorkList<T> Empty = new([], 0);

    public static async Task<WorkList<T>> LoadAsync(IQueryable<T> query, CancellationToken ct) =>
        new(await query.Take(Shown).ToListAsync(ct), await query.CountAsync(ct));
}
