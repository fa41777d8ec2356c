namespace AnSinh.Web.Features.Places;

public sealed class Province
{
    public required string Code { get; init; }
    public required string Name { get; set; }
}

public sealed class Commune
{
    public required string Code { get; init; }
    public required string Name { get; set; }
    public required string ProvinceCode { get; set; }
}

/// <summary>A pre-2025 commune and one new commune it became part of (several rows when it was split).</summary>
public sealed class CommuneMapping
{
    public required string OldProvinceCode { get; init; }
    public required string OldProvinceName { get; init; }
    public required string OldCommuneCode { get; init; }
    public required string OldCommuneName { get; init; }
    public required string NewCommuneCode { get; init; }
    public required string NewCommuneName { get; init; }
}
