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

    private readonly SlidingWindows _failures = new(time, Window);

    public bool IsBlocked(string client) => _failures.Count(client) >= MaxFailures;

    public void Failed(string client) => _failures.Add(client);

    public static string ClientOf(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Connection.RemoteIpAddress?.ToString() ?? "local";
    }
}
