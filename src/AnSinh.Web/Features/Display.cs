using System.Globalization;
using AnSinh.Core.Money;

namespace AnSinh.Web.Features;

/// <summary>How pages show numbers to people: Vietnamese grouping and decimal comma.</summary>
public static class Display
{
    private static readonly CultureInfo Vi = CultureInfo.GetCultureInfo("vi-VN");

    public static string Money(long amount) => new Dong(amount).ToDisplay();

    public static string Coefficient(decimal value) => value.ToString("0.0", Vi);

    /// <summary>A month as Vietnamese offices write it, 11/2026, whatever the browser's language.</summary>
    public static string Month(YearMonth month) => month.Month.ToString("00", CultureInfo.InvariantCulture) + "/" + month.Year.ToString(CultureInfo.InvariantCulture);

    public static string Month(DateOnly firstDay) => Month(YearMonth.From(firstDay));

    /// <summary>The office that signs a commune's or a province's paper: the commune's People's Committee, or the province's department (Sở Y tế since 2025).</summary>
    public static string Office(string? communeName, string provinceName) => communeName is null ? "Sở Y tế " + provinceName : "Ủy ban nhân dân " + communeName;

    public static string Date(DateOnly date) => date.ToString("dd/MM/yyyy", CultureInfo.InvariantCulture);

    /// <summary>An instant as Vietnam's clock shows it: 21/11/2026 01:30, whatever the server's zone.</summary>
    public static string Moment(DateTimeOffset at) => at.ToOffset(VietnamTime.Offset).ToString("dd/MM/yyyy HH:mm", CultureInfo.InvariantCulture);

    /// <summary>The colour of a run's status badge: grey while open, blue on the way, green once frozen, red when failed.</summary>
    public static string RunBadge(string status) => status switch
    {
        "failed" => "danger",
        "submitted" => "info",
        "approved" or "sent" => "primary",
        "closed" => "success",
        "discarded" => "light",
        _ => "secondary",
    };
}

/// <summary>The letterhead partial's model: the office's lines (empty for a citizen's own letter) and a test id.</summary>
public sealed record Letterhead(string[] OfficeLines, string? TestId = null);
