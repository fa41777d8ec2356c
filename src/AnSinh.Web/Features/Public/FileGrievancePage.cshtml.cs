using AnSinh.Web.Database;
using AnSinh.Web.Features.Grievances;
using AnSinh.Web.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace AnSinh.Web.Features.Public;

/// <summary>
/// Gửi khiếu nại, kiến nghị: a citizen files a grievance online, without signing in, and gets a tracking code. Their
/// citizen ID and birth date, if given and matching, link it to their record; the answer is the same either way, so the
/// form tells nobody whether a person is registered. Limited per address with the self-check.
/// </summary>
[AllowAnonymous]
public sealed class FileGrievancePageModel(AppDbContext db, GrievanceCommands commands, SelfCheckThrottle throttle) : PageModel
{
    [BindProperty] public string? ProvinceCode { get; set; }
    [BindProperty] public string Kind { get; set; } = "complaint";
    [BindProperty] public string Topic { get; set; } = "not_paid";
    [BindProperty] public string? FilerName { get; set; }
    [BindProperty] public string? FilerPhone { get; set; }
    [BindProperty] public string? FilerAddress { get; set; }
    [BindProperty] public string? Summary { get; set; }
    [BindProperty] public string? CitizenId { get; set; }
    [BindProperty] public DateOnly? BirthDate { get; set; }

    public IReadOnlyList<Places.Province> Provinces { get; private set; } = [];
    public Grievance? Filed { get; private set; }
    public bool Limited { get; private set; }

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        await LoadAsync(ct);
        var id = CitizenId?.Trim() ?? "";
        if (id.Length > 0 && (id.Length != 12 || !id.All(char.IsAsciiDigit)))
        {
            ModelState.AddModelError(nameof(CitizenId), Hosting.Texts.Get("SelfCheck.Err.CitizenId"));
            return Page();
        }

        var client = SignInThrottle.ClientOf(HttpContext);
        if (!throttle.Allows(client, id))
        {
            Limited = true;
            Response.StatusCode = StatusCodes.Status429TooManyRequests;
            return Page();
        }

        throttle.Attempted(client);
        long? personId = null;
        if (id.Length == 12 && BirthDate is { } born)
        {
            var match = await db.People.AsNoTracking().Where(p => p.CitizenId == id && p.BirthDate == born && p.ProvinceCode == ProvinceCode).Select(p => p.Id).ToListAsync(ct);
            personId = match.Count == 1 ? match[0] : null;
        }

        var (g, error) = await commands.FileAsync(null, new GrievanceRequest(ProvinceCode ?? "", null, Kind, "online", Topic, FilerName ?? "", FilerPhone, FilerAddress, Summary ?? "",
            PersonId: personId), "public", ct);
        if (error is not null)
        {
            error.AddTo(ModelState);
            Response.StatusCode = error.Status;
            return Page();
        }

        Filed = g;
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct) =>
        Provinces = await db.Provinces.AsNoTracking().OrderBy(p => p.Name).ToListAsync(ct);
}
