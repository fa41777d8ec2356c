using System.Diagnostics;

namespace AnSinh.Web.Tests.Support;

public sealed record CliResult(int ExitCode, string Stdout, string Stderr);

/// <summary>Runs the real AnSinh.Web binary as a child process, with its own environment.</summary>
public static class CliRunner
{
    public static string AppDll => Path.Combine(AppContext.BaseDirectory, "AnSinh.Web.dll");

    public static async Task<CliResult> RunAsync(IReadOnlyDictionary<string, string?> env, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        psi.ArgumentList.Add(AppDll);
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        psi.Environment.Remove("ConnectionStrings__AnSinh");
        foreach (var (k, v) in env)
        {
            psi.Environment[k] = v;
        }

        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await p.WaitForExitAsync(cts.Token);
        return new CliResult(p.ExitCode, await stdout, await stderr);
    }

    public static Task<CliResult> RunAsync(string connectionString, params string[] args) =>
        RunAsync(new Dictionary<string, string?> { ["ConnectionStrings__AnSinh"] = connectionString, ["ANSINH_ADMIN_PASSWORD"] = AppFixture.AdminPassword }, args);
}
