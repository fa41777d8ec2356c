using AnSinh.Core.Time;
using AnSinh.Web.Database;
using AnSinh.Web.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace AnSinh.Web.Features.Grievances;

/// <summary>
/// A province's grievances (a commune's staff see their commune's): open, overdue, answered or all, and mine; officers
/// receive one here (in person, by phone, by post) with its deadlines shown from the province's setting.
/// </summary>
[Authorize(Policy = Policies.PlaceData)]
public sealed class GrievancesPageModel(AppDbContext db, GrievanceCommands commands, TimeProvider time, IAuthorizationService auth) : PageModel
{
    public const int PageSize = 500;

    [BindProperty(SupportsGet = true)] public string ProvinceCode { get; set; } = "";
    [BindProperty(SupportsGet = true)] public string Show { get; set; } = "open";
    [BindProperty(SupportsGet = true)] public bool Mine { get; set; }
    /// <summary>The list's own filters (the receiving form below has its own commune and kind).</summary>
    [BindProperty(SupportsGet = true)] public string? InCommune { get; set; }
    [BindProperty(SupportsGet = true)] public string? Search { get; set; }
    [BindProperty] public string? CommuneCode { get; set; }
    [BindProperty] public string Kind { get; set; } = "complaint";
    [BindProperty] public string Channel { get; set; } = "in_person";
    [BindProperty] public string Topic { get; set; } = "not_paid";
    [BindProperty] public string? FilerName { get; set; }
    [BindProperty] public string? FilerPhone { get; set; }
    [BindProperty] public string? FilerAddress { get; set; }
    [BindProperty] public string? Summary { get; set; }
    [BindProperty] public DateOnly? ReceivedOn { get; set; }
    [BindProperty] public string? CitizenId { get; set; }

    public IReadOnlyList<Grievance> Items { get; private set; } = [];
    public IReadOnlyList<Places.Commune> Communes { get; private set; } = [];
    public Core.Oversight.GrievanceDeadlines Deadlines { get; private set; } = Core.Oversight.GrievanceDeadlines.Default;
    public DateOnly Today { get; private set; }
    public bool CanWrite { get; private set; }
    public string ProvinceName { get; private set; } = "";

    public async Task<IActionResult> OnGetAsync(CancellationToken ct) => await LoadAsync(ct) ? Page() : NotFound();

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!(await auth.AuthorizeAsync(User, HttpContext, Policies.GrievanceWrite)).Succeeded)
        {
            return Forbid();
        }

        var (g, error) = await commands.FileAsync(UserScope.From(User), new GrievanceRequest(ProvinceCode, string.IsNullOrEmpty(CommuneCode) ? null : CommuneCode, Kind, Channel, Topic,
            FilerName ?? "", FilerPhone, FilerAddress, Summary ?? "", ReceivedOn, CitizenId: string.IsNullOrWhiteSpace(CitizenId) ? null : CitizenId), User.Identity!.Name!, ct);
        if (error is not null)
        {
            error.AddTo(ModelState);
            Response.StatusCode = error.Status;
            return await LoadAsync(ct) ? Page() : NotFound();
        }

        return Redirect($"/Grievances/{ProvinceCode}/{g!.Id}");
    }

    private async Task<bool> LoadAsync(CancellationToken ct)
    {
        var name = await db.ProvinceNameAsync(ProvinceCode, ct);
        if (name is null)
        {
            return false;
        }

        ProvinceName = name;
        Today = time.VietnamToday();
        var scope = UserScope.From(User);
        CanWrite = (await auth.AuthorizeAsync(User, HttpContext, Policies.GrievanceWrite)).Succeeded;
        Communes = await db.Communes.AsNoTracking().InScope(scope).Where(c => c.ProvinceCode == ProvinceCode).OrderBy(c => c.Name).ToListAsync(ct);
        Deadlines = await commands.DeadlinesAsync(ProvinceCode, ct);
        Items = await db.Grievances.AsNoTracking().WhereInScope(scope).Where(g => g.ProvinceCode == ProvinceCode)
            .Listed(Show, Mine ? User.Identity!.Name : null, Today, InCommune, Search).Take(PageSize).ToListAsync(ct);
        return true;
    }
}
