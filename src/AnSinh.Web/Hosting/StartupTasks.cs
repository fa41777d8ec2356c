using System.Security.Cryptography;
using AnSinh.Web.Database;
using AnSinh.Web.Features.Places;
using AnSinh.Web.Security;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace AnSinh.Web.Hosting;

/// <summary>
/// What runs before the app serves or a CLI command works: migrations and reference data (always in
/// local mode; elsewhere only with Database:AutoMigrate, otherwise by `db migrate`), and the first admin.
/// </summary>
public sealed partial class StartupTasks(DatabaseConnection db, IConfiguration configuration, IServiceScopeFactory scopes, TimeProvider time, ILogger<StartupTasks> log) : IHostedService
{
    public const string AdminUserName = "admin";

    public bool AutoMigrate => configuration.GetValue<bool?>("Database:AutoMigrate") ?? db.IsLocalCluster;

    public async Task RunAsync(CancellationToken ct = default)
    {
        if (AutoMigrate)
        {
            await MigrateAsync(ct).ConfigureAwait(false);
        }

        await EnsureAdminAsync(ct).ConfigureAwait(false);
    }

    Task IHostedService.StartAsync(CancellationToken cancellationToken) => RunAsync(cancellationToken);

    Task IHostedService.StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task<MigrationReport> MigrateAsync(CancellationToken ct = default)
    {
        var report = await Migrator.MigrateAsync(db.DataSource, Migration.Embedded(), ct).ConfigureAwait(false);
        LogMigrated(report.Applied.Count, report.AlreadyApplied);
        if (await PlaceLoader.LoadAsync(db.DataSource, ct).ConfigureAwait(false))
        {
            LogPlacesLoaded();
        }

        return report;
    }

    /// <summary>On first start (no user at all) creates the admin, with ANSINH_ADMIN_PASSWORD or a generated password printed once.</summary>
    public async Task EnsureAdminAsync(CancellationToken ct = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var dbContext = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        dbContext.Audit.Actor = "system";
        dbContext.Audit.Reason = "first start";
        if (await users.Users.AnyAsync(ct).ConfigureAwait(false))
        {
            return;
        }

        var configured = configuration["ANSINH_ADMIN_PASSWORD"];
        var password = string.IsNullOrEmpty(configured) ? GeneratePassword() : configured;
        var admin = new AppUser { UserName = AdminUserName, FullName = "Quản trị hệ thống", Role = Roles.Admin, CreatedAt = time.GetUtcNow() };
        var result = await users.CreateAsync(admin, password).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            throw new InvalidOperationException("Could not create the first admin: " + string.Join("; ", result.Errors.Select(e => e.Description)));
        }

        if (string.IsNullOrEmpty(configured))
        {
            // Printed once, to the console only (never to the log); on stderr so that a command's output stays clean.
            await Console.Error.WriteLineAsync($"""

                ==================================================================
                  Tài khoản quản trị / Admin login:  {AdminUserName}  /  {password}
                  (chỉ in một lần / printed once: keep it safe)
                ==================================================================

                """).ConfigureAwait(false);
            if (db.IsLocalCluster)
            {
                var file = Path.Combine(LocalCluster.DefaultDataFolder(), "admin-password.txt");
                await File.WriteAllTextAsync(file, password + "\n", ct).ConfigureAwait(false);
                File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }
        }

        LogAdminCreated();
    }

    public static string GeneratePassword()
    {
        // Upper, lower and a digit by construction, so it always meets the password policy.
        const string alphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        return "As" + RandomNumberGenerator.GetString("23456789", 1) + "-" + RandomNumberGenerator.GetString(alphabet, 16);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Migrations: {Applied} applied now, {Already} already applied")]
    private partial void LogMigrated(int applied, int already);

    [LoggerMessage(Level = LogLevel.Information, Message = "Places loaded from the embedded 2025 lists")]
    private partial void LogPlacesLoaded();

    [LoggerMessage(Level = LogLevel.Information, Message = "First admin account created")]
    private partial void LogAdminCreated();
}
