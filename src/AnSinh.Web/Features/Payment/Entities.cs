using AnSinh.Web.Audit;
using AnSinh.Web.Security;

namespace AnSinh.Web.Features.Payment;

/// <summary>A bank by its six-digit NAPAS BIN.</summary>
public sealed class Bank : IAudited
{
    public required string Bin { get; init; }
    public required string ShortName { get; set; }
    public required string NameVi { get; set; }
    public string? Swift { get; set; }
    public string CreatedBy { get; init; } = "reference data";
    public DateTimeOffset CreatedAt { get; init; }

    string? IAudited.AuditProvinceCode => null;
}

public static class PayerKinds
{
    public const string PostOffice = "post_office";
    public const string Bank = "bank";
    public static readonly string[] All = [PostOffice, Bank];
}

/// <summary>A post-office unit or bank branch paying beneficiaries of a province.</summary>
public sealed class Payer : IAudited
{
    public long Id { get; init; }
    public required string ProvinceCode { get; init; }
    public required string Kind { get; init; }
    public required string Name { get; set; }
    public string? BankBin { get; init; }
    public required string CreatedBy { get; init; }
    public DateTimeOffset CreatedAt { get; init; }

    string? IAudited.AuditProvinceCode => ProvinceCode;
}

/// <summary>The province's contract with a payer (Decree 20 Art. 34.3).</summary>
public sealed class PayerContract : IAudited
{
    public long Id { get; init; }
    public required string ProvinceCode { get; init; }
    public long PayerId { get; init; }
    public required string Reference { get; init; }
    public bool PaysCash { get; init; }
    public bool PaysAccount { get; init; }

    /// <summary>The fee as a percentage of the money paid, in hundredths of a percent (0.55% = 55).</summary>
    public int FeeBasisPoints { get; init; }
    public short TransferDay { get; init; }
    public short PayFromDay { get; init; }
    public short PayToDay { get; init; }
    public short ResultsDay { get; init; }
    public short SettlementDay { get; init; }
    public DateOnly ValidFrom { get; init; }
    public DateOnly? ValidTo { get; set; }
    public required string CreatedBy { get; init; }
    public DateTimeOffset CreatedAt { get; init; }

    string? IAudited.AuditProvinceCode => ProvinceCode;
}

public sealed class PayerContractCommune : IAudited
{
    public long ContractId { get; init; }
    public required string CommuneCode { get; init; }
    public required string ProvinceCode { get; init; }

    string? IAudited.AuditProvinceCode => ProvinceCode;
}

/// <summary>Where cash is paid in a commune, by which payer, on which days of the month.</summary>
public sealed class PaymentPoint : IAudited, IPlaced
{
    public long Id { get; init; }
    public required string ProvinceCode { get; init; }
    public required string CommuneCode { get; init; }
    public long? PayerId { get; set; }
    public required string Name { get; set; }
    public string? Address { get; set; }
    public short FirstDay { get; set; }
    public short LastDay { get; set; }
    public bool Active { get; set; } = true;
    public required string CreatedBy { get; init; }
    public DateTimeOffset CreatedAt { get; init; }

    string? IAudited.AuditProvinceCode => ProvinceCode;
}

/// <summary>An authorisation letter: who may collect for the person, for how long, with its scan.</summary>
public sealed class ProxyAuthorisation : IAudited, IPlaced
{
    public long Id { get; init; }
    public long PersonId { get; init; }
    public required string ProvinceCode { get; init; }
    public required string CommuneCode { get; init; }
    public required string FullName { get; init; }
    public required string CitizenId { get; init; }
    public DateOnly? BirthDate { get; init; }
    public required string Relationship { get; init; }
    public string? Phone { get; init; }
    public string? Address { get; init; }
    public string? Reference { get; init; }
    public DateOnly? ValidFrom { get; init; }
    public DateOnly? ValidTo { get; init; }
    public byte[]? Letter { get; init; }
    public string? LetterType { get; init; }
    public string? LetterSha256 { get; init; }
    public DateTimeOffset? RevokedAt { get; set; }
    public required string CreatedBy { get; init; }
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>Every field but the scanned letter's bytes: for lists and the printed letter, which never need the scan.</summary>
    public static readonly System.Linq.Expressions.Expression<Func<ProxyAuthorisation, ProxyAuthorisation>> WithoutScan = p => new ProxyAuthorisation
    {
        Id = p.Id, PersonId = p.PersonId, ProvinceCode = p.ProvinceCode, CommuneCode = p.CommuneCode, FullName = p.FullName, CitizenId = p.CitizenId,
        BirthDate = p.BirthDate, Relationship = p.Relationship, Phone = p.Phone, Address = p.Address, Reference = p.Reference,
        ValidFrom = p.ValidFrom, ValidTo = p.ValidTo, LetterType = p.LetterType, RevokedAt = p.RevokedAt, CreatedBy = p.CreatedBy, CreatedAt = p.CreatedAt,
    };

    string? IAudited.AuditProvinceCode => ProvinceCode;
}

public static class PaymentMethods
{
    public const string CashPoint = "cash_point";
    public const string Home = "home";
    public const string Bank = "bank";
    public const string Proxy = "proxy";
    public static readonly string[] All = [CashPoint, Home, Bank, Proxy];
}

/// <summary>How a person is paid from a month on, for one programme or (Programme null) all of them.</summary>
public sealed class PaymentInstruction : IAudited, IPlaced
{
    public long Id { get; init; }
    public long PersonId { get; init; }
    public required string ProvinceCode { get; init; }
    public required string CommuneCode { get; init; }
    public string? Programme { get; init; }
    public required string Method { get; init; }
    public long? PaymentPointId { get; init; }
    public string? HomeReason { get; init; }
    public string? BankBin { get; init; }
    public string? AccountNumber { get; init; }
    public string? AccountHolder { get; init; }
    public long? ProxyId { get; init; }
    public DateOnly StartMonth { get; init; }
    public DateOnly? EndMonth { get; set; }
    public string? Reason { get; init; }
    public required string CreatedBy { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? SupersededAt { get; set; }

    string? IAudited.AuditProvinceCode => ProvinceCode;
}
