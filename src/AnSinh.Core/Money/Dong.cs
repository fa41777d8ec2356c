using System.Globalization;

namespace AnSinh.Core.Money;

/// <summary>
/// An amount in Vietnamese đồng. The đồng has no minor unit, so amounts are whole numbers in a
/// 64-bit integer and every arithmetic operation is checked: an overflow throws rather than wraps.
/// </summary>
public readonly record struct Dong(long Value) : IComparable<Dong>
{
    public static readonly Dong Zero = new(0);

    public static Dong operator +(Dong a, Dong b) => new(checked(a.Value + b.Value));
    public static Dong operator -(Dong a, Dong b) => new(checked(a.Value - b.Value));
    public static Dong operator -(Dong a) => new(checked(-a.Value));
    public static Dong operator *(Dong a, int factor) => new(checked(a.Value * factor));
    public static bool operator <(Dong a, Dong b) => a.Value < b.Value;
    public static bool operator >(Dong a, Dong b) => a.Value > b.Value;
    public static bool operator <=(Dong a, Dong b) => a.Value <= b.Value;
    public static bool operator >=(Dong a, Dong b) => a.Value >= b.Value;

    public int CompareTo(Dong other) => Value.CompareTo(other.Value);

    public static Dong Sum(IEnumerable<Dong> amounts)
    {
        ArgumentNullException.ThrowIfNull(amounts);
        var total = Zero;
        foreach (var a in amounts)
        {
            total += a;
        }

        return total;
    }

    private static readonly CultureInfo Vietnamese = CultureInfo.GetCultureInfo("vi-VN");

    /// <summary>For people: "1.234.567 đ" with Vietnamese digit grouping.</summary>
    public string ToDisplay() => Value.ToString("#,0", Vietnamese) + " đ";

    /// <summary>For files and APIs: plain invariant digits.</summary>
    public override string ToString() => Value.ToString(CultureInfo.InvariantCulture);
}
