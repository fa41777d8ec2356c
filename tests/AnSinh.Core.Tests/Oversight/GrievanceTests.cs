using AnSinh.Core.Oversight;
using AnSinh.Core.People;
using AnSinh.Core.Registry;
using Shouldly;

namespace AnSinh.Core.Tests.Oversight;

public sealed class GrievanceTests
{
    private static readonly WorkingDays Vietnam = WorkingDays.Vietnam();

    [Fact]
    public void APetitionsDeadline_SkipsTheNationalDayHolidays()
    {
        // Received Monday 24/8/2026; 15 working days: 25–28/8 (4), 31/8 (5), 1–2/9 are National Day (skipped),
        // 3–4/9 (7), 7–11/9 (12), 14–16/9 (15) → Wednesday 16/9. Without the holidays it would be Monday 14/9.
        var (acceptBy, answerBy) = GrievanceDeadlines.Default.For("petition", new DateOnly(2026, 8, 24), Vietnam);
        answerBy.ShouldBe(new DateOnly(2026, 9, 16));
        new WorkingDays(new HashSet<DateOnly>()).Add(new DateOnly(2026, 8, 24), 15).ShouldBe(new DateOnly(2026, 9, 14));

        // Accepted within 10: 25–28/8 (4), 31/8 (5), 3–4/9 (7), 7–9/9 (10) → 9/9.
        acceptBy.ShouldBe(new DateOnly(2026, 9, 9));
    }

    [Fact]
    public void AProvincesOwnDeadlines_AreUsedByKind()
    {
        var mine = new GrievanceDeadlines(5, 20, 25, 10);
        mine.DaysFor("complaint").ShouldBe(20);
        mine.DaysFor("denunciation").ShouldBe(25);
        mine.DaysFor("petition").ShouldBe(10);
        Should.Throw<ArgumentOutOfRangeException>(() => mine.DaysFor("rumour"));
    }

    [Theory]
    [InlineData(GrievanceStatus.Received, GrievanceAction.Accept, GrievanceStatus.Accepted)]
    [InlineData(GrievanceStatus.Accepted, GrievanceAction.Reassign, GrievanceStatus.Accepted)]
    [InlineData(GrievanceStatus.Accepted, GrievanceAction.Answer, GrievanceStatus.Answered)]
    [InlineData(GrievanceStatus.Received, GrievanceAction.Withdraw, GrievanceStatus.Withdrawn)]
    [InlineData(GrievanceStatus.Accepted, GrievanceAction.Withdraw, GrievanceStatus.Withdrawn)]
    [InlineData(GrievanceStatus.Received, GrievanceAction.LinkPerson, GrievanceStatus.Received)]
    [InlineData(GrievanceStatus.Accepted, GrievanceAction.LinkPerson, GrievanceStatus.Accepted)]
    public void AllowedSteps(GrievanceStatus from, GrievanceAction action, GrievanceStatus to) =>
        GrievanceWorkflow.Apply(from, action).ShouldBe((to, null));

    [Theory]
    [InlineData(GrievanceStatus.Received, GrievanceAction.Answer, "grievance.order")]
    [InlineData(GrievanceStatus.Received, GrievanceAction.Reassign, "grievance.order")]
    [InlineData(GrievanceStatus.Answered, GrievanceAction.Answer, "grievance.final")]
    [InlineData(GrievanceStatus.Withdrawn, GrievanceAction.Accept, "grievance.final")]
    [InlineData(GrievanceStatus.Answered, GrievanceAction.LinkPerson, "grievance.final")]
    public void RefusedSteps(GrievanceStatus from, GrievanceAction action, string reason)
    {
        var (next, refusal) = GrievanceWorkflow.Apply(from, action);
        next.ShouldBeNull();
        refusal!.Code.ShouldBe(reason);
    }

    [Fact]
    public void TrackingCodes_AreGroupedAndUnambiguous()
    {
        var codes = Enumerable.Range(0, 2000).Select(_ => GrievanceWorkflow.NewCode()).ToList();
        codes.ShouldAllBe(c => System.Text.RegularExpressions.Regex.IsMatch(c, "^[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}$"));
        codes.Distinct().Count().ShouldBe(codes.Count);
    }

    [Fact]
    public void SeveralLines_KeepTheirBreaks_ButNotControlCharacters()
    {
        FreeText.CleanLines("  Dòng một \r\n\r\n\r\n\tDòng\u202e hai  \n").ShouldBe("Dòng một\n\nDòng hai");
        FreeText.CleanLines(" \n \r\n").ShouldBeNull();
    }
}
