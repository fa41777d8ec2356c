using AnSinh.Web.Features.People;
using AnSinh.Web.Security;
using Microsoft.EntityFrameworkCore;

namespace AnSinh.Web.Features.Registry;

public sealed partial class EnrolmentCommands
{
    /// <summary>
    /// A move changes the person's commune for every open programme at once, in one transaction: the old commune
    /// pays through the month before, the new one from the effective month, so no month is paid twice or lost.
    /// An officer moves people only within their own area; payment instructions tied to the old commune's
    /// payment points end with the move (a new one is needed, and the person shows on the list to fix).
    /// </summary>
    private async Task<RegistryError?> MoveAsync(UserScope scope, Person person, YearMonth effective, ChangeRequest r, string actor, CancellationToken ct)
    {
        var commune = await db.Communes.AsNoTracking().FirstOrDefaultAsync(c => c.Code == r.CommuneCode, ct);
        if (commune is null || commune.Code == person.CommuneCode)
        {
            return RegistryError.Invalid("CommuneCode", Hosting.Texts.Get("Registry.Err.MoveCommune"));
        }

        if (!scope.Covers(commune.ProvinceCode, commune.Code))
        {
            return RegistryError.Invalid("CommuneCode", Hosting.Texts.Get("Registry.Err.MoveOutside"));
        }

        return await RelocateAsync(person, commune, effective, r.Reason, actor, null, ct);
    }
}
