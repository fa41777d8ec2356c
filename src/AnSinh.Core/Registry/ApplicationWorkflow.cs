namespace AnSinh.Core.Registry;

public enum ApplicationStatus
{
    Received,
    Checked,
    Posted,
    Approved,
    Refused,
    Withdrawn,
}

public enum ApplicationAction
{
    Check,
    Post,
    Approve,
    Refuse,
    Withdraw,
}

/// <summary>
/// Application → checks → (public posting, where the province keeps it) → decision. Decree 20/2021 Art. 7–8 and,
/// from 1/7/2025, Decree 147/2025: the commune checks within its deadline and the chairman (approver) decides.
/// An illegal step is refused with a reason an officer understands.
/// </summary>
public static class ApplicationWorkflow
{
    public static bool IsFinal(ApplicationStatus s) => s is ApplicationStatus.Approved or ApplicationStatus.Refused or ApplicationStatus.Withdrawn;

    /// <returns>The next status, or the reason the step is not allowed now.</returns>
    public static (ApplicationStatus? Next, string? Refusal) Apply(ApplicationStatus current, ApplicationAction action, bool postingRequired, DateOnly today, DateOnly? postingUntil)
    {
        if (IsFinal(current))
        {
            return (null, $"Hồ sơ đã {Name(current)}: không thể {Verb(action)} nữa.");
        }

        return action switch
        {
            ApplicationAction.Check when current == ApplicationStatus.Received => (ApplicationStatus.Checked, null),
            ApplicationAction.Check => (null, $"Hồ sơ đã được kiểm tra (đang {Name(current)})."),
            ApplicationAction.Post when current != ApplicationStatus.Checked => (null, "Chỉ niêm yết công khai hồ sơ đã kiểm tra đạt."),
            ApplicationAction.Post when !postingRequired => (null, "Tỉnh không quy định niêm yết công khai: có thể quyết định ngay."),
            ApplicationAction.Post => (ApplicationStatus.Posted, null),
            ApplicationAction.Approve when current == ApplicationStatus.Received => (null, "Hồ sơ chưa được kiểm tra: kiểm tra trước khi quyết định."),
            ApplicationAction.Approve when current == ApplicationStatus.Checked && postingRequired => (null, "Hồ sơ phải được niêm yết công khai trước khi quyết định."),
            ApplicationAction.Approve when current == ApplicationStatus.Posted && postingUntil is not null && today <= postingUntil =>
                (null, $"Đang trong thời gian niêm yết công khai (đến hết {postingUntil:dd/MM/yyyy}): chưa thể quyết định."),
            ApplicationAction.Approve => (ApplicationStatus.Approved, null),
            ApplicationAction.Refuse => (ApplicationStatus.Refused, null),
            ApplicationAction.Withdraw => (ApplicationStatus.Withdrawn, null),
            _ => (null, "Thao tác không hợp lệ."),
        };
    }

    public static string Name(ApplicationStatus s) => s switch
    {
        ApplicationStatus.Received => "tiếp nhận",
        ApplicationStatus.Checked => "kiểm tra đạt",
        ApplicationStatus.Posted => "niêm yết công khai",
        ApplicationStatus.Approved => "được duyệt",
        ApplicationStatus.Refused => "bị từ chối",
        _ => "rút",
    };

    private static string Verb(ApplicationAction a) => a switch
    {
        ApplicationAction.Check => "kiểm tra",
        ApplicationAction.Post => "niêm yết",
        ApplicationAction.Approve => "duyệt",
        ApplicationAction.Refuse => "từ chối",
        _ => "rút hồ sơ",
    };

    public static ApplicationStatus Parse(string code) => Enum.Parse<ApplicationStatus>(code, ignoreCase: true);
}
