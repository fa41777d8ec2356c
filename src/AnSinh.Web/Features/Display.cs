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

    public static string Date(DateOnly date) => date.ToString("dd/MM/yyyy", CultureInfo.InvariantCulture);
}
