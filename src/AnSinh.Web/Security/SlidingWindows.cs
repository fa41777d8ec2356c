using System.Collections.Concurrent;

namespace AnSinh.Web.Security;

/// <summary>
/// Events per key (a client address, a citizen ID) within a sliding window, in memory and bounded: beyond
/// <paramref name="maxKeys"/> keys the oldest knowledge is dropped at once, so a flood of new keys costs no more
/// memory than the limit. Per instance: several instances each count their own share.
/// </summary>
public sealed class SlidingWindows(TimeProvider time, TimeSpan window, int maxKeys = 100_000)
{
    private readonly ConcurrentDictionary<string, Queue<DateTimeOffset>> _events = new();

    public int Count(string key)
    {
        if (!_events.TryGetValue(key, out var q))
        {
            return 0;
        }

        lock (q)
        {
            Expire(q);
            return q.Count;
        }
    }

    public void Add(string key)
    {
        if (_events.Count >= maxKeys)
        {
            _events.Clear();
        }

        var q = _events.GetOrAdd(key, _ => new Queue<DateTimeOffset>());
        lock (q)
        {
            Expire(q);
            q.Enqueue(time.GetUtcNow());
        }
    }

    private void Expire(Queue<DateTimeOffset> q)
    {
        var since = time.GetUtcNow() - window;
        while (q.Count > 0 && q.Peek() <= since)
        {
            q.Dequeue();
        }
    }
}
