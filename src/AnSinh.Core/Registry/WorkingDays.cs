using System.Globalization;
using System.Text.Json;

namespace AnSinh.Core.Registry;

/// <summary>Deadlines in working days: not Saturday, not Sunday, not a public holiday (holidays are data).</summary>
public sealed class WorkingDays(IReadOnlySet<DateOnly> holidays)
{
    public IReadOnlySet<DateOnly> Holidays { get; } = holidays;

    public bool IsWorkingDay(DateOnly d) => d.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday) && !Holidays.Contains(d);

    /// <summary>The day <paramref name="days"/> working days after <paramref name="start"/> (the start day itself does not count).</summary>
    public DateOnly Add(DateOnly start, int days)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(days);
        var d = start;
        for (var counted = 0; counted < days;)
        {
            d = d.AddDays(1);
            if (IsWorkingDay(d))
            {
                counted++;
            }
        }

        return d;
    }

    /// <summary>Vietnam's public days off, embedded as Registry/Holidays/vn.json (edit the file when the government announces a year).</summary>
    public static WorkingDays Vietnam()
    {
        using var stream = typeof(WorkingDays).Assembly.GetManifestResourceStream("AnSinh.Holidays.vn.json")!;
        using var doc = JsonDocument.Parse(stream);
        var days = new HashSet<DateOnly>();
        foreach (var year in doc.RootElement.GetProperty("years").EnumerateObject())
        {
            foreach (var d in year.Value.EnumerateArray())
            {
                days.Add(DateOnly.ParseExact(d.GetProperty("date").GetString()!, "yyyy-MM-dd", CultureInfo.InvariantCulture));
            }
        }

        return new WorkingDays(days);
    }
}
