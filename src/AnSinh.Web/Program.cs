using AnSinh.Web.Cli;
using AnSinh.Web.Hosting;

namespace AnSinh.Web;

/// <summary>
/// One binary, two faces: no arguments (or only host settings such as --urls or --environment=…,
/// which is how the test host starts it) serves the web app; a command runs the CLI.
/// </summary>
public sealed class Program
{
    public static async Task<int> Main(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args.Length == 0 || (args[0].StartsWith("--", StringComparison.Ordinal) && args[0] is not ("--help" or "--version")))
        {
            await AppHost.ServeAsync(args).ConfigureAwait(false);
            return 0;
        }

        return await CliApp.RunAsync(args).ConfigureAwait(false);
    }
}
