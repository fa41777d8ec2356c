namespace AnSinh.Web.Features;

/// <summary>
/// Scanned papers (application documents, authorisation letters): PDF, JPEG or PNG up to 5 MB, the type read from
/// the bytes, never from the name the browser sent. Uploads are read only up to one byte past the limit, so a
/// huge file costs no more memory than an allowed one.
/// </summary>
public static class Scans
{
    public const int MaxBytes = 5 * 1024 * 1024;

    /// <param name="max">The limit; one byte more is read, so that a file over it is seen to be over it.</param>
    public static async Task<byte[]> ReadBoundedAsync(IFormFile? file, CancellationToken ct, int max = MaxBytes)
    {
        if (file is null)
        {
            return [];
        }

        await using var input = file.OpenReadStream();
        var buffer = new byte[Math.Min(file.Length, max + 1L)];
        var read = await input.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, ct);
        return read == buffer.Length ? buffer : buffer[..read];
    }

    /// <returns>The content type the bytes show, or null after adding the problem for <paramref name="field"/>.</returns>
    public static string? Check(byte[] content, string field, List<(string, string)> problems)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(problems);
        if (content.Length == 0 || content.Length > MaxBytes)
        {
            problems.Add((field, Hosting.Texts.Get("Scan.Size", content.Length > MaxBytes ? "> 5 MB" : "0 KB")));
            return null;
        }

        var type = SniffContentType(content);
        if (type is null)
        {
            problems.Add((field, Hosting.Texts.Get("Scan.Type")));
        }

        return type;
    }

    /// <summary>The stored name: the sent name cleaned and cut to 100 characters, with the extension of what the bytes are ("don.exe" holding a PDF becomes "don.pdf").</summary>
    public static string NameFor(string? sent, string contentType, string fallback)
    {
        var stem = Core.People.FreeText.Clean(Path.GetFileNameWithoutExtension(Path.GetFileName(sent ?? ""))) ?? fallback;
        var extension = contentType switch { "application/pdf" => ".pdf", "image/jpeg" => ".jpg", _ => ".png" };
        return (stem.Length > 100 ? stem[..100] : stem) + extension;
    }

    public static string? SniffContentType(ReadOnlySpan<byte> b) =>
        b.StartsWith("%PDF-"u8) ? "application/pdf"
        : b.Length > 3 && b[0] == 0xFF && b[1] == 0xD8 && b[2] == 0xFF ? "image/jpeg"
        : b.StartsWith((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) ? "image/png"
        : null;
}
