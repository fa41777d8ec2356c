using System.Collections.Concurrent;

namespace AnSinh.Web.Security;

/// <summary>
/// Failed sign-ins per client (address): after <see cref="MaxFailures"/> within <see cref="Window"/>, that client is
/// refused until the window has passed, whichever account it tries. Guessing is slowed at the source, so an account
/// lockout is not the only brake, and the built-in admin need not be lockable by strangers at all.
/// </summary>
public sealed class SignInThrottle(TimeProvider time)
{
    public const int MaxFailures = 10;
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(15);

    /// <summary>Clients tracked at most: beyond this the oldest are forgotten (memory stays bounded under a flood).</summary>
    private const int MaxClients = 100_000;

    private readonly ConcurrentDictionary<string, Queue<DateTimeOffset>> _failures = new();

    public bool IsBlocked(string client)
    {
        if (!_failures.TryGetValue(client, out var q))
        {
            return false;
        }

        lock (q)
        {
            Expire(q);
            return q.Count >= MaxFailures;
        }
    }

    public void Failed(string client)
    {
        if (_failures.Count >= MaxClients)
        {
            _failures.Clear();
        }

        var q = _failures.GetOrAdd(client, _ => new Queue<DateTimeOffset>());
        lock (q)
        {
            Expire(q);
            q.Enqueue(time.GetUtcNow());
        }
    }

    private void Expire(Queue<DateTimeOffset> q)
    {
        var since = time.GetUtcNow() - Window;
        while (q.Count > 0 && q.Peek() <= since)
        {
            q.Dequeue();
        }
    }

    public static string ClientOf(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Connection.RemoteIpAddress?.ToString() ?? "local";
    }
}
