using AnSinh.Core.People;
using AnSinh.Web.Database;
using AnSinh.Web.Features.People;
using AnSinh.Web.Security;
using Microsoft.EntityFrameworkCore;

namespace AnSinh.Web.Features.Registry;

public sealed record CreatePersonRequest(
    string CitizenId,
    string FullName,
    DateOnly BirthDate,
    string Sex,
    string CommuneCode,
    string? Hamlet,
    string? Address,
    string? Phone,
    string? CitizenIdOverrideReason);

public sealed record CorrectPersonRequest(
    string CitizenId,
    string FullName,
    DateOnly BirthDate,
    string Sex,
    string? Hamlet,
    string? Address,
    string? Phone,
    string? CitizenIdOverrideReason,
    string Reason);

public static class PersonCommands
{
    public static Sex? ParseSex(string? s) => s switch
    {
        "male" or "nam" => Sex.Male,
        "female" or "nu" or "nữ" => Sex.Female,
        _ => null,
    };

    /// <summary>
    /// The facts every person record must have right, for a new person and a correction alike: a name, a sex, a
    /// plausible birth date, and a citizen ID of twelve digits that agrees with them, or an officer's recorded
    /// reason when the card really says otherwise. Problems are added to <paramref name="problems"/>.
    /// </summary>
    private static (string Id, string Name, Sex? Sex, CitizenIdProblem? IdProblem, string? OverrideReason) CheckFacts(
        string? citizenId, string? fullName, DateOnly birthDate, string? sexText, string? overrideText, DateOnly today, List<(string, string)> problems)
    {
        var id = (citizenId ?? "").Trim();
        var name = RegistryBounds.Text(fullName, "FullName", RegistryBounds.MaxNameLength, problems, required: true) ?? "";
        var sex = ParseSex(sexText);

        if (sex is null)
        {
            problems.Add(("Sex", Hosting.Texts.Get("Registry.Err.Sex")));
        }

        if (birthDate > today || birthDate.Year < 1900)
        {
            problems.Add(("BirthDate", Hosting.Texts.Get("Registry.Err.BirthDate")));
        }

        var idProblem = sex is null ? CitizenId.CheckStructure(id) : CitizenId.Check(id, birthDate.Year, sex.Value);
        var overrideReason = RegistryBounds.Text(overrideText, "CitizenIdOverrideReason", RegistryBounds.MaxReasonLength, problems);
        if (idProblem == CitizenIdProblem.NotTwelveDigits)
        {
            problems.Add(("CitizenId", CitizenIdMessage(idProblem.Value)));
        }
        else if (idProblem is not null && overrideReason is null)
        {
            problems.Add(("CitizenId", CitizenIdMessage(idProblem.Value) + " Kiểm tra lại thẻ; nếu thẻ đúng như vậy, ghi lý do xác nhận để lưu."));
        }

        return (id, name, sex, idProblem, overrideReason);
    }

    /// <summary>Where the person lives and how to reach them: cleaned and bounded.</summary>
    private readonly record struct Contact(string? Hamlet, string? Address, string? Phone)
    {
        public static Contact Check(string? hamlet, string? address, string? phone, List<(string, string)> problems) => new(
            RegistryBounds.Text(hamlet, "Hamlet", RegistryBounds.MaxHamletLength, problems),
            RegistryBounds.Text(address, "Address", RegistryBounds.MaxAddressLength, problems),
            RegistryBounds.Text(phone, "Phone", RegistryBounds.MaxPhoneLength, problems));
    }

    public static string CitizenIdMessage(CitizenIdProblem p) => p switch
    {
        CitizenIdProblem.NotTwelveDigits => Hosting.Texts.Get("Registry.Err.CitizenIdDigits"),
        CitizenIdProblem.UnknownProvince => Hosting.Texts.Get("Registry.Err.CitizenIdProvince"),
        CitizenIdProblem.BirthYearMismatch => Hosting.Texts.Get("Registry.Err.CitizenIdYear"),
        _ => Hosting.Texts.Get("Registry.Err.CitizenIdSex"),
    };

    /// <summary>
    /// Corrects a person's recorded facts (a misspelt name, a wrong birth date or ID), with the reason kept in the
    /// audit log. The place is changed by a move, not here; the same checks as for a new person apply.
    /// </summary>
    public static async Task<RegistryError?> CorrectAsync(AppDbContext db, UserScope scope, long personId, CorrectPersonRequest r, DateOnly today, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(r);
        var person = await db.People.WhereInScope(scope).FirstOrDefaultAsync(p => p.Id == personId, ct);
        if (person is null)
        {
            return RegistryError.NotFound("person");
        }

        var problems = new List<(string, string)>();
        var reason = RegistryBounds.Text(r.Reason, "Reason", RegistryBounds.MaxReasonLength, problems, required: true);
        var (id, name, sex, idProblem, overrideReason) = CheckFacts(r.CitizenId, r.FullName, r.BirthDate, r.Sex, r.CitizenIdOverrideReason, today, problems);
        var contact = Contact.Check(r.Hamlet, r.Address, r.Phone, problems);
        if (problems.Count > 0)
        {
            return RegistryError.Invalid(problems);
        }

        if (id != person.CitizenId && await db.People.AnyAsync(p => p.CitizenId == id, ct))
        {
            return RegistryError.Conflict(Hosting.Texts.Get("Registry.Err.CitizenIdTaken", id));
        }

        person.CitizenId = id;
        person.FullName = name;
        person.BirthDate = r.BirthDate;
        person.Sex = sex!.Value;
        (person.Hamlet, person.Address, person.Phone) = contact;
        person.CitizenIdOverrideReason = idProblem is null ? null : overrideReason;
        db.Audit.Reason = reason;
        await db.SaveChangesAsync(ct);
        return null;
    }

    /// <summary>
    /// A new person in the registry. The citizen ID is unique nationally. A structure or birth mismatch is
    /// refused unless an officer confirms it with a reason (a real person is never turned away for a typo on
    /// a card); twelve digits are always required.
    /// </summary>
    public static async Task<(Person? Person, RegistryError? Error)> CreateAsync(AppDbContext db, UserScope scope, CreatePersonRequest r, DateOnly today, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(r);
        var problems = new List<(string, string)>();
        var (id, name, sex, idProblem, overrideReason) = CheckFacts(r.CitizenId, r.FullName, r.BirthDate, r.Sex, r.CitizenIdOverrideReason, today, problems);
        var contact = Contact.Check(r.Hamlet, r.Address, r.Phone, problems);
        var commune = await db.Communes.AsNoTracking().FirstOrDefaultAsync(c => c.Code == r.CommuneCode, ct);
        if (commune is null)
        {
            problems.Add(("CommuneCode", Hosting.Texts.Get("Registry.Err.NoCommune", r.CommuneCode)));
        }
        else if (!scope.Covers(commune.ProvinceCode, commune.Code))
        {
            problems.Add(("CommuneCode", Hosting.Texts.Get("Registry.Err.CommuneOutside")));
        }

        if (problems.Count > 0)
        {
            return (null, RegistryError.Invalid(problems));
        }

        // Where the existing person lives is said only to those who may see them: the registry is no lookup service.
        var existing = await db.People.AsNoTracking().Where(p => p.CitizenId == id)
            .Join(db.Communes, p => p.CommuneCode, c => c.Code, (p, c) => new { p.ProvinceCode, p.CommuneCode, c.Name }).FirstOrDefaultAsync(ct);
        if (existing is not null)
        {
            var where = scope.Covers(existing.ProvinceCode, existing.CommuneCode) ? existing.Name : Hosting.Texts.Get("Registry.ElsewhereOutsideScope");
            return (null, RegistryError.Conflict(Hosting.Texts.Get("Registry.Err.CitizenIdExists", id, where)));
        }

        var person = new Person
        {
            CitizenId = id,
            FullName = name,
            BirthDate = r.BirthDate,
            Sex = sex!.Value,
            ProvinceCode = commune!.ProvinceCode,
            CommuneCode = commune.Code,
            Hamlet = contact.Hamlet,
            Address = contact.Address,
            Phone = contact.Phone,
            CitizenIdOverrideReason = idProblem is null ? null : overrideReason,
        };
        db.Audit.Reason = idProblem is null ? null : $"xác nhận số định danh: {overrideReason}";
        db.People.Add(person);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (e.InnerException is Npgsql.PostgresException { SqlState: Npgsql.PostgresErrorCodes.UniqueViolation })
        {
            return (null, RegistryError.Conflict(Hosting.Texts.Get("Registry.Err.CitizenIdRace", id)));
        }

        return (person, null);
    }
}
