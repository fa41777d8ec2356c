using AnSinh.Core.Payment;
using Shouldly;

namespace AnSinh.Core.Tests;

public sealed class BankAccountsTests
{
    [Theory]
    [InlineData("0123 4567 8901", "012345678901")]
    [InlineData("1903-1234-5678", "190312345678")]
    [InlineData(" 970.415.123 ", "970415123")]
    public void Normalise_NumberAsPrinted_KeepsTheDigits(string input, string digits) =>
        BankAccounts.Normalise(input).Digits.ShouldBe(digits);

    [Theory]
    [InlineData("", "account.required")]
    [InlineData("12345", "account.digits")]
    [InlineData("12345678901234567890", "account.digits")]
    [InlineData("12a456789", "account.digits")]
    public void Normalise_Bad_NamesTheReason(string input, string code) =>
        BankAccounts.Normalise(input).Problem!.Code.ShouldBe(code);

    [Theory]
    [InlineData("NGUYEN THI HOA", true)]
    [InlineData("nguyễn  thị hoa", true)]
    [InlineData("TRAN VAN BINH", true)] // the registered proxy
    [InlineData("NGUYEN THI HOAN", false)]
    public void HolderIsOneOf_IgnoresDiacriticsAndCase(string holder, bool expected) =>
        BankAccounts.HolderIsOneOf(holder, ["Nguyễn Thị Hoa", "Trần Văn Bình"]).ShouldBe(expected);
}
