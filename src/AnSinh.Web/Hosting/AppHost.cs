using System.Text.Encodings.Web;
using System.Text.Unicode;
using AnSinh.Web.Audit;
using AnSinh.Web.Database;
using AnSinh.Web.Features;
using AnSinh.Web.Security;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Localization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.WebEncoders;

namespace AnSinh.Web.Hosting;

public static class AppHost
{
    public static readonly string[] Cultures = ["vi-VN", "en"];

    public static async Task ServeAsync(string[] args)
    {
        await using var app = Build(args);
        await app.RunAsync().ConfigureAwait(false);
    }

    public static WebApplication Build(string[] args)
    {
        // The binary's own folder holds appsettings.json and wwwroot, wherever it is started from.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        if (builder.Configuration["urls"] is null && builder.Configuration["ASPNETCORE_URLS"] is null)
        {
            builder.WebHost.UseUrls("http://127.0.0.1:5080");
        }

        ConfigureServices(builder.Services, builder.Configuration);
        var app = builder.Build();
        Configure(app);
        return app;
    }

    private static void ConfigureServices(IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(FixedClock.FromConfiguration(configuration));
        services.AddSingleton<DatabaseConnection>();
        // Loaded and validated here, so an invalid rule set stops the app at start-up with every problem listed.
        services.AddSingleton(new Features.Rules.RulesCatalog());
        services.AddSingleton(AnSinh.Core.Registry.WorkingDays.Vietnam());
        services.AddScoped<Features.Registry.ApplicationCommands>();
        services.AddScoped<Features.Registry.EnrolmentCommands>();
        services.AddScoped<Features.Registry.ChangeProposals>();
        services.AddScoped<Features.Registry.Transfers>();
        services.AddScoped<Features.Grievances.GrievanceCommands>();
        services.AddScoped<Features.Oversight.Inspections>();
        services.AddScoped<Features.Registry.Import.ImportCommands>();
        services.AddScoped<Features.Payroll.PayrollRuns>();
        services.AddScoped<Features.Payroll.PayrollOutcomes>();
        services.AddSingleton<Features.Payroll.RunQueue>();
        services.AddSingleton<Features.Payroll.RunComputer>();
        services.AddHostedService<Features.Payroll.PayrollWorker>();
        services.AddSingleton<Features.Disbursement.FileQueue>();
        services.AddSingleton<Features.Disbursement.PayerFileWorker>();
        services.AddHostedService(sp => sp.GetRequiredService<Features.Disbursement.PayerFileWorker>());
        services.AddSingleton<SignInThrottle>();
        services.AddSingleton<Features.Public.SelfCheckThrottle>();
        services.AddDataProtection().SetApplicationName("AnSinh");
        services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(sp =>
            new ConfigureOptions<KeyManagementOptions>(o => o.XmlRepository = new DatabaseKeyRepository(sp.GetRequiredService<DatabaseConnection>())));
        services.AddSingleton<StartupTasks>();
        services.AddHostedService(sp => sp.GetRequiredService<StartupTasks>());
        // Vietnamese text stays as UTF-8 in pages instead of numeric entities: a third of the bytes on slow links.
        services.Configure<WebEncoderOptions>(o => o.TextEncoderSettings = new TextEncoderSettings(UnicodeRanges.All));
        services.AddHttpContextAccessor();
        services.AddScoped<AuditContext>();
        services.AddDbContext<AppDbContext>((sp, o) => o.UseNpgsql(sp.GetRequiredService<DatabaseConnection>().ConnectionString));

        services.AddIdentityCore<AppUser>(o =>
            {
                o.Lockout.MaxFailedAccessAttempts = configuration.GetValue("Security:MaxFailedSignIns", 5);
                o.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
                o.Lockout.AllowedForNewUsers = true;
                o.Password.RequiredLength = 10;
                o.Password.RequireNonAlphanumeric = false;
                o.User.RequireUniqueEmail = false;
            })
            .AddEntityFrameworkStores<AppDbContext>()
            .AddSignInManager()
            .AddClaimsPrincipalFactory<AppClaimsFactory>();
        services.AddAuthentication(IdentityConstants.ApplicationScheme)
            .AddIdentityCookies(c => c.ApplicationCookie!.Configure(CookiePolicy.Configure));
        services.AddAuthentication()
            .AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, ApiTokenAuthentication>(ApiTokenAuthentication.SchemeName, null)
            // A bearer token when the request carries one, else the sign-in cookie: one scheme answers, so one challenge.
            .AddPolicyScheme(ApiTokenAuthentication.CookieOrToken, null, o => o.ForwardDefaultSelector = context =>
                context.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.Ordinal) ? ApiTokenAuthentication.SchemeName : IdentityConstants.ApplicationScheme);
        // Checked on every request: a signed-out, disabled or demoted user's cookie stops working at once.
        services.Configure<SecurityStampValidatorOptions>(o => o.ValidationInterval = TimeSpan.Zero);
        services.AddAuthorization(Policies.Register);

        services.AddLocalization(o => o.ResourcesPath = "Resources");
        services.AddRazorPages(o => o.RootDirectory = "/Features")
            // Commands check their input and say what is wrong in the user's language; the framework's implicit
            // "The DocType field is required." for every non-nullable property would answer in English first.
            .AddMvcOptions(o => o.SuppressImplicitRequiredAttributeForNonNullableReferenceTypes = true)
            .AddViewLocalization()
            .AddDataAnnotationsLocalization(o => o.DataAnnotationLocalizerProvider = (_, f) => f.Create(typeof(SharedResource)));
        services.Configure<RequestLocalizationOptions>(o =>
        {
            o.SetDefaultCulture(Cultures[0]).AddSupportedCultures(Cultures).AddSupportedUICultures(Cultures);
            // Vietnamese unless the user chose otherwise: the browser's language does not decide.
            o.RequestCultureProviders = [new CookieRequestCultureProvider()];
        });
        // Static files only (CSS, scripts, SVG): pages carry antiforgery tokens and personal data, and compressing
        // those over TLS would open them to BREACH-style guessing. Bootstrap's 230 KB of CSS travels as about 25 KB.
        services.AddResponseCompression(o =>
        {
            o.EnableForHttps = true;
            o.MimeTypes = StaticCaching.CompressedTypes;
            o.Providers.Add<Microsoft.AspNetCore.ResponseCompression.BrotliCompressionProvider>();
            o.Providers.Add<Microsoft.AspNetCore.ResponseCompression.GzipCompressionProvider>();
        });
        services.Configure<Microsoft.AspNetCore.ResponseCompression.BrotliCompressionProviderOptions>(o => o.Level = System.IO.Compression.CompressionLevel.Optimal);
        services.Configure<Microsoft.AspNetCore.ResponseCompression.GzipCompressionProviderOptions>(o => o.Level = System.IO.Compression.CompressionLevel.Optimal);
        services.AddProblemDetails(o => o.CustomizeProblemDetails = c =>
        {
            if (LostConnection.Is(c.Exception))
            {
                c.ProblemDetails.Detail = Texts.Get("Problem.DatabaseLost");
                c.HttpContext.Response.Headers.RetryAfter = LostConnection.RetryAfterSeconds;
            }
        });
        services.AddOpenApi();
        services.AddHealthChecks().AddDbContextCheck<AppDbContext>("database", tags: ["ready"])
            .AddCheck<ArchiveCheck>("wal_archive", failureStatus: Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Degraded, tags: ["ready"]);
        services.AddSingleton<AppMetrics>();
        services.AddSingleton<MetricsCollector>();
    }

    private static void Configure(WebApplication app)
    {
        // Behind HAProxy or nginx: the client's address (sign-in throttle, self-check budget, /metrics allow-list) and
        // scheme come from X-Forwarded-For/-Proto, believed only from the proxies in Proxy:TrustedNetworks (CIDR list).
        var proxies = app.Configuration["Proxy:TrustedNetworks"];
        if (!string.IsNullOrWhiteSpace(proxies))
        {
            var forwarded = new ForwardedHeadersOptions { ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto, ForwardLimit = 1 };
            forwarded.KnownIPNetworks.Clear();
            forwarded.KnownProxies.Clear();
            foreach (var network in Cidr.Parse(proxies))
            {
                forwarded.KnownIPNetworks.Add(network);
            }

            app.UseForwardedHeaders(forwarded);
        }

        app.UseMiddleware<SecurityHeaders>();
        // A lost database (failover) answers 503, not 500: the client may try again once the standby is promoted.
        static int StatusOf(Exception e) => LostConnection.Is(e) ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status500InternalServerError;
        app.UseWhen(IsApi, a => a.UseExceptionHandler(new ExceptionHandlerOptions { StatusCodeSelector = StatusOf }).UseStatusCodePages().UseMiddleware<SameOriginApi>());
        app.UseWhen(c => !IsApi(c), a => a.UseExceptionHandler(new ExceptionHandlerOptions { ExceptionHandlingPath = "/Error", StatusCodeSelector = StatusOf })
            .UseStatusCodePagesWithReExecute("/Status", "?code={0}"));
        app.UseResponseCompression();
        app.UseStaticFiles(new StaticFileOptions { OnPrepareResponse = StaticCaching.Apply });
        app.UseRequestLocalization();
        app.UseRouting();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();

        app.MapRazorPages();
        // Live: the process answers (no check); ready: it can reach its database. /health is ready, as before.
        app.MapHealthChecks("/health/live", new Microsoft.AspNetCore.Diagnostics.HealthChecks.HealthCheckOptions { Predicate = _ => false }).AllowAnonymous();
        app.MapHealthChecks("/health/ready", new Microsoft.AspNetCore.Diagnostics.HealthChecks.HealthCheckOptions { Predicate = c => c.Tags.Contains("ready") }).AllowAnonymous();
        app.MapHealthChecks("/health").AllowAnonymous();
        app.Services.GetRequiredService<MetricsCollector>(); // listening from the start
        MetricsEndpoint.Map(app);
        app.MapOpenApi("/openapi/{documentName}.json").AllowAnonymous();
        EndpointMap.MapApis(app);
    }

    public static bool IsApi(HttpContext context) => context.Request.Path.StartsWithSegments("/api");
}
