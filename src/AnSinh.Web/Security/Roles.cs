namespace AnSinh.Web.Security;

public static class Roles
{
    public const string Admin = "admin";
    public const string ProvinceOfficer = "province_officer";
    public const string ProvinceApprover = "province_approver";
    public const string CommuneOfficer = "commune_officer";

    /// <summary>The commune chairman or vice-chairman (Chủ tịch / Phó Chủ tịch UBND xã): decides, bound to one commune.</summary>
    public const string CommuneApprover = "commune_approver";
    public const string PayerClerk = "payer_clerk";
    public const string Inspector = "inspector";

    public static readonly IReadOnlyList<string> All = [Admin, ProvinceOfficer, ProvinceApprover, CommuneOfficer, CommuneApprover, PayerClerk, Inspector];

    /// <summary>The roles that sign decisions; which of them decides in a province is its setting.</summary>
    public static bool IsApprover(string role) => role is ProvinceApprover or CommuneApprover;

    /// <summary>What place a role is bound to: none (all places), a province, or a commune.</summary>
    public static ScopeLevel LevelOf(string role) => role switch
    {
        Admin => ScopeLevel.All,
        CommuneOfficer or CommuneApprover => ScopeLevel.Commune,
        _ when All.Contains(role) => ScopeLevel.Province,
        _ => throw new ArgumentException($"Unknown role '{role}'.", nameof(role)),
    };
}

public enum ScopeLevel
{
    All,
    Province,
    Commune,
}
