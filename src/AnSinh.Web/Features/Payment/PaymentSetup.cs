using AnSinh.Core.People;
using AnSinh.Web.Database;
using AnSinh.Web.Features.Registry;
using AnSinh.Web.Security;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace AnSinh.Web.Features.Payment;

/// <summary>A province's payers, their contracts and payment points, and a person's proxies: checked, then stored with their audit.</summary>
public static class PaymentSetup
{
    /// <summary>A bank missing from the NAPAS list (admins only): its six-digit BIN, names and SWIFT code.</summary>
    public static async Task<(string? Bin, RegistryError? Error)> AddBankAsync(AppDbContext db, AddBankRequest r, string actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(r);
        r = r with { Bin = r.Bin?.Trim() ?? "", ShortName = FreeText.Clean(r.ShortName) ?? "", NameVi = FreeText.Clean(r.NameVi) ?? "", Swift = FreeText.Clean(r.Swift)?.ToUpperInvariant() };
        var problems = new List<(string, string)>();
        if (!System.Text.RegularExpressions.Regex.IsMatch(r.Bin, "^[0-9]{6}$"))
        {
            problems.Add(("Bin", Hosting.Texts.Get("Bank.BinInvalid")));
        }

        RegistryBounds.Text(r.ShortName, "ShortName", 60, problems, required: true);
        RegistryBounds.Text(r.NameVi, "NameVi", 200, problems, required: true);
        if (r.Swift is not null && !System.Text.RegularExpressions.Regex.IsMatch(r.Swift, "^[A-Z0-9]{8}([A-Z0-9]{3})?$"))
        {
            problems.Add(("Swift", Hosting.Texts.Get("Bank.SwiftInvalid")));
        }

        if (problems.Count > 0)
        {
            return (null, RegistryError.Invalid(problems));
        }

        db.Banks.Add(new Bank { Bin = r.Bin, ShortName = r.ShortName, NameVi = r.NameVi, Swift = r.Swift, CreatedBy = actor });
        var (_, error) = await SaveAsync(db, () => 0, Hosting.Texts.Get("Bank.Exists"), ct);
        return error is null ? (r.Bin, null) : (null, error);
    }

    public static async Task<(long Id, RegistryError? Error)> AddPayerAsync(AppDbContext db, string province, AddPayerRequest r, string actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(r);
        r = r with { Name = FreeText.Clean(r.Name) ?? "" };
        var problems = new List<(string, string)>();
        if (!PayerKinds.All.Contains(r.Kind))
        {
            problems.Add(("Kind", Hosting.Texts.Get("Payment.Err.PayerKind")));
        }

        if (string.IsNullOrWhiteSpace(r.Name) || r.Name.Trim().Length > 200)
        {
            problems.Add(("Name", Hosting.Texts.Get("Payment.Err.PayerName")));
        }

        if (r.Kind == PayerKinds.Bank && (r.BankBin is null || !await db.Banks.AnyAsync(b => b.Bin == r.BankBin, ct)))
        {
            problems.Add(("BankBin", Hosting.Texts.Get("Payment.Err.Bank")));
        }

        if (problems.Count > 0)
        {
            return (0, RegistryError.Invalid(problems));
        }

        var payer = new Payer { ProvinceCode = province, Kind = r.Kind, Name = r.Name.Trim(), BankBin = r.Kind == PayerKinds.Bank ? r.BankBin : null, CreatedBy = actor };
        db.Payers.Add(payer);
        return await SaveAsync(db, () => payer.Id, Hosting.Texts.Get("Payment.Err.PayerExists"), ct);
    }

    public static async Task<(long Id, RegistryError? Error)> AddContractAsync(AppDbContext db, string province, AddContractRequest r, string actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(r);
        r = r with { Reference = FreeText.Clean(r.Reference) ?? "" };
        var problems = new List<(string, string)>();
        if (!await db.Payers.AnyAsync(p => p.Id == r.PayerId && p.ProvinceCode == province, ct))
        {
            problems.Add(("PayerId", Hosting.Texts.Get("Payment.Err.Payer")));
        }

        if (string.IsNullOrWhiteSpace(r.Reference) || r.Reference.Length > 100)
        {
            problems.Add(("Reference", Hosting.Texts.Get("Payment.Err.ContractReference")));
        }

        if (!r.PaysCash && !r.PaysAccount)
        {
            problems.Add(("PaysCash", Hosting.Texts.Get("Payment.Err.ContractMethods")));
        }

        // The fee is a percentage of the money paid (Circular 76/2021 Art. 3.7), kept exactly in hundredths of a percent.
        if (r.FeePercent is < 0 or > 10 || decimal.Round(r.FeePercent, 2) != r.FeePercent)
        {
            problems.Add(("FeePercent", Hosting.Texts.Get("Payment.Err.Fee")));
        }

        foreach (var (field, day) in new[] { ("TransferDay", r.TransferDay), ("PayFromDay", r.PayFromDay), ("PayToDay", r.PayToDay), ("ResultsDay", r.ResultsDay), ("SettlementDay", r.SettlementDay) })
        {
            if (day is < 1 or > 28)
            {
                problems.Add((field, Hosting.Texts.Get("Payment.Err.DayOfMonth")));
            }
        }

        if (r.PayFromDay > r.PayToDay)
        {
            problems.Add(("PayToDay", Hosting.Texts.Get("Payment.Err.PayDays")));
        }

        if (r.ValidFrom < RegistryBounds.FirstMonth.FirstDay || (r.ValidTo is { } to && to < r.ValidFrom))
        {
            problems.Add(("ValidTo", Hosting.Texts.Get("Payment.Err.ContractValidity")));
        }

        var communes = (r.Communes ?? []).Distinct(StringComparer.Ordinal).ToList();
        if (communes.Count == 0 || communes.Count > 500 || await db.Communes.CountAsync(c => communes.Contains(c.Code) && c.ProvinceCode == province, ct) != communes.Count)
        {
            problems.Add(("Communes", Hosting.Texts.Get("Payment.Err.ContractCommunes")));
        }

        if (problems.Count > 0)
        {
            return (0, RegistryError.Invalid(problems));
        }

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var contract = new PayerContract
        {
            ProvinceCode = province, PayerId = r.PayerId, Reference = r.Reference.Trim(), PaysCash = r.PaysCash, PaysAccount = r.PaysAccount,
            FeeBasisPoints = (int)(r.FeePercent * 100), TransferDay = r.TransferDay, PayFromDay = r.PayFromDay, PayToDay = r.PayToDay,
            ResultsDay = r.ResultsDay, SettlementDay = r.SettlementDay, ValidFrom = r.ValidFrom, ValidTo = r.ValidTo, CreatedBy = actor,
        };
        db.PayerContracts.Add(contract);
        await db.SaveChangesAsync(ct);
        db.PayerContractCommunes.AddRange(communes.Select(c => new PayerContractCommune { ContractId = contract.Id, CommuneCode = c, ProvinceCode = province }));
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return (contract.Id, null);
    }

    public static async Task<(long Id, RegistryError? Error)> AddPointAsync(AppDbContext db, UserScope scope, string province, AddPointRequest r, string actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(r);
        r = r with { Name = FreeText.Clean(r.Name) ?? "", Address = FreeText.Clean(r.Address) };
        var problems = new List<(string, string)>();
        var commune = await db.Communes.AsNoTracking().FirstOrDefaultAsync(c => c.Code == r.CommuneCode && c.ProvinceCode == province, ct);
        if (commune is null || !scope.Covers(commune.ProvinceCode, commune.Code))
        {
            problems.Add(("CommuneCode", Hosting.Texts.Get("Payment.Err.PointCommune")));
        }

        if (r.PayerId is not null && !await db.Payers.AnyAsync(p => p.Id == r.PayerId && p.ProvinceCode == province, ct))
        {
            problems.Add(("PayerId", Hosting.Texts.Get("Payment.Err.Payer")));
        }

        if (string.IsNullOrWhiteSpace(r.Name) || r.Name.Trim().Length > 200 || (r.Address?.Length ?? 0) > 300)
        {
            problems.Add(("Name", Hosting.Texts.Get("Payment.Err.PointName")));
        }

        if (r.FirstDay is < 1 or > 28 || r.LastDay is < 1 or > 28 || r.FirstDay > r.LastDay)
        {
            problems.Add(("LastDay", Hosting.Texts.Get("Payment.Err.PointDays")));
        }

        if (problems.Count > 0)
        {
            return (0, RegistryError.Invalid(problems));
        }

        var point = new PaymentPoint
        {
            ProvinceCode = province, CommuneCode = commune!.Code, PayerId = r.PayerId, Name = r.Name.Trim(), Address = r.Address?.Trim(),
            FirstDay = r.FirstDay, LastDay = r.LastDay, CreatedBy = actor,
        };
        db.PaymentPoints.Add(point);
        return await SaveAsync(db, () => point.Id, Hosting.Texts.Get("Payment.Err.PointExists"), ct);
    }

    /// <summary>Authorisations last at most 12 months, as pension authorisations do (domain.md).</summary>
    public const int MaxProxyMonths = 12;

    /// <param name="letter">The scanned, signed authorisation letter (PDF, JPEG or PNG), or null to attach it later from the person's payment page.</param>
    public static async Task<(long Id, RegistryError? Error)> AddProxyAsync(AppDbContext db, UserScope scope, long personId, AddProxyRequest r, string actor, DateOnly today,
        CancellationToken ct, byte[]? letter = null)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(r);
        var person = await db.People.AsNoTracking().WhereInScope(scope).FirstOrDefaultAsync(p => p.Id == personId, ct);
        if (person is null)
        {
            return (0, RegistryError.NotFound("person"));
        }

        // Names and addresses are printed on the letter and the payment lists: cleaned of control and bidi characters.
        r = r with
        {
            FullName = FreeText.Clean(r.FullName) ?? "", Relationship = FreeText.Clean(r.Relationship) ?? "", Phone = FreeText.Clean(r.Phone),
            Address = FreeText.Clean(r.Address), Reference = FreeText.Clean(r.Reference),
        };

        var problems = new List<(string, string)>();
        if (string.IsNullOrWhiteSpace(r.FullName) || r.FullName.Trim().Length > 100)
        {
            problems.Add(("FullName", Hosting.Texts.Get("Payment.Err.ProxyName")));
        }

        if (CitizenId.CheckStructure(r.CitizenId?.Trim()) is not null)
        {
            problems.Add(("CitizenId", Hosting.Texts.Get("Payment.Err.ProxyCitizenId")));
        }
        else if (r.CitizenId!.Trim() == person.CitizenId)
        {
            problems.Add(("CitizenId", Hosting.Texts.Get("Payment.Err.ProxySelf")));
        }

        if (string.IsNullOrWhiteSpace(r.Relationship) || r.Relationship.Length > 50)
        {
            problems.Add(("Relationship", Hosting.Texts.Get("Payment.Err.Relationship")));
        }

        if (r.ValidTo < r.ValidFrom || r.ValidFrom < today.AddYears(-1) || r.ValidTo > r.ValidFrom.AddMonths(MaxProxyMonths))
        {
            problems.Add(("ValidTo", Hosting.Texts.Get("Payment.Err.ProxyPeriod", MaxProxyMonths)));
        }

        if ((r.Phone?.Length ?? 0) > 20 || (r.Address?.Length ?? 0) > 300 || (r.Reference?.Length ?? 0) > 100)
        {
            problems.Add(("Address", Hosting.Texts.Get("Payment.Err.ProxyLengths")));
        }

        var letterType = letter is { Length: > 0 } ? Scans.Check(letter, "Letter", problems) : null;

        if (problems.Count > 0)
        {
            return (0, RegistryError.Invalid(problems));
        }

        var proxy = new ProxyAuthorisation
        {
            PersonId = personId, ProvinceCode = person.ProvinceCode, CommuneCode = person.CommuneCode, FullName = r.FullName.Trim(), CitizenId = r.CitizenId!.Trim(),
            BirthDate = r.BirthDate, Relationship = r.Relationship.Trim(), Phone = r.Phone?.Trim(), Address = r.Address?.Trim(), Reference = r.Reference?.Trim(),
            ValidFrom = r.ValidFrom, ValidTo = r.ValidTo, CreatedBy = actor,
            Letter = letterType is null ? null : letter, LetterType = letterType,
            LetterSha256 = letterType is null ? null : Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(letter!)),
        };
        db.ProxyAuthorisations.Add(proxy);
        await db.SaveChangesAsync(ct);
        return (proxy.Id, null);
    }

    private static async Task<(long Id, RegistryError? Error)> SaveAsync(AppDbContext db, Func<long> id, string duplicate, CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
            return (id(), null);
        }
        catch (DbUpdateException e) when (e.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            return (0, RegistryError.Conflict(duplicate));
        }
    }
}
