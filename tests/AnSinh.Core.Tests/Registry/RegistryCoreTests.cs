using AnSinh.Core;
using AnSinh.Core.Registry;
using AnSinh.Core.Time;
using Shouldly;

namespace AnSinh.Core.Tests.Registry;

public sealed class ApplicationWorkflowTests
{
    private static readonly DateOnly Today = new(2026, 11, 20);

    [Theory]
    [InlineData(ApplicationStatus.Received, ApplicationAction.Check, false, ApplicationStatus.Checked)]
    [InlineData(ApplicationStatus.Checked, ApplicationAction.Approve, false, ApplicationStatus.Approved)]
    [InlineData(ApplicationStatus.Checked, ApplicationAction.Post, true, ApplicationStatus.Posted)]
    [InlineData(ApplicationStatus.Received, ApplicationAction.Refuse, false, ApplicationStatus.Refused)]
    [InlineData(ApplicationStatus.Posted, ApplicationAction.Withdraw, true, ApplicationStatus.Withdrawn)]
    public void Apply_AllowedStep_GivesTheNextStatus(ApplicationStatus from, ApplicationAction action, bool posting, ApplicationStatus to) =>
        ApplicationWorkflow.Apply(from, action, posting, Today, null).ShouldBe((to, null));

    [Theory]
    [InlineData(ApplicationStatus.Received, ApplicationAction.Approve, false, "application.not_checked")]
    [InlineData(ApplicationStatus.Checked, ApplicationAction.Check, false, "application.already_checked")]
    [InlineData(ApplicationStatus.Checked, ApplicationAction.Approve, true, "application.needs_posting")]
    [InlineData(ApplicationStatus.Checked, ApplicationAction.Post, false, "application.no_posting")]
    [InlineData(ApplicationStatus.Received, ApplicationAction.Post, true, "application.post_needs_check")]
    [InlineData(ApplicationStatus.Approved, ApplicationAction.Refuse, false, "application.final.approved")]
    [InlineData(ApplicationStatus.Refused, ApplicationAction.Approve, false, "application.final.refused")]
    [InlineData(ApplicationStatus.Withdrawn, ApplicationAction.Check, false, "application.final.withdrawn")]
    public void Apply_IllegalStep_IsRefusedWithItsReason(ApplicationStatus from, ApplicationAction action, bool posting, string reason)
    {
        var (next, refusal) = ApplicationWorkflow.Apply(from, action, posting, Today, null);

        next.ShouldBeNull();
        refusal!.Code.ShouldBe(reason);
    }

    [Fact]
    public void Approve_DuringPosting_WaitsUntilThePostingDayHasPassed()
    {
        ApplicationWorkflow.Apply(ApplicationStatus.Posted, ApplicationAction.Approve, true, Today, Today).Refusal!.ToString().ShouldBe(new Reason("application.posting_running", "", Today).ToString());
        ApplicationWorkflow.Apply(ApplicationStatus.Posted, ApplicationAction.Approve, true, Today.AddDays(1), Today).Next.ShouldBe(ApplicationStatus.Approved);
    }

    [Fact]
    public void Allowed_OffersOnlyTheNextSteps()
    {
        ApplicationWorkflow.Allowed(ApplicationStatus.Received, false, Today, null)
            .ShouldBe([ApplicationAction.Check, ApplicationAction.Refuse, ApplicationAction.Withdraw]);
        ApplicationWorkflow.Allowed(ApplicationStatus.Checked, true, Today, null)
            .ShouldBe([ApplicationAction.Post, ApplicationAction.Refuse, ApplicationAction.Withdraw]);
        ApplicationWorkflow.Allowed(ApplicationStatus.Checked, false, Today, null)
            .ShouldBe([ApplicationAction.Approve, ApplicationAction.Refuse, ApplicationAction.Withdraw]);
        ApplicationWorkflow.Allowed(ApplicationStatus.Approved, false, Today, null).ShouldBeEmpty();
    }
}

public sealed class DecidersTests
{
    [Theory]
    [InlineData(DecidingLevel.Commune, DeciderKind.CommuneApprover, false, null)]
    [InlineData(DecidingLevel.Province, DeciderKind.ProvinceApprover, false, null)]
    [InlineData(DecidingLevel.Commune, DeciderKind.ProvinceApprover, false, "decide.commune_decides")]
    [InlineData(DecidingLevel.Province, DeciderKind.CommuneApprover, false, "decide.province_decides")]
    [InlineData(DecidingLevel.Commune, DeciderKind.Other, false, "decide.not_approver")]
    [InlineData(DecidingLevel.Commune, DeciderKind.CommuneApprover, true, "decide.took_part")]
    [InlineData(DecidingLevel.Province, DeciderKind.ProvinceApprover, true, "decide.took_part")]
    public void MayDecide_TheChosenDeciderOnly_AndNeverWhoPrepared(DecidingLevel level, DeciderKind who, bool tookPart, string? reason) =>
        (Deciders.MayDecide(level, who, tookPart)?.Code).ShouldBe(reason);
}

public sealed class WorkingDaysTests
{
    [Theory]
    [InlineData("2026-11-20", 1, "2026-11-23")]  // Friday + 1 → Monday
    [InlineData("2026-11-20", 10, "2026-12-04")]
    [InlineData("2026-04-28", 2, "2026-05-04")]  // over 30/4 and 1/5
    [InlineData("2026-02-13", 1, "2026-02-23")]  // Friday before Tết: the Tết week is off
    [InlineData("2026-11-20", 0, "2026-11-20")]
    public void Add_SkipsWeekendsAndPublicHolidays(string start, int days, string expected) =>
        WorkingDays.Vietnam().Add(DateOnly.Parse(start, System.Globalization.CultureInfo.InvariantCulture), days)
            .ShouldBe(DateOnly.Parse(expected, System.Globalization.CultureInfo.InvariantCulture));
}

public sealed class EnrolmentTimelineTests
{
    private static readonly EnrolmentPeriod Open = new(1, YearMonth.Parse("2025-03"), null, true);

    [Fact]
    public void ChangeFrom_ALaterMonth_ClosesTheMonthBeforeAndOpensAtIt() =>
        EnrolmentTimeline.ChangeFrom(Open, YearMonth.Parse("2025-09")).Change
            .ShouldBe(new PeriodChange(YearMonth.Parse("2025-08"), false, YearMonth.Parse("2025-09")));

    [Fact]
    public void ChangeFrom_TheFirstMonth_SupersedesTheWholePeriod() =>
        EnrolmentTimeline.ChangeFrom(Open, Open.Start).Change!.SupersedeOpen.ShouldBeTrue();

    [Fact]
    public void ChangeFrom_BeforeTheStartOrOnAClosedPeriod_IsRefused()
    {
        EnrolmentTimeline.ChangeFrom(Open, YearMonth.Parse("2025-01")).Refusal!.Code.ShouldBe("timeline.before_start");
        EnrolmentTimeline.ChangeFrom(Open with { End = YearMonth.Parse("2025-06") }, YearMonth.Parse("2025-09")).Refusal!.Code.ShouldBe("timeline.ended");
    }

    [Fact]
    public void StopAfter_PaysThroughTheLastMonth()
    {
        EnrolmentTimeline.StopAfter(Open, YearMonth.Parse("2025-07")).Change.ShouldBe(new PeriodChange(YearMonth.Parse("2025-07"), false, null));
        EnrolmentTimeline.StopAfter(Open, YearMonth.Parse("2025-01")).Change!.SupersedeOpen.ShouldBeTrue(); // died before it started: never paid
    }

    [Fact]
    public void PayableMonths_CountOnlyActivePeriods()
    {
        EnrolmentPeriod[] periods =
        [
            new(1, YearMonth.Parse("2025-01"), YearMonth.Parse("2025-03"), true),
            new(2, YearMonth.Parse("2025-04"), YearMonth.Parse("2025-05"), false),
            new(3, YearMonth.Parse("2025-06"), null, true),
        ];

        EnrolmentTimeline.PayableMonths(periods, YearMonth.Parse("2024-12"), YearMonth.Parse("2025-07")).Select(m => m.ToString())
            .ShouldBe(["2025-01", "2025-02", "2025-03", "2025-06", "2025-07"]);
    }
}
