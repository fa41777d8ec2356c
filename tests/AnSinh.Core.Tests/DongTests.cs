using AnSinh.Core.Money;
using Shouldly;

namespace AnSinh.Core.Tests;

public sealed class DongTests
{
    [Fact]
    public void Arithmetic_IsExactWholeDong()
    {
        var a = new Dong(750_000);
        var b = new Dong(540_000);

        (a + b).ShouldBe(new Dong(1_290_000));
        (a - b).ShouldBe(new Dong(210_000));
        (b * 20).ShouldBe(new Dong(10_800_000));
        Dong.Sum([a, b, -a]).ShouldBe(b);
    }

    [Fact]
    public void Overflow_Throws_NeverWraps()
    {
        var max = new Dong(long.MaxValue);

        Should.Throw<OverflowException>(() => max + new Dong(1));
        Should.Throw<OverflowException>(() => new Dong(long.MinValue) - new Dong(1));
        Should.Throw<OverflowException>(() => max * 2);
        Should.Throw<OverflowException>(() => -new Dong(long.MinValue));
    }

    [Fact]
    public void Display_UsesVietnameseGrouping_FilesUsePlainDigits()
    {
        var amount = new Dong(1_234_567);

        amount.ToDisplay().ShouldBe("1.234.567 đ");
        amount.ToString().ShouldBe("1234567");
    }
}
