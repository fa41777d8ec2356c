using AnSinh.Core.Rules;
using Shouldly;

namespace AnSinh.Core.Tests.Rules;

public sealed class RuleSetLoaderTests
{
    private const string Header = """
        "reference": "Nghị định thử", "title": "t", "signed": "2021-01-01", "inForce": "2021-07-01", "confidence": "H"
        """;

    private static string Instrument(string id, string known, string body) => $$"""{ "id": "{{id}}", "known": "{{known}}", {{Header}}, {{body}} }""";

    private static string Schedule(string from, string categories) => $$"""
        "schedules": [ { "from": "{{from}}", "article": "Điều 6", "categories": { {{categories}} } } ]
        """;

    private static RuleSetException Fails(params string[] files) =>
        Should.Throw<RuleSetException>(() => RuleSetLoader.Load(files.Select((f, i) => ($"file{i}.json", f))));

    [Fact]
    public void Embedded_InstrumentsLoad_AndCoverEveryBasePeriod()
    {
        var rules = RuleSetLoader.LoadEmbedded();

        rules.Instruments.Select(i => i.Id).ShouldBe(["nd136-2013", "nd176-2025", "nd20-2021", "nd335-2026", "nd76-2024"], ignoreOrder: true);
        rules.BaseLevels.Select(b => b.Amount.Value).Order().ShouldBe([270_000, 360_000, 500_000, 540_000]);
    }

    [Fact]
    public void Valid_MinimalSet_Loads() =>
        RuleSetLoader.Load([("a.json", Instrument("a", "2021-01-01", """ "baseLevels": [ { "from": "2021-07", "amount": 360000 } ] """))])
            .BaseLevels.ShouldHaveSingleItem().Amount.Value.ShouldBe(360_000);

    [Fact]
    public void OverlappingPeriods_InOneInstrument_AreRefused() =>
        Fails(Instrument("a", "2021-01-01", """ "baseLevels": [ { "from": "2021-07", "amount": 360000 }, { "from": "2022-01", "amount": 400000 } ] """))
            .Problems.ShouldContain(p => p.Contains("a has two entries covering the same months"));

    [Fact]
    public void OverlappingPeriods_FromTwoInstrumentsKnownTheSameDay_AreRefused() =>
        Fails(
            Instrument("a", "2021-01-01", """ "baseLevels": [ { "from": "2021-07", "amount": 360000 } ] """),
            Instrument("b", "2021-01-01", """ "baseLevels": [ { "from": "2022-07", "amount": 400000 } ] """))
            .Problems.ShouldContain(p => p.Contains("neither supersedes the other"));

    [Fact]
    public void OverlappingPeriods_FromALaterKnownInstrument_Supersede() =>
        RuleSetLoader.Load([
            ("a.json", Instrument("a", "2021-01-01", """ "baseLevels": [ { "from": "2021-07", "amount": 360000 } ] """)),
            ("b.json", Instrument("b", "2022-09-01", """ "baseLevels": [ { "from": "2022-07", "amount": 400000 } ] """)),
        ]).BaseLevels.Count.ShouldBe(2);

    [Fact]
    public void MissingPeriod_IsRefused() =>
        Fails(Instrument("a", "2021-01-01", """ "baseLevels": [ { "from": "2021-07", "to": "2021-12", "amount": 360000 }, { "from": "2022-03", "amount": 400000 } ] """))
            .Problems.ShouldContain(p => p.Contains("no rule covers 2022-01"));

    [Fact]
    public void ClosedLastPeriod_IsRefused() =>
        Fails(Instrument("a", "2021-01-01", """ "baseLevels": [ { "from": "2021-07", "to": "2021-12", "amount": 360000 } ] """))
            .Problems.ShouldContain(p => p.Contains("no rule covers 2022-01"));

    [Theory]
    [InlineData(""" "9": { "bands": [ { "coefficient": 1.5 } ] } """, "'9': unknown code")]
    [InlineData(""" "1": { "bands": [ { "coefficient": 1.55 } ] } """, "coefficient 1.55 is not in (0, 10]")]
    [InlineData(""" "1": { "bands": [ { "coefficient": 11 } ] } """, "coefficient 11 is not in (0, 10]")]
    [InlineData(""" "1": { "bands": [ { "coefficient": 0 } ] } """, "coefficient 0 is not in (0, 10]")]
    [InlineData(""" "1": { "bands": [ { "to": "4y", "coefficient": 2.5 } ] } """, "only the last band is open")]
    [InlineData(""" "1": { "bands": [ { "to": "4y", "coefficient": 2.5 }, { "to": "2y", "coefficient": 2.0 }, { "coefficient": 1.5 } ] } """, "'to' ages must increase")]
    [InlineData(""" "1": { "minAge": "16y", "maxAge": "16y", "bands": [ { "coefficient": 1.5 } ] } """, "minAge must be below maxAge")]
    [InlineData(""" "1": { "maxAge": "16 years", "bands": [ { "coefficient": 1.5 } ] } """, "maxAge '16 years' is not an age")]
    [InlineData(""" "6": { "bands": [ { "coefficient": 1.5 } ] } """, "category 6 needs 'severities'")]
    [InlineData(""" "6": { "severities": { "severe": [ { "coefficient": 1.5 } ] } } """, "category 6 needs 'severities'")]
    [InlineData(""" "5a": { "perChild": true, "bands": [ { "coefficient": 1.5 } ] } """, "perChild applies only to category 4")]
    [InlineData(""" "1": { "bands": [ { "coefficient": 1.5 } ], "coefficent": 2 } """, "coefficent")]
    public void InvalidCategory_IsRefusedNamingIt(string categories, string expected) =>
        Fails(Instrument("a", "2021-01-01", Schedule("2021-07", categories))).Problems.ShouldContain(p => p.Contains(expected));

    [Theory]
    [InlineData(""" "baseLevels": [ { "from": "2021-7", "amount": 360000 } ] """, "'from' must be a month yyyy-MM")]
    [InlineData(""" "baseLevels": [ { "from": "2021-07", "to": "2021-01", "amount": 360000 } ] """, "'to' 2021-01 is before 'from' 2021-07")]
    [InlineData(""" "baseLevels": [ { "from": "2021-07", "amount": 0 } ] """, "amount must be a positive whole number")]
    [InlineData(""" "baseLevels": [ { "from": "2021-07", "amount": 360000.5 } ] """, "")]
    [InlineData(""" "funeral": [ { "from": "2021-07", "multiplier": 0 } ] """, "multiplier must be a whole number from 1 to 100")]
    [InlineData(""" "bseLevels": [] """, "bseLevels")]
    public void InvalidPeriodOrAmount_IsRefused(string body, string expected) =>
        Fails(Instrument("a", "2021-01-01", body)).Problems.ShouldContain(p => p.Contains(expected));

    [Fact]
    public void MissingHeaderFields_AreAllReportedTogether()
    {
        var problems = Fails("""{ "id": "x", "confidence": "Z" }""").Problems;

        problems.ShouldContain(p => p.Contains("reference is required"));
        problems.ShouldContain(p => p.Contains("signed must be a date"));
        problems.ShouldContain(p => p.Contains("known must be a date"));
        problems.ShouldContain(p => p.Contains("confidence must be H, M or L"));
    }

    [Fact]
    public void DuplicateIds_AreRefused() =>
        Fails(
            Instrument("a", "2021-01-01", """ "baseLevels": [ { "from": "2021-07", "amount": 360000 } ] """),
            Instrument("a", "2022-01-01", """ "baseLevels": [ { "from": "2022-07", "amount": 400000 } ] """))
            .Problems.ShouldContain(p => p.Contains("id 'a' is used by another file"));
}
