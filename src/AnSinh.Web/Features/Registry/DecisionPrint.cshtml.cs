using System.Globalization;
using AnSinh.Web.Database;
using AnSinh.Web.Features.People;
using AnSinh.Web.Security;
using Humanizer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace AnSinh.Web.Features.Registry;

/// <summary>
/// A signed decision as an A4 print view in the Vietnamese administrative format, read from the decision record:
/// the office, the signer and the amount as decided, so a reprint years later is the same document.
/// </summary>
[Authorize(Policy = Policies.PlaceData)]
public sealed class DecisionPrintModel(AppDbContext db) : PageModel
{
    private static readonly CultureInfo Vi = CultureInfo.GetCultureInfo("vi");

    [BindProperty(SupportsGet = true)] public long DecisionId { get; set; }

    public Decision Decision { get; private set; } = null!;
    public Person Person { get; private set; } = null!;
    public string CommuneName { get; private set; } = "";
    public string ProvinceName { get; private set; } = "";
    public DateOnly? ReceivedOn { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        var d = await db.Decisions.AsNoTracking().WhereInScope(UserScope.From(User)).FirstOrDefaultAsync(x => x.Id == DecisionId, ct);
        if (d is null)
        {
            return NotFound();
        }

        Decision = d;
        Person = await db.People.AsNoTracking().FirstAsync(p => p.Id == d.PersonId, ct);
        CommuneName = await db.Communes.AsNoTracking().Where(c => c.Code == d.CommuneCode).Select(c => c.Name).FirstAsync(ct);
        ProvinceName = (await db.ProvinceNameAsync(d.ProvinceCode, ct))!;
        ReceivedOn = d.ApplicationId is { } a ? await db.Applications.AsNoTracking().Where(x => x.Id == a).Select(x => (DateOnly?)x.ReceivedOn).FirstAsync(ct) : null;
        return Page();
    }

    /// <summary>"trợ cấp xã hội hằng tháng", "trợ cấp hưu trí xã hội", "hỗ trợ kinh phí chăm sóc hằng tháng".</summary>
    public static string Benefit(string programme) => programme switch
    {
        Core.Rules.Programme.SocialPension => "trợ cấp hưu trí xã hội",
        Core.Rules.Programme.CareSupport => "hỗ trợ kinh phí chăm sóc hằng tháng",
        _ => "trợ cấp xã hội hằng tháng",
    };

    /// <summary>What the decision does, as its subject line says it.</summary>
    public static string Subject(string kind, string programme) => kind switch
    {
        "suspend" => "tạm dừng " + Benefit(programme),
        "resume" => "tiếp tục " + Benefit(programme),
        "stop" => "thôi hưởng " + Benefit(programme),
        "category" => "điều chỉnh " + Benefit(programme),
        "move" => "tiếp nhận và tiếp tục chi trả " + Benefit(programme) + " cho người chuyển đến",
        _ => Benefit(programme),
    };

    /// <summary>The lines above the signature: "CHỦ TỊCH", or for a vice-chairman "KT. CHỦ TỊCH" then "PHÓ CHỦ TỊCH".</summary>
    public static IReadOnlyList<string> SignatureTitle(string title)
    {
        var upper = title.ToUpper(Vi);
        return upper.StartsWith("PHÓ ", StringComparison.Ordinal) ? ["KT. " + upper[4..], upper] : [upper];
    }

    /// <summary>"Bảy trăm năm mươi nghìn đồng": the amount in words, as written on payment documents.</summary>
    public static string InWords(long amount)
    {
        var words = amount.ToWords(Vi);
        return char.ToUpper(words[0], Vi) + words[1..] + " đồng";
    }
}
