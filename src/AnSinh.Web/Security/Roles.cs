namespace AnSinh.Web.Security;

public static class Roles
{
    public const string Admin = "admin";
    public const string ProvinceOfficer = "province_officer";
    public const string ProvinceApprover = "province_approver";
    public const string CommuneOfficer = "commune_officer";
    public const string PayerClerk = "payer_clerk";
    public const string Inspector = "inspector";

    public static readonly IReadOnlyList<string> All = [Admin, ProvinceOfficer, ProvinceApprover, CommuneOfficer, PayerClerk, Inspector];

    /// <summary>What place a role is bound to: none (all places), a province, or a commune.</summary>
    public static ScopeLevel LevelOf(string role) => role switch
    {
        Admin => ScopeLevel.All,
        CommuneOfficer => ScopeLevel.Commune,
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
