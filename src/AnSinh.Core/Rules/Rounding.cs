using AnSinh.Core.Money;

namespace AnSinh.Core.Rules;

/// <summary>The one rounding rule for amounts that rules compute.</summary>
public static class Rounding
{
    /// <summary>
    /// Base × coefficient, to the đồng, halves up. With a national base (a multiple of 10,000) and coefficients
    /// in tenths the product is always whole; a province's own base may not be, and then this rule decides.
    /// Applied once per line; totals are sums of lines.
    /// </summary>
    public static Dong BaseTimesCoefficient(Dong @base, Coefficient coefficient)
    {
        if (@base.Value < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(@base), "A base level is never negative.");
        }

        var tenthsOfDong = checked(@base.Value * coefficient.Tenths);
        return new Dong(checked((tenthsOfDong + 5) / 10));
    }
}
