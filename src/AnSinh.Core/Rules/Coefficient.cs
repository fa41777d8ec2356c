using System.Globalization;

namespace AnSinh.Core.Rules;

/// <summary>A coefficient (hệ số) held exactly in tenths: the decrees use one decimal place.</summary>
public readonly record struct Coefficient(int Tenths) : IComparable<Coefficient>
{
    public const int MaxTenths = 100;

    public decimal Value => Tenths / 10m;

    /// <summary>Exact conversion: 1.5 → 15 tenths; 1.55 or anything outside (0, 10] is refused.</summary>
    public static Coefficient FromDecimal(decimal value)
    {
        var tenths = value * 10m;
        if (tenths != decimal.Truncate(tenths) || tenths <= 0 || tenths > MaxTenths)
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "A coefficient has one decimal place and lies in (0, 10].");
        }

        return new Coefficient((int)tenths);
    }

    public static Coefficient operator *(Coefficient c, int times) => new(checked(c.Tenths * times));

    public int CompareTo(Coefficient other) => Tenths.CompareTo(other.Tenths);

    public static bool operator <(Coefficient a, Coefficient b) => a.Tenths < b.Tenths;
    public static bool operator >(Coefficient a, Coefficient b) => a.Tenths > b.Tenths;
    public static bool operator <=(Coefficient a, Coefficient b) => a.Tenths <= b.Tenths;
    public static bool operator >=(Coefficient a, Coefficient b) => a.Tenths >= b.Tenths;

    /// <summary>Invariant, for files and APIs: "1.5".</summary>
    public override string ToString() => Value.ToString("0.0", CultureInfo.InvariantCulture);

    /// <summary>For people: "1,5".</summary>
    public string ToDisplay() => Value.ToString("0.0", CultureInfo.GetCultureInfo("vi-VN"));
}
