using AnSinh.Core.People;
using Shouldly;

namespace AnSinh.Core.Tests;

public sealed class CitizenIdTests
{
    [Theory]
    [InlineData("001", 1950, Sex.Male, 123, "001050000123")]
    [InlineData("079", 1965, Sex.Female, 987654, "079165987654")]
    [InlineData("019", 2008, Sex.Male, 1, "019208000001")]
    [InlineData("006", 2012, Sex.Female, 42, "006312000042")]
    [InlineData("096", 2100, Sex.Male, 7, "096400000007")]
    public void Compose_EncodesCenturySexAndYear(string province, int year, Sex sex, int sequence, string expected)
    {
        var id = CitizenId.Compose(province, year, sex, sequence);

        id.ShouldBe(expected);
        CitizenId.DecodeBirth(id).ShouldBe((year, sex));
        CitizenId.Check(id, year, sex).ShouldBeNull();
    }

    [Theory]
    [InlineData("00105000012", CitizenIdProblem.NotTwelveDigits)]
    [InlineData("0010500001234", CitizenIdProblem.NotTwelveDigits)]
    [InlineData("00105000012a", CitizenIdProblem.NotTwelveDigits)]
    [InlineData("００１050000123", CitizenIdProblem.NotTwelveDigits)]
    [InlineData("", CitizenIdProblem.NotTwelveDigits)]
    [InlineData(null, CitizenIdProblem.NotTwelveDigits)]
    [InlineData("003050000123", CitizenIdProblem.UnknownProvince)]
    [InlineData("099050000123", CitizenIdProblem.UnknownProvince)]
    public void CheckStructure_Malformed_NamesTheProblem(string? id, CitizenIdProblem problem) =>
        CitizenId.CheckStructure(id).ShouldBe(problem);

    [Fact]
    public void Check_BirthYearOrSexDisagree_IsFlaggedForAnOfficerToConfirm()
    {
        const string id = "001050000123"; // male, 1950

        CitizenId.Check(id, 1951, Sex.Male).ShouldBe(CitizenIdProblem.BirthYearMismatch);
        CitizenId.Check(id, 2050, Sex.Male).ShouldBe(CitizenIdProblem.BirthYearMismatch);
        CitizenId.Check(id, 1950, Sex.Female).ShouldBe(CitizenIdProblem.SexMismatch);
    }

    [Fact]
    public void BirthProvinceCodes_AreTheSixtyThreePre2025Provinces() =>
        CitizenId.BirthProvinceCodes.Count.ShouldBe(63);

    [Fact]
    public void Compose_UnknownProvinceOrSequenceOutOfRange_Throws()
    {
        Should.Throw<ArgumentException>(() => CitizenId.Compose("003", 1950, Sex.Male, 1));
        Should.Throw<ArgumentOutOfRangeException>(() => CitizenId.Compose("001", 1950, Sex.Male, 1_000_000));
    }
}
