using AnSinh.Web.Features.Places;

namespace AnSinh.Web.Features.Admin.Users;

/// <summary>The fields the create and edit pages share (_UserFields.cshtml).</summary>
public sealed record UserFormFields(string? FullName, string? Role, string? ProvinceCode, string? CommuneCode, IReadOnlyList<Province> Provinces, string? JobTitle = null);
