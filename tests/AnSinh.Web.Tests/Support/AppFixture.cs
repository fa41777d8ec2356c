using System.Net;
using System.Text.RegularExpressions;
using AnSinh.Web.Database;
using AnSinh.Web.Features.Admin.Users;
using AnSinh.Web.Security;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace AnSinh.Web.Tests.Support;

/// <summary>The real app over HTTP (WebApplicationFactory) on a database of its own.</summary>
public sealed partial class AppFixture : IAsyncLifetime
{
    public const string AdminPassword = "Admin-Test-Pass-1";
    public const string UserPassword = "User-Test-Pass-1";

    private WebApplicationFactory<Program> _factory = null!;

    public string ConnectionString { get; private set; } = "";
    public IServiceProvider Services => _factory.Services;

    /// <summary>The app's clock: every "today" in these tests is Vietnam's day of this instant.</summary>
    public FakeClock Clock { get; } = new();

    /// <summary>What the app logged (its own categories at every level, the framework's from Warning).</summary>
    public CapturedLogs Logs { get; } = new();

    public async ValueTask InitializeAsync()
    {
        ConnectionString = await TestDatabase.CreateMigratedAsync();
        _factory = new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            b.UseEnvironment("Production");
            b.UseSetting("ConnectionStrings:AnSinh", ConnectionString);
            b.UseSetting("ANSINH_ADMIN_PASSWORD", AdminPassword);
            b.UseSetting("Logging:LogLevel:Default", "Warning");
            b.ConfigureTestServices(s => s.AddSingleton<TimeProvider>(Clock));
            b.ConfigureLogging(l => l.AddProvider(Logs)
                .AddFilter<CapturedLogs>(null, Microsoft.Extensions.Logging.LogLevel.Warning)
                .AddFilter<CapturedLogs>("AnSinh", Microsoft.Extensions.Logging.LogLevel.Trace));
        });
        _ = _factory.Server; // starts the host: start-up tasks create the admin
    }

    public async ValueTask DisposeAsync()
    {
        await _factory.DisposeAsync();
        await File.WriteAllTextAsync(Path.Combine(LogsDir, $"web-{Guid.NewGuid():N}.log"), Logs.Text); // scanned by ./test.sh for personal data
    }

    /// <summary>The repository's root (where AnSinh.slnx is), or null when the tests run outside it.</summary>
    public static string? RepositoryRoot
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "AnSinh.slnx")))
            {
                dir = dir.Parent;
            }

            return dir?.FullName;
        }
    }

    /// <summary>artifacts/logs at the repository's root: every app log of the test run, scanned at its end for personal data.</summary>
    public static string LogsDir => Directory.CreateDirectory(Path.Combine(RepositoryRoot ?? Path.GetTempPath(), "artifacts", "logs")).FullName;

    public HttpClient Client() => _factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    /// <summary>A client with no cookie jar: cookies are sent and read by hand.</summary>
    public HttpClient RawClient() => _factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });

    /// <summary>Creates a staff account through the same command the admin page uses.</summary>
    public async Task<AppUser> CreateUserAsync(string userName, string role, string? province, string? commune = null, long? payerId = null)
    {
        await using var scope = Services.CreateAsyncScope();
        var (user, errors) = await UserCommands.CreateAsync(
            scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>(),
            scope.ServiceProvider.GetRequiredService<AppDbContext>(),
            new CreateUserRequest(userName, "Người dùng " + userName, role, province, commune, UserPassword, Roles.IsApprover(role) ? "Chủ tịch" : null, payerId),
            Clock, CancellationToken.None);
        return user ?? throw new InvalidOperationException(errors.ToString());
    }

    public async Task<HttpClient> SignedInAsync(string userName, string? password = null)
    {
        var client = Client();
        var response = await SignInAsync(client, userName, password ?? (userName == "admin" ? AdminPassword : UserPassword));
        if (response.StatusCode != HttpStatusCode.Redirect)
        {
            throw new InvalidOperationException($"Sign-in of {userName} failed: {(int)response.StatusCode}");
        }

        return client;
    }

    public static async Task<HttpResponseMessage> SignInAsync(HttpClient client, string userName, string password) =>
        await PostFormAsync(client, "/Account/Login", new() { ["UserName"] = userName, ["Password"] = password });

    /// <summary>GETs the form page for its antiforgery token, then POSTs the fields with it, as a browser would.</summary>
    /// <summary>The antiforgery token a page renders in its forms.</summary>
    public static async Task<string> TokenAsync(HttpClient client, string pageUrl)
    {
        var token = AntiforgeryToken().Match(await client.GetStringAsync(pageUrl));
        return token.Success ? WebUtility.HtmlDecode(token.Groups[1].Value) : throw new InvalidOperationException($"No antiforgery token on {pageUrl}");
    }

    public static async Task<HttpResponseMessage> PostFormAsync(HttpClient client, string url, Dictionary<string, string> fields, string? formPageUrl = null)
    {
        var page = await client.GetStringAsync(formPageUrl ?? url);
        var token = AntiforgeryToken().Match(page);
        if (!token.Success)
        {
            throw new InvalidOperationException($"No antiforgery token on {formPageUrl ?? url}");
        }

        fields["__RequestVerificationToken"] = WebUtility.HtmlDecode(token.Groups[1].Value);
        return await client.PostAsync(url, new FormUrlEncodedContent(fields));
    }

    public async Task<T?> ScalarAsync<T>(string sql)
    {
        await using var conn = new NpgsqlConnection(ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        var value = await cmd.ExecuteScalarAsync();
        var type = Nullable.GetUnderlyingType(typeof(T)) ?? typeof(T);
        return value is null or DBNull ? default : (T)Convert.ChangeType(value, type, System.Globalization.CultureInfo.InvariantCulture);
    }

    public async Task ExecAsync(string sql)
    {
        await using var conn = new NpgsqlConnection(ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        await cmd.ExecuteNonQueryAsync();
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();
}
