using AnSinh.Core.Audit;
using Shouldly;

namespace AnSinh.Core.Tests;

public sealed class AuditChainTests
{
    private static List<(AuditRecord Record, string PreviousHash, string Hash)> Chain(int n)
    {
        var rows = new List<(AuditRecord, string, string)>();
        var previous = AuditChain.Genesis;
        var at = new DateTimeOffset(2026, 11, 21, 8, 30, 0, TimeSpan.FromHours(7));
        for (var i = 1; i <= n; i++)
        {
            var r = new AuditRecord(i, at.AddSeconds(i), "admin", "update", "person", i.ToString(System.Globalization.CultureInfo.InvariantCulture), "19",
                $$"""{"status":"active"}""", $$"""{"status":"suspended"}""", i % 2 == 0 ? "không lĩnh 3 tháng" : null);
            var hash = AuditChain.ComputeHash(previous, r);
            rows.Add((r, previous, hash));
            previous = hash;
        }

        return rows;
    }

    [Fact]
    public void Verify_IntactChain_Passes() => AuditChain.Verify(Chain(10)).ShouldBeNull();

    [Fact]
    public void Verify_ModifiedContent_NamesThatRow()
    {
        var rows = Chain(10);
        rows[4] = (rows[4].Record with { NewValues = """{"status":"active"}""" }, rows[4].PreviousHash, rows[4].Hash);

        var broken = AuditChain.Verify(rows);

        broken.ShouldNotBeNull();
        broken.Id.ShouldBe(5);
        broken.Problem.ShouldContain("modified");
    }

    [Fact]
    public void Verify_RowRemoved_NamesTheRowAfterTheGap()
    {
        var rows = Chain(10);
        rows.RemoveAt(6);

        AuditChain.Verify(rows)!.Id.ShouldBe(8);
    }

    [Fact]
    public void Verify_RowRehashedAfterEditing_StillBreaksTheNextLink()
    {
        var rows = Chain(10);
        var edited = rows[2].Record with { Actor = "someone-else" };
        rows[2] = (edited, rows[2].PreviousHash, AuditChain.ComputeHash(rows[2].PreviousHash, edited));

        AuditChain.Verify(rows)!.Id.ShouldBe(4);
    }

    [Fact]
    public void ComputeHash_FieldBoundariesMatter()
    {
        var a = new AuditRecord(1, DateTimeOffset.UnixEpoch, "ab", "c", "e", "k", null, null, null, null);
        var b = a with { Actor = "a", Action = "bc" };
        var c = a with { ProvinceCode = "" };

        AuditChain.ComputeHash(AuditChain.Genesis, a).ShouldNotBe(AuditChain.ComputeHash(AuditChain.Genesis, b));
        AuditChain.ComputeHash(AuditChain.Genesis, a).ShouldNotBe(AuditChain.ComputeHash(AuditChain.Genesis, c));
    }

    [Fact]
    public void ComputeHash_SameInstantInAnyOffsetOrSubMicrosecond_HashesTheSame()
    {
        var utc = new DateTimeOffset(2026, 11, 21, 1, 30, 0, TimeSpan.Zero).AddTicks(12_345_671);
        var hanoi = utc.ToOffset(TimeSpan.FromHours(7));
        var a = new AuditRecord(1, utc, "x", "y", "z", "k", null, null, null, null);

        AuditChain.ComputeHash(AuditChain.Genesis, a).ShouldBe(AuditChain.ComputeHash(AuditChain.Genesis, a with { At = hanoi.AddTicks(-1) }));
        AuditChain.Normalise(utc).Ticks.ShouldBe(utc.Ticks - 1);
    }
}
