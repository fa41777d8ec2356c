using System.Security.Cryptography;
using System.Text.Json;
using AnSinh.Web.Audit;
using AnSinh.Web.Database;
using AnSinh.Web.Features.Rules;
using AnSinh.Web.Security;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;

namespace AnSinh.Web.Features.Registry.Import;

public sealed record ImportReport(long BatchId, string FileName, int Rows, int Valid, int ProblemCount, IReadOnlyList<ImportProblem> Problems, string Status);

/// <summary>
/// Legacy lists in two explicit steps: a dry run that keeps the file and its per-row report, then a commit of
/// exactly that file, refused while any problem remains, written all or nothing with COPY.
/// </summary>
public sealed class ImportCommands(AppDbContext db, DatabaseConnection connection, RulesCatalog rules, TimeProvider time)
{
    public const int MaxFileBytes = 50 * 1024 * 1024;

    /// <summary>A dry run's file (personal data) is kept this long for its commit, then dropped.</summary>
    public const int KeepUncommittedDays = 7;
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private DateOnly Today => time.VietnamToday();

    public async Task<(ImportReport? Report, RegistryError? Error)> DryRunAsync(UserScope scope, string fileName, byte[] content, string actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(content);
        if (scope.Level == ScopeLevel.All)
        {
            return (null, RegistryError.Invalid("File", "Quản trị hệ thống không nhập danh sách: dùng tài khoản của tỉnh hoặc xã."));
        }

        if (content.Length == 0 || content.Length > MaxFileBytes)
        {
            return (null, RegistryError.Invalid("File", "Tệp trống hoặc lớn hơn 50 MB."));
        }

        // Retention: files of dry runs never committed are dropped after a week.
        await db.ImportBatches.Where(b => b.Status == "checked" && b.CreatedAt < time.GetUtcNow().AddDays(-KeepUncommittedDays))
            .ExecuteUpdateAsync(u => u.SetProperty(b => b.Content, (byte[]?)null).SetProperty(b => b.Status, "expired"), ct);
        var (valid, problems, rows, formatError) = await CheckAsync(scope, fileName, content, ct);
        if (formatError is not null)
        {
            return (null, RegistryError.Invalid("File", formatError));
        }

        var batch = new ImportBatch
        {
            ProvinceCode = scope.ProvinceCode!,
            CommuneCode = scope.CommuneCode,
            FileName = Path.GetFileName(fileName),
            Sha256 = Convert.ToHexStringLower(SHA256.HashData(content)),
            Content = content,
            RowsTotal = rows,
            RowsValid = valid.Count,
            Problems = problems.Count,
            Report = JsonSerializer.Serialize(problems, Json),
            Status = "checked",
            CreatedBy = actor,
            CreatedAt = time.GetUtcNow(),
        };
        db.ImportBatches.Add(batch);
        await db.SaveChangesAsync(ct);
        return (new ImportReport(batch.Id, batch.FileName, rows, valid.Count, problems.Count, problems, batch.Status), null);
    }

    public async Task<ImportReport?> ReportAsync(UserScope scope, long batchId, CancellationToken ct)
    {
        var b = await Scoped(scope).AsNoTracking().FirstOrDefaultAsync(x => x.Id == batchId, ct);
        return b is null ? null : new ImportReport(b.Id, b.FileName, b.RowsTotal, b.RowsValid, b.Problems,
            JsonSerializer.Deserialize<List<ImportProblem>>(b.Report, Json) ?? [], b.Status);
    }

    /// <summary>Writes every row of a checked batch, or nothing: the checks run again first, since the registry may have changed.</summary>
    public async Task<(ImportReport? Report, RegistryError? Error)> CommitAsync(UserScope scope, long batchId, string actor, CancellationToken ct)
    {
        var batch = await Scoped(scope).FirstOrDefaultAsync(x => x.Id == batchId, ct);
        if (batch is null)
        {
            return (null, RegistryError.NotFound("import"));
        }

        if (batch.Status == "committed")
        {
            return (null, AlreadyCommitted(batch.CommittedAt));
        }

        if (batch.Content is null)
        {
            return (null, RegistryError.Conflict($"Tệp của lần kiểm tra này đã được xoá sau {KeepUncommittedDays} ngày (bảo vệ dữ liệu cá nhân): tải tệp lên và kiểm tra lại."));
        }

        var (valid, problems, rows, _) = await CheckAsync(scope, batch.FileName, batch.Content, ct);
        if (problems.Count > 0)
        {
            batch.RowsValid = valid.Count;
            batch.Problems = problems.Count;
            batch.Report = JsonSerializer.Serialize(problems, Json);
            await db.SaveChangesAsync(ct);
            return (null, RegistryError.Conflict($"Còn {problems.Count} lỗi trong {rows} dòng: sửa tệp rồi kiểm tra lại. Chưa ghi dòng nào."));
        }

        await using var conn = await connection.DataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        // Two commits of one file at once: the second waits here for the first, then finds it committed.
        await using (var claim = new NpgsqlCommand("SELECT status FROM import_batch WHERE id = @id FOR UPDATE", conn, tx))
        {
            claim.Parameters.AddWithValue("id", batch.Id);
            if ((string?)await claim.ExecuteScalarAsync(ct) != "checked")
            {
                return (null, AlreadyCommitted(null));
            }
        }

        try
        {
            return await WriteAsync(conn, tx, batch, valid, rows, actor, ct);
        }
        catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.UniqueViolation or PostgresErrorCodes.ExclusionViolation)
        {
            // Someone entered one of these people between the check and the commit: nothing is written.
            return (null, RegistryError.Conflict("Trong lúc nhập, một người trong tệp vừa được nhập vào hệ thống: chưa ghi dòng nào. Kiểm tra lại tệp."));
        }
    }

    private static RegistryError AlreadyCommitted(DateTimeOffset? at) =>
        RegistryError.Conflict(at is null ? "Tệp này đã được nhập: không nhập hai lần." : $"Tệp này đã được nhập lúc {at.Value.ToOffset(Core.Time.VietnamTime.Offset):dd/MM/yyyy HH:mm}: không nhập hai lần.");

    private async Task<(ImportReport? Report, RegistryError? Error)> WriteAsync(NpgsqlConnection conn, NpgsqlTransaction tx, ImportBatch batch, List<ImportRow> valid, int rows, string actor, CancellationToken ct)
    {
        await using (var w = await conn.BeginBinaryImportAsync(
            "COPY person (citizen_id, full_name, birth_date, sex, province_code, commune_code, hamlet, phone, citizen_id_override_reason) FROM STDIN (FORMAT BINARY)", ct))
        {
            foreach (var r in valid)
            {
                await w.StartRowAsync(ct);
                await w.WriteAsync(r.CitizenId, NpgsqlDbType.Text, ct);
                await w.WriteAsync(r.FullName, NpgsqlDbType.Text, ct);
                await w.WriteAsync(r.BirthDate, NpgsqlDbType.Date, ct);
                await w.WriteAsync((short)r.Sex, NpgsqlDbType.Smallint, ct);
                await w.WriteAsync(r.ProvinceCode, NpgsqlDbType.Text, ct);
                await w.WriteAsync(r.CommuneCode, NpgsqlDbType.Text, ct);
                await w.WriteNullableAsync(r.Hamlet, NpgsqlDbType.Text, ct);
                await w.WriteNullableAsync(r.Phone, NpgsqlDbType.Text, ct);
                await w.WriteNullableAsync(r.OverrideReason, NpgsqlDbType.Text, ct);
            }

            await w.CompleteAsync(ct);
        }

        await using (var cmd = new NpgsqlCommand("CREATE TEMP TABLE import_enrolment (citizen_id text, categories jsonb, start_month date, decision_number text, decision_date date) ON COMMIT DROP", conn, tx))
        {
            await cmd.ExecuteNonQueryAsync(ct);
        }

        await using (var w = await conn.BeginBinaryImportAsync("COPY import_enrolment FROM STDIN (FORMAT BINARY)", ct))
        {
            foreach (var r in valid)
            {
                await w.StartRowAsync(ct);
                await w.WriteAsync(r.CitizenId, NpgsqlDbType.Text, ct);
                await w.WriteAsync(CategoriesJson.Write(r.Categories), NpgsqlDbType.Jsonb, ct);
                await w.WriteAsync(r.StartMonth, NpgsqlDbType.Date, ct);
                await w.WriteNullableAsync(r.DecisionNumber, NpgsqlDbType.Text, ct);
                if (r.DecisionDate is null)
                {
                    await w.WriteNullAsync(ct);
                }
                else
                {
                    await w.WriteAsync(r.DecisionDate.Value, NpgsqlDbType.Date, ct);
                }
            }

            await w.CompleteAsync(ct);
        }

        await using (var cmd = new NpgsqlCommand("""
            INSERT INTO enrolment (person_id, province_code, commune_code, programme, categories, status, start_month, decision_number, decision_date, change_reason, created_by)
            SELECT p.id, p.province_code, p.commune_code, 'social_assistance', i.categories, 'active', i.start_month, i.decision_number, i.decision_date, @reason, @actor
            FROM import_enrolment i JOIN person p ON p.citizen_id = i.citizen_id
            """, conn, tx))
        {
            cmd.Parameters.AddWithValue("reason", $"nhập danh sách cũ: {batch.FileName}");
            cmd.Parameters.AddWithValue("actor", actor);
            await cmd.ExecuteNonQueryAsync(ct);
        }

        await using (var cmd = new NpgsqlCommand("UPDATE import_batch SET status = 'committed', committed_at = now(), rows_valid = @n, problems = 0, report = '[]', content = NULL WHERE id = @id", conn, tx))
        {
            cmd.Parameters.AddWithValue("n", valid.Count);
            cmd.Parameters.AddWithValue("id", batch.Id);
            await cmd.ExecuteNonQueryAsync(ct);
        }

        // One audit row for the batch: which file (by hash), how many rows, by whom.
        await AuditLog.AppendAsync(conn, tx,
            [new AuditEntryDraft("import", "import_batch", batch.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), batch.ProvinceCode, null,
                JsonSerializer.Serialize(new { file = batch.FileName, sha256 = batch.Sha256, people = valid.Count, enrolments = valid.Count }))],
            actor, $"nhập danh sách cũ {batch.FileName}", time.GetUtcNow(), ct);
        await tx.CommitAsync(ct);
        return (new ImportReport(batch.Id, batch.FileName, rows, valid.Count, 0, [], "committed"), null);
    }

    private IQueryable<ImportBatch> Scoped(UserScope scope) => scope.Level switch
    {
        ScopeLevel.All => db.ImportBatches,
        ScopeLevel.Province => db.ImportBatches.Where(b => b.ProvinceCode == scope.ProvinceCode),
        _ => db.ImportBatches.Where(b => b.ProvinceCode == scope.ProvinceCode && b.CommuneCode == scope.CommuneCode),
    };

    private async Task<(List<ImportRow> Valid, List<ImportProblem> Problems, int Rows, string? FormatError)> CheckAsync(UserScope scope, string fileName, byte[] content, CancellationToken ct)
    {
        RawSheet sheet;
        try
        {
            sheet = ImportReader.Read(fileName, content);
        }
        catch (ImportFormatException e)
        {
            return ([], [], 0, e.Message);
        }

        var idColumn = sheet.Headers.ToList().IndexOf("so_dinh_danh");
        List<string> ids = idColumn < 0 ? [] : [.. sheet.Rows.Select(r => idColumn < r.Cells.Length ? r.Cells[idColumn].Trim() : "")];

        var existing = (await db.People.AsNoTracking().Where(p => ids.Contains(p.CitizenId)).Select(p => p.CitizenId).ToListAsync(ct)).ToHashSet(StringComparer.Ordinal);
        var communes = await db.Communes.AsNoTracking().ToDictionaryAsync(c => c.Code, c => (c.ProvinceCode, c.Name), ct);
        var mapping = await db.CommuneMappings.AsNoTracking().ToListAsync(ct);
        var oldToNew = mapping.GroupBy(m => m.OldCommuneCode)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<(string, string)>)[.. g.Select(m => (m.NewCommuneCode, m.NewCommuneName))]);
        var oldByName = mapping.GroupBy(m => (m.OldProvinceCode, ImportValidator.FoldPlace(m.OldCommuneName)))
            .ToDictionary(g => g.Key, g => (IReadOnlyList<string>)[.. g.Select(m => m.OldCommuneCode).Distinct()]);
        var ctx = new ImportContext(communes.ToDictionary(kv => kv.Key, kv => (kv.Value.ProvinceCode, kv.Value.Name)), oldToNew, oldByName, existing, scope,
            rules.Evaluator(await RulesCatalog.LoadOverridesAsync(db, ct), Today), Today);
        var (valid, problems) = ImportValidator.Validate(sheet, ctx);
        return (valid, problems, sheet.Rows.Count, null);
    }
}

public sealed class ImportBatch
{
    public long Id { get; init; }
    public required string ProvinceCode { get; init; }
    public string? CommuneCode { get; init; }
    public required string FileName { get; init; }
    public required string Sha256 { get; init; }
    /// <summary>The file, kept only until it is committed or expires (<see cref="ImportCommands.KeepUncommittedDays"/>).</summary>
    public byte[]? Content { get; set; }
    public int RowsTotal { get; set; }
    public int RowsValid { get; set; }
    public int Problems { get; set; }
    public required string Report { get; set; }
    public required string Status { get; set; }
    public required string CreatedBy { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? CommittedAt { get; set; }
}
