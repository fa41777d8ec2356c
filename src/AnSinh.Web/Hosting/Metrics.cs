using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Net;
using System.Text;

namespace AnSinh.Web.Hosting;

/// <summary>The app's own instruments: background work and payroll progress (requests and the database pool come from ASP.NET Core's and Npgsql's meters).</summary>
public sealed class AppMetrics : IDisposable
{
    public const string MeterName = "AnSinh";

    private readonly Meter _meter = new(MeterName);

    public AppMetrics()
    {
        RunsComputed = _meter.CreateCounter<long>("ansinh.payroll.runs.computed", description: "Payroll runs computed by this instance");
        FilesBuilt = _meter.CreateCounter<long>("ansinh.payer_files.built", description: "Payer files built by this instance");
        JobFailures = _meter.CreateCounter<long>("ansinh.jobs.failed", description: "Background looks that failed, by worker");
        _meter.CreateObservableGauge("ansinh.wal_archive.failing", () => ArchiveFailing ? 1 : 0,
            description: "1 while the database's WAL archiving fails (as last seen by /health/ready): backups are not current");
    }

    /// <summary>Set by <see cref="ArchiveCheck"/> each time the readiness check runs.</summary>
    public volatile bool ArchiveFailing;

    public Counter<long> RunsComputed { get; }
    public Counter<long> FilesBuilt { get; }
    public Counter<long> JobFailures { get; }

    public void Dispose() => _meter.Dispose();
}

/// <summary>
/// Collects the measurements of the named meters in memory and writes them in the Prometheus text format (version
/// 0.0.4): counters as <c>_total</c>, up-down counters and observable gauges as gauges, histograms with cumulative
/// buckets, <c>_sum</c> and <c>_count</c>. Names have dots turned into underscores; tags become labels. No package:
/// System.Diagnostics.Metrics and a MeterListener are all it needs.
/// </summary>
public sealed class MetricsCollector : IDisposable
{
    public static readonly IReadOnlyList<string> Meters = [AppMetrics.MeterName, "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", "Npgsql"];

    /// <summary>Bucket bounds for durations in seconds (the unit ASP.NET Core and Npgsql record in).</summary>
    private static readonly double[] Bounds = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    /// <summary>At most this many label sets per instrument are kept (a route's tag values are bounded; this bounds them anyway).</summary>
    public const int MaxSeries = 2000;

    private readonly MeterListener _listener = new();
    /// <summary>By instrument name: instruments of the same name (one per app in a test process) add into one family.</summary>
    private readonly ConcurrentDictionary<string, (Instrument First, ConcurrentDictionary<string, Series> All)> _series = new(StringComparer.Ordinal);

    private sealed class Series
    {
        public double Value;
        public long Count;
        public readonly long[] Buckets = new long[Bounds.Length + 1];
        public readonly Lock Gate = new();
    }

    public MetricsCollector()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (Meters.Contains(instrument.Meter.Name))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<int>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<double>((i, v, tags, _) => Record(i, v, tags));
        _listener.Start();
    }

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var all = _series.GetOrAdd(instrument.Name, _ => (instrument, new ConcurrentDictionary<string, Series>(StringComparer.Ordinal))).All;
        var key = Labels(tags);
        if (!all.TryGetValue(key, out var s))
        {
            if (all.Count >= MaxSeries)
            {
                return;
            }

            s = all.GetOrAdd(key, _ => new Series());
        }

        lock (s.Gate)
        {
            switch (instrument)
            {
                case Histogram<double> or Histogram<long> or Histogram<int>:
                    s.Value += value;
                    s.Count++;
                    var b = 0;
                    while (b < Bounds.Length && value > Bounds[b])
                    {
                        b++;
                    }

                    s.Buckets[b]++;
                    break;
                case ObservableGauge<double> or ObservableGauge<long> or ObservableGauge<int>
                    or ObservableUpDownCounter<long> or ObservableUpDownCounter<int> or ObservableUpDownCounter<double>
                    or ObservableCounter<long> or ObservableCounter<int> or ObservableCounter<double>:
                    s.Value = value; // an observation is the current value (an observable counter reports its running total)
                    break;
                default:
                    s.Value += value; // counters and up-down counters add
                    break;
            }
        }
    }

    /// <summary>The text a Prometheus server scrapes.</summary>
    public string Render()
    {
        _listener.RecordObservableInstruments();
        var sb = new StringBuilder();
        // ConcurrentDictionary.ToArray takes a consistent snapshot; LINQ over the dictionary itself can throw while series are added.
        foreach (var (instrument, all) in _series.ToArray().OrderBy(x => x.Key, StringComparer.Ordinal).Select(x => x.Value))
        {
            var name = Name(instrument.Name);
            var isHistogram = instrument is Histogram<double> or Histogram<long> or Histogram<int>;
            var isCounter = instrument is Counter<long> or Counter<int> or Counter<double> or ObservableCounter<long> or ObservableCounter<int> or ObservableCounter<double>;
            if (isCounter)
            {
                name += "_total";
            }

            if (instrument.Description is { Length: > 0 } help)
            {
                sb.Append("# HELP ").Append(name).Append(' ').Append(help.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal)).Append('\n');
            }

            sb.Append("# TYPE ").Append(name).Append(' ').Append(isHistogram ? "histogram" : isCounter ? "counter" : "gauge").Append('\n');
            foreach (var (labels, s) in all.ToArray().OrderBy(x => x.Key, StringComparer.Ordinal))
            {
                lock (s.Gate)
                {
                    if (!isHistogram)
                    {
                        sb.Append(name).Append(Braced(labels)).Append(' ').Append(Number(s.Value)).Append('\n');
                        continue;
                    }

                    long cumulative = 0;
                    for (var b = 0; b <= Bounds.Length; b++)
                    {
                        cumulative += s.Buckets[b];
                        var le = b < Bounds.Length ? Number(Bounds[b]) : "+Inf";
                        sb.Append(name).Append("_bucket").Append(Braced(labels.Length == 0 ? $"le=\"{le}\"" : $"{labels},le=\"{le}\"")).Append(' ').Append(cumulative).Append('\n');
                    }

                    sb.Append(name).Append("_sum").Append(Braced(labels)).Append(' ').Append(Number(s.Value)).Append('\n');
                    sb.Append(name).Append("_count").Append(Braced(labels)).Append(' ').Append(s.Count).Append('\n');
                }
            }
        }

        return sb.ToString();
    }

    public static string Name(string instrument)
    {
        ArgumentNullException.ThrowIfNull(instrument);
        var sb = new StringBuilder(instrument.Length);
        foreach (var c in instrument)
        {
            sb.Append(char.IsAsciiLetterOrDigit(c) ? c : '_');
        }

        return sb.ToString();
    }

    private static string Labels(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (tags.Length == 0)
        {
            return "";
        }

        var pairs = new List<string>(tags.Length);
        foreach (var t in tags)
        {
            var value = Convert.ToString(t.Value, CultureInfo.InvariantCulture) ?? "";
            pairs.Add($"{Name(t.Key)}=\"{value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal)}\"");
        }

        pairs.Sort(StringComparer.Ordinal);
        return string.Join(',', pairs);
    }

    private static string Braced(string labels) => labels.Length == 0 ? "" : "{" + labels + "}";

    private static string Number(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    public void Dispose() => _listener.Dispose();
}

/// <summary>A setting's list of networks: CIDR blocks separated by commas ("10.0.0.0/8, 127.0.0.1/32").</summary>
public static class Cidr
{
    public static IReadOnlyList<IPNetwork> Parse(string list) =>
        [.. list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(IPNetwork.Parse)];
}

/// <summary>/metrics answers only the addresses in Metrics:AllowedNetworks (CIDR, comma-separated; loopback by default); others get 404.</summary>
public static class MetricsEndpoint
{
    public const string DefaultAllowed = "127.0.0.0/8,::1/128";

    public static IReadOnlyList<IPNetwork> Networks(string? configured) => Cidr.Parse(string.IsNullOrWhiteSpace(configured) ? DefaultAllowed : configured);

    public static bool Allows(IPAddress? remote, IReadOnlyList<IPNetwork> networks)
    {
        ArgumentNullException.ThrowIfNull(networks);
        if (remote is null)
        {
            return false;
        }

        var address = remote.IsIPv4MappedToIPv6 ? remote.MapToIPv4() : remote;
        return networks.Any(n => n.Contains(address));
    }

    public static void Map(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var networks = Networks(app.Configuration["Metrics:AllowedNetworks"]);
        app.MapGet("/metrics", (HttpContext http, MetricsCollector collector) =>
            Allows(http.Connection.RemoteIpAddress, networks)
                ? Results.Text(collector.Render(), "text/plain; version=0.0.4; charset=utf-8")
                : Results.NotFound())
            .AllowAnonymous().ExcludeFromDescription();
    }
}
