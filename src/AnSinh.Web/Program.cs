using AnSinh.Web.Cli;
using AnSinh.Web.Hosting;

namespace AnSinh.Web;

/// <summary>One binary, two faces: no arguments serves the web app; arguments run a CLI command.</summary>
public sealed class Program
{
    public static async Task<int> Main(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args.Length == 0)
        {
            await AppHost.ServeAsync(args).ConfigureAwait(false);
            return 0;
        }

        return await CliApp.RunAsync(args).ConfigureAwait(false);
    }
}
