using AnSinh.Core.Registry;
using AnSinh.Web.Database;
using AnSinh.Web.Security;
using Microsoft.EntityFrameworkCore;

namespace AnSinh.Web.Features.Registry;

/// <summary>A decider's signature as printed: the deciding office, the title and the name.</summary>
public sealed record Signer(string UserName, string Office, string Title, string Name);

/// <summary>
/// Who may decide a case in a place: the decider the province has chosen (<see cref="Deciders"/>), never someone
/// who prepared it. The scope of the user (a commune chairman's commune) is enforced by the scoped queries.
/// </summary>
public static class Deciding
{
    public static async Task<ProvinceSetting> SettingAsync(AppDbContext db, string province, CancellationToken ct) =>
        await db.ProvinceSettings.AsNoTracking().FirstOrDefaultAsync(s => s.ProvinceCode == province, ct)
        ?? new ProvinceSetting { ProvinceCode = province };

    public static DeciderKind KindOf(string? role) => role switch
    {
        Roles.CommuneApprover => DeciderKind.CommuneApprover,
        Roles.ProvinceApprover => DeciderKind.ProvinceApprover,
        _ => DeciderKind.Other,
    };

    /// <summary>Whether the signed-in user is the decider the province has chosen (for offering decision forms; the command checks again, with who prepared the case).</summary>
    public static bool IsDecider(ProvinceSetting setting, System.Security.Claims.ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(setting);
        ArgumentNullException.ThrowIfNull(user);
        return Deciders.MayDecide(Deciders.ParseLevel(setting.Decider), KindOf(Roles.All.FirstOrDefault(user.IsInRole)), false) is null;
    }

    /// <returns>The signer, or why <paramref name="actor"/> may not decide a case of this place (403).</returns>
    public static async Task<(Signer? Signer, RegistryError? Error)> AuthoriseAsync(
        AppDbContext db, string actor, string provinceCode, string communeCode, IEnumerable<string?> preparedBy, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        var user = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.UserName == actor, ct);
        var setting = await SettingAsync(db, provinceCode, ct);
        var kind = KindOf(user?.Role);
        if (Deciders.MayDecide(Deciders.ParseLevel(setting.Decider), kind, preparedBy.Contains(actor)) is { } refusal)
        {
            return (null, RegistryError.Forbidden(Hosting.Texts.Of(refusal)));
        }

        var office = kind == DeciderKind.CommuneApprover
            ? "Ủy ban nhân dân " + await db.Communes.AsNoTracking().Where(c => c.Code == communeCode).Select(c => c.Name).FirstAsync(ct)
            : ProvinceOffice((await db.ProvinceNameAsync(provinceCode, ct))!);
        return (new Signer(actor, office, user!.JobTitle ?? "Chủ tịch", user.FullName), null);
    }

    /// <summary>"Ủy ban nhân dân tỉnh Thái Nguyên", "Ủy ban nhân dân Thành phố Hà Nội".</summary>
    public static string ProvinceOffice(string provinceName) =>
        "Ủy ban nhân dân " + (provinceName.StartsWith("Thành phố", StringComparison.Ordinal) ? provinceName : "tỉnh " + provinceName);
}
