namespace AnSinh.Web.Features.Registry;

/// <summary>
/// How far back registry dates may go: no earlier than the rules the system holds (Decree 136/2013, from 1/2014),
/// and an application's receipt no more than a year before it is entered. A date outside is a typing mistake.
/// </summary>
public static class RegistryBounds
{
    public static readonly YearMonth FirstMonth = new(2014, 1);

    public const int MaxReceivedDaysAgo = 366;

    public const int MaxReasonLength = 500;
}
