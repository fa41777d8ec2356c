using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using AnSinh.Core.Money;
using AnSinh.Core.Time;

namespace AnSinh.Core.Rules;

/// <summary>Every problem found in a rule set; the app refuses to start with any of them.</summary>
public sealed class RuleSetException(IReadOnlyList<string> problems)
    : Exception("The entitlement rules are invalid:\n  " + string.Join("\n  ", problems))
{
    public IReadOnlyList<string> Problems { get; } = problems;
}

/// <summary>
/// Parses and validates instrument files: unknown fields, codes or ages, coefficients out of range, overlapping
/// periods and gaps are all errors, reported together, never a silent default.
/// </summary>
public static class RuleSetLoader
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        ReadCommentHandling = JsonCommentHandling.Skip,
    };

    public static RuleSet Load(IEnumerable<(string Name, string Json)> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        var problems = new List<string>();
        var builder = new Builder(problems);
        foreach (var (name, text) in files)
        {
            InstrumentJson? dto;
            try
            {
                dto = JsonSerializer.Deserialize<InstrumentJson>(text, Json);
            }
            catch (JsonException e)
            {
                problems.Add($"{name}: {e.Message}");
                continue;
            }

            if (dto is null)
            {
                problems.Add($"{name}: empty file");
                continue;
            }

            builder.Add(name, dto);
        }

        builder.CheckAcrossInstruments();
        if (problems.Count > 0)
        {
            throw new RuleSetException(problems);
        }

        return builder.Build();
    }

    /// <summary>The instrument files embedded in AnSinh.Core (Rules/Instruments/*.json).</summary>
    public static RuleSet LoadEmbedded()
    {
        var asm = typeof(RuleSetLoader).Assembly;
        const string prefix = "AnSinh.Rules.";
        var files = asm.GetManifestResourceNames()
            .Where(n => n.StartsWith(prefix, StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(n =>
            {
                using var reader = new StreamReader(asm.GetManifestResourceStream(n)!);
                return (n[prefix.Length..], reader.ReadToEnd());
            })
            .ToList();
        return Load(files);
    }

    private sealed class Builder(List<string> problems)
    {
        private readonly List<Instrument> _instruments = [];
        private readonly List<BaseLevel> _base = [];
        private readonly List<Schedule> _schedules = [];
        private readonly List<CareSupportSchedule> _care = [];
        private readonly List<FuneralRule> _funeral = [];
        private readonly List<SocialPensionRule> _pension = [];

        public void Add(string file, InstrumentJson j)
        {
            var where = file;
            var id = Required(where, "id", j.Id);
            var reference = Required(where, "reference", j.Reference);
            var signed = Date(where, "signed", j.Signed);
            var inForce = Date(where, "inForce", j.InForce);
            var known = Date(where, "known", j.Known);
            if (j.Confidence is not ("H" or "M" or "L"))
            {
                problems.Add($"{where}: confidence must be H, M or L");
            }

            if (_instruments.Any(i => i.Id == id))
            {
                problems.Add($"{where}: id '{id}' is used by another file");
            }

            var source = new Instrument(id ?? file, reference ?? "", j.Title ?? "", signed ?? default, inForce ?? default, known ?? default, j.Confidence ?? "", j.Notes);
            _instruments.Add(source);

            foreach (var (b, i) in (j.BaseLevels ?? []).Select((b, i) => (b, i)))
            {
                var at = $"{where} baseLevels[{i}]";
                if (Period(at, b.From, b.To) is { } p && Amount(at, b.Amount) is { } amount)
                {
                    _base.Add(new BaseLevel(source, p.From, p.To, amount, b.Article ?? ""));
                }
            }

            foreach (var (f, i) in (j.Funeral ?? []).Select((f, i) => (f, i)))
            {
                var at = $"{where} funeral[{i}]";
                if (f.Multiplier is null or < 1 or > 100)
                {
                    problems.Add($"{at}: multiplier must be a whole number from 1 to 100");
                }
                else if (Period(at, f.From, f.To) is { } p)
                {
                    _funeral.Add(new FuneralRule(source, p.From, p.To, f.Multiplier.Value, f.Article ?? ""));
                }
            }

            foreach (var (s, i) in (j.SocialPension ?? []).Select((s, i) => (s, i)))
            {
                var at = $"{where} socialPension[{i}]";
                var min = Age(at, "minAge", s.MinAge);
                var poor = Age(at, "minAgePoorHousehold", s.MinAgePoorHousehold);
                if (Period(at, s.From, s.To) is { } p && Amount(at, s.Amount) is { } amount && min is not null && poor is not null)
                {
                    _pension.Add(new SocialPensionRule(source, p.From, p.To, amount, min.Value, poor.Value, s.Article ?? ""));
                }
            }

            foreach (var (s, i) in (j.Schedules ?? []).Select((s, i) => (s, i)))
            {
                var at = $"{where} schedules[{i}]";
                var categories = Categories(at, s.Categories, CategoryCodes.SocialAssistance);
                var cumulative = (s.CumulativeWith4 ?? []).ToHashSet(StringComparer.Ordinal);
                foreach (var c in cumulative.Where(c => categories is not null && !categories.ContainsKey(c)))
                {
                    problems.Add($"{at}: cumulativeWith4 names '{c}', which this schedule does not define");
                }

                if (Period(at, s.From, s.To) is { } p && categories is not null)
                {
                    _schedules.Add(new Schedule(source, p.From, p.To, s.Article ?? "", s.HighestOnly ?? true, cumulative, categories));
                }
            }

            foreach (var (c, i) in (j.CareSupport ?? []).Select((c, i) => (c, i)))
            {
                var at = $"{where} careSupport[{i}]";
                var kinds = Categories(at, c.Kinds, CategoryCodes.CareKinds);
                if (Period(at, c.From, c.To) is { } p && kinds is not null)
                {
                    _care.Add(new CareSupportSchedule(source, p.From, p.To, c.Article ?? "", kinds));
                }
            }
        }

        public void CheckAcrossInstruments()
        {
            CheckTimeline("baseLevels", _base);
            CheckTimeline("schedules", _schedules);
            CheckTimeline("careSupport", _care);
            CheckTimeline("funeral", _funeral);
            CheckTimeline("socialPension", _pension);
        }

        public RuleSet Build() => new(_instruments, _base, _schedules, _care, _funeral, _pension);

        // Overlaps are allowed only between instruments known on different days (the later supersedes);
        // with everything known, every month from the first must be covered, open-ended at the end.
        private void CheckTimeline<T>(string section, IReadOnlyList<T> rules)
            where T : class, IPeriodRule
        {
            if (rules.Count == 0)
            {
                return;
            }

            for (var a = 0; a < rules.Count; a++)
            {
                for (var b = a + 1; b < rules.Count; b++)
                {
                    var (x, y) = (rules[a], rules[b]);
                    var overlap = x.From <= (y.To ?? YearMonth.Parse("9999-12")) && y.From <= (x.To ?? YearMonth.Parse("9999-12"));
                    if (overlap && x.Source.Known == y.Source.Known)
                    {
                        problems.Add(x.Source.Id == y.Source.Id
                            ? $"{section}: {x.Source.Id} has two entries covering the same months ({x.From}… and {y.From}…)"
                            : $"{section}: {x.Source.Id} and {y.Source.Id} cover the same months and were known on the same day, so neither supersedes the other");
                    }
                }
            }

            var first = rules.Min(r => r.From);
            var last = rules.Max(r => r.To ?? r.From).AddMonths(1);
            var everything = DateOnly.MaxValue;
            for (var m = first; m <= last; m = m.AddMonths(1))
            {
                if (rules.InForce(m, everything) is null)
                {
                    problems.Add($"{section}: no rule covers {m} (a gap after {first}, or the last period is not open-ended)");
                    return;
                }
            }
        }

        private Dictionary<string, CategoryRule>? Categories(string at, Dictionary<string, CategoryJson>? json, IReadOnlyList<string> vocabulary)
        {
            if (json is null || json.Count == 0)
            {
                problems.Add($"{at}: no categories");
                return null;
            }

            var result = new Dictionary<string, CategoryRule>(StringComparer.Ordinal);
            foreach (var (code, c) in json)
            {
                var here = $"{at} '{code}'";
                if (!vocabulary.Contains(code))
                {
                    problems.Add($"{here}: unknown code (known: {string.Join(", ", vocabulary)})");
                    continue;
                }

                var min = c.MinAge is null ? null : Age(here, "minAge", c.MinAge);
                var max = c.MaxAge is null ? null : Age(here, "maxAge", c.MaxAge);
                if (min is not null && max is not null && min.Value.Months >= max.Value.Months)
                {
                    problems.Add($"{here}: minAge must be below maxAge");
                }

                if (c.PerChild == true && code != CategoryCodes.SingleParent)
                {
                    problems.Add($"{here}: perChild applies only to category 4");
                }

                IReadOnlyList<Band>? bands = null;
                Dictionary<string, IReadOnlyList<Band>>? severities = null;
                if (code == CategoryCodes.Disability)
                {
                    if (c.Bands is not null || c.Severities is null || !c.Severities.Keys.Order(StringComparer.Ordinal).SequenceEqual(CategoryCodes.Severities.Order(StringComparer.Ordinal)))
                    {
                        problems.Add($"{here}: category 6 needs 'severities' with exactly {string.Join(" and ", CategoryCodes.Severities)}, and no 'bands'");
                    }
                    else
                    {
                        severities = c.Severities.ToDictionary(kv => kv.Key, kv => Bands($"{here} {kv.Key}", kv.Value), StringComparer.Ordinal);
                    }
                }
                else if (c.Severities is not null || c.Bands is null)
                {
                    problems.Add($"{here}: needs 'bands' (only category 6 has 'severities')");
                }
                else
                {
                    bands = Bands(here, c.Bands);
                }

                result[code] = new CategoryRule(code, min, max, c.PerChild == true, bands, severities);
            }

            return result;
        }

        private IReadOnlyList<Band> Bands(string at, List<BandJson> json)
        {
            var bands = new List<Band>();
            AgeSpan? previous = null;
            for (var i = 0; i < json.Count; i++)
            {
                var b = json[i];
                AgeSpan? to = b.To is null ? null : Age($"{at} bands[{i}]", "to", b.To);
                var last = i == json.Count - 1;
                if (last != (b.To is null))
                {
                    problems.Add($"{at} bands[{i}]: only the last band is open (has no 'to'), and it must be");
                }

                if (to is not null && previous is not null && to.Value.Months <= previous.Value.Months)
                {
                    problems.Add($"{at} bands[{i}]: 'to' ages must increase");
                }

                Coefficient coefficient = default;
                try
                {
                    coefficient = Coefficient.FromDecimal(b.Coefficient ?? 0m);
                }
                catch (ArgumentOutOfRangeException)
                {
                    problems.Add($"{at} bands[{i}]: coefficient {b.Coefficient?.ToString(CultureInfo.InvariantCulture) ?? "(missing)"} is not in (0, 10] with one decimal place");
                }

                bands.Add(new Band(to, coefficient));
                previous = to ?? previous;
            }

            if (bands.Count == 0)
            {
                problems.Add($"{at}: no bands");
            }

            return bands;
        }

        private (YearMonth From, YearMonth? To)? Period(string at, string? from, string? to)
        {
            if (!YearMonth.TryParse(from, out var f))
            {
                problems.Add($"{at}: 'from' must be a month yyyy-MM");
                return null;
            }

            YearMonth? t = null;
            if (to is not null)
            {
                if (!YearMonth.TryParse(to, out var parsed))
                {
                    problems.Add($"{at}: 'to' must be a month yyyy-MM");
                    return null;
                }

                if (parsed < f)
                {
                    problems.Add($"{at}: 'to' {parsed} is before 'from' {f}");
                    return null;
                }

                t = parsed;
            }

            return (f, t);
        }

        private Dong? Amount(string at, long? amount)
        {
            if (amount is null or <= 0)
            {
                problems.Add($"{at}: amount must be a positive whole number of đồng");
                return null;
            }

            return new Dong(amount.Value);
        }

        private AgeSpan? Age(string at, string field, string? text)
        {
            try
            {
                return AgeSpan.Parse(text ?? "");
            }
            catch (FormatException)
            {
                problems.Add($"{at}: {field} '{text}' is not an age such as \"16y\" or \"18m\"");
                return null;
            }
        }

        private DateOnly? Date(string at, string field, string? text)
        {
            if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
            {
                return d;
            }

            problems.Add($"{at}: {field} must be a date yyyy-MM-dd");
            return null;
        }

        private string? Required(string at, string field, string? value)
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                problems.Add($"{at}: {field} is required");
                return null;
            }

            return value;
        }
    }

    // The file format. Unknown members are refused (see Json), so a misspelt field is an error, not ignored.
#pragma warning disable CA1812 // instantiated by System.Text.Json
    private sealed class InstrumentJson
    {
        public string? Id { get; set; }
        public string? Reference { get; set; }
        public string? Title { get; set; }
        public string? Signed { get; set; }
        public string? InForce { get; set; }
        public string? Known { get; set; }
        public string? Confidence { get; set; }
        public string? Notes { get; set; }
        public List<BaseLevelJson>? BaseLevels { get; set; }
        public List<ScheduleJson>? Schedules { get; set; }
        public List<CareJson>? CareSupport { get; set; }
        public List<FuneralJson>? Funeral { get; set; }
        public List<PensionJson>? SocialPension { get; set; }
    }

    private class PeriodJson
    {
        public string? From { get; set; }
        public string? To { get; set; }
        public string? Article { get; set; }
    }

    private sealed class BaseLevelJson : PeriodJson
    {
        public long? Amount { get; set; }
    }

    private sealed class FuneralJson : PeriodJson
    {
        public int? Multiplier { get; set; }
    }

    private sealed class PensionJson : PeriodJson
    {
        public long? Amount { get; set; }
        public string? MinAge { get; set; }
        public string? MinAgePoorHousehold { get; set; }
    }

    private sealed class ScheduleJson : PeriodJson
    {
        public bool? HighestOnly { get; set; }
        public List<string>? CumulativeWith4 { get; set; }
        public Dictionary<string, CategoryJson>? Categories { get; set; }
    }

    private sealed class CareJson : PeriodJson
    {
        public Dictionary<string, CategoryJson>? Kinds { get; set; }
    }

    private sealed class CategoryJson
    {
        public string? MinAge { get; set; }
        public string? MaxAge { get; set; }
        public bool? PerChild { get; set; }
        public List<BandJson>? Bands { get; set; }
        public Dictionary<string, List<BandJson>>? Severities { get; set; }
    }

    private sealed class BandJson
    {
        public string? To { get; set; }
        public decimal? Coefficient { get; set; }
    }
#pragma warning restore CA1812
}
