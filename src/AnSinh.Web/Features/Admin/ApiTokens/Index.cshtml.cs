using AnSinh.Web.Database;
using AnSinh.Web.Features.Disbursement;
using AnSinh.Web.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace AnSinh.Web.Features.Admin.ApiTokens;

/// <summary>Payer systems' API tokens: listed (never their secret), created (the secret shown this once), revoked.</summary>
[Authorize(Policy = Policies.Admin)]
public sealed class IndexModel(AppDbContext db, TimeProvider time) : PageModel
{
    [BindProperty] public long PayerId { get; set; }
    [BindProperty] public string? Name { get; set; }
    [BindProperty] public int Days { get; set; } = 90;
    [BindProperty] public long TokenId { get; set; }

    public IReadOnlyList<ApiTokenView> Tokens { get; private set; } = [];
    public IReadOnlyList<Payment.Payer> Payers { get; private set; } = [];
    public CreatedToken? Created { get; private set; }
    public DateTimeOffset Now => time.GetUtcNow();

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostCreateAsync(CancellationToken ct)
    {
        var (token, error) = await Disbursement.ApiTokens.CreateAsync(db, time, new CreateTokenRequest(PayerId, Name ?? "", Days), User.Identity!.Name!, ct);
        error?.AddTo(ModelState);
        Created = token;
        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostRevokeAsync(CancellationToken ct)
    {
        var error = await Disbursement.ApiTokens.RevokeAsync(db, time, TokenId, User.Identity!.Name!, ct);
        if (error is not null)
        {
            error.AddTo(ModelState);
            await LoadAsync(ct);
            return Page();
        }

        return Redirect("/Admin/ApiTokens");
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Tokens = await Disbursement.ApiTokens.ListAsync(db, ct);
        Payers = await db.Payers.AsNoTracking().OrderBy(p => p.ProvinceCode).ThenBy(p => p.Name).ToListAsync(ct);
    }
}
