using AnSinh.Core.Registry;
using AnSinh.Core.Rules;
using AnSinh.Web.Features.People;
using AnSinh.Web.Features.Rules;
using Microsoft.EntityFrameworkCore;

namespace AnSinh.Web.Features.Registry;

/// <summary>A death (Art. 8.2 and 11): every open period stops after the month of death; a beneficiary's funeral support is recorded.</summary>
public sealed partial class EnrolmentCommands
{
    private async Task<RegistryError?> DeathAsync(Person person, ChangeRequest r, string actor, CancellationToken ct)
    {
        if (r.DeathDate is not { } died || died > Today || died < person.BirthDate)
        {
            return RegistryError.Invalid("DeathDate", Hosting.Texts.Get("Registry.Err.DeathDate"));
        }

        if (person.DeathDate is not null)
        {
            return RegistryError.Conflict(Hosting.Texts.Get("Registry.Err.AlreadyDied", person.DeathDate));
        }

        var deathMonth = YearMonth.From(died);
        var open = await db.Enrolments.Where(e => e.PersonId == person.Id && e.EndMonth == null && e.SupersededAt == null).ToListAsync(ct);
        var wasBeneficiary = await db.Enrolments.AnyAsync(e => e.PersonId == person.Id && e.SupersededAt == null
            && (e.Programme == Programme.SocialAssistance || e.Programme == Programme.SocialPension) && e.StartMonth <= deathMonth.FirstDay, ct);
        await using var tx = await db.TransactionAsync(ct);
        db.Audit.Reason = r.Reason;
        person.DeathDate = died;
        await db.SaveChangesAsync(ct);
        foreach (var e in open)
        {
            // Art. 8.2: paid through the month of death, stopped from the month after.
            var (change, _) = EnrolmentTimeline.StopAfter(new EnrolmentPeriod(e.Id, YearMonth.From(e.StartMonth), null, e.Status == EnrolmentStatus.Active), deathMonth);
            Close(e, change!, r.Reason);
        }

        await db.SaveChangesAsync(ct);
        if (wasBeneficiary)
        {
            var funeral = rules.Evaluator(await RulesCatalog.LoadOverridesAsync(db, ct), Today).EvaluateFuneral(deathMonth, person.ProvinceCode);
            if (!funeral.IsError)
            {
                db.OneTimePayments.Add(new OneTimePayment
                {
                    PersonId = person.Id, ProvinceCode = person.ProvinceCode, CommuneCode = person.CommuneCode, Kind = "funeral",
                    Month = deathMonth.FirstDay, Amount = funeral.Total.Value, Reference = funeral.Lines[0].Reference, CreatedBy = actor,
                });
                await db.SaveChangesAsync(ct);
            }
        }

        await tx.CommitAsync(ct);
        return null;
    }
}
