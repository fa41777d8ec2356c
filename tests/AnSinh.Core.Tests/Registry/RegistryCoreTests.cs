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
    [InlineData(ApplicationStatus.Received, ApplicationAction.Approve, false, "chưa được kiểm tra")]
    [InlineData(ApplicationStatus.Checked, ApplicationAction.Check, false, "đã được kiểm tra")]
    [InlineData(ApplicationStatus.Checked, ApplicationAction.Approve, true, "phải được niêm yết")]
    [InlineData(ApplicationStatus.Checked, ApplicationAction.Post, false, "không quy định niêm yết")]
    [InlineData(ApplicationStatus.Received, ApplicationAction.Post, true, "kiểm tra đạt")]
    [InlineData(ApplicationStatus.Approved, ApplicationAction.Refuse, false, "đã được duyệt")]
    [InlineData(ApplicationStatus.Refused, ApplicationAction.Approve, false, "đã bị từ chối")]
    [InlineData(ApplicationStatus.Withdrawn, ApplicationAction.Check, false, "đã rút")]
    public void Apply_IllegalStep_IsRefusedSayingWhy(ApplicationStatus from, ApplicationAction action, bool posting, string reason)
    {
        var (next, refusal) = ApplicationWorkflow.Apply(from, action, posting, Today, null);

        next.ShouldBeNull();
        refusal!.ShouldContain(reason);
    }

    [Fact]
    public void Approve_DuringPosting_WaitsUntilThePostingDayHasPassed()
    {
        ApplicationWorkflow.Apply(ApplicationStatus.Posted, ApplicationAction.Approve, true, Today, Today).Refusal!.ShouldContain("Đang trong thời gian niêm yết");
        ApplicationWorkflow.Apply(ApplicationStatus.Posted, ApplicationAction.Approve, true, Today.AddDays(1), Today).Next.ShouldBe(ApplicationStatus.Approved);
    }
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
        EnrolmentTimeline.ChangeFrom(Open, YearMonth.Parse("2025-01")).Refusal!.ShouldContain("trước khi bắt đầu hưởng");
        EnrolmentTimeline.ChangeFrom(Open with { End = YearMonth.Parse("2025-06") }, YearMonth.Parse("2025-09")).Refusal!.ShouldContain("đã kết thúc");
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
