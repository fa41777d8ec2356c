using AnSinh.Web.Audit;
using Microsoft.AspNetCore.Identity;

namespace AnSinh.Web.Security;

/// <summary>A staff account with one role and the place it is bound to.</summary>
public sealed class AppUser : IdentityUser, IAudited
{
    public required string FullName { get; set; }
    public required string Role { get; set; }

    /// <summary>The title printed above an approver's signature ("Chủ tịch", "Phó Chủ tịch").</summary>
    public string? JobTitle { get; set; }
    public string? ProvinceCode { get; set; }
    public string? CommuneCode { get; set; }

    /// <summary>A payer clerk's payer (post-office unit or bank branch): the only payer whose runs, files and results they see.</summary>
    public long? PayerId { get; set; }
    public bool IsDisabled { get; set; }
    public DateTimeOffset CreatedAt { get; init; }

    string? IAudited.AuditProvinceCode => ProvinceCode;
}
