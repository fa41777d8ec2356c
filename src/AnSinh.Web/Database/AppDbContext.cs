using System.Text;
using System.Text.Json;
using AnSinh.Web.Audit;
using AnSinh.Web.Features.People;
using AnSinh.Web.Features.Places;
using AnSinh.Web.Security;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace AnSinh.Web.Database;

/// <summary>
/// EF Core over the schema that the SQL migrations define (EF never creates tables here).
/// Saving changes to an <see cref="IAudited"/> entity writes its audit rows in the same transaction.
/// </summary>
public sealed class AppDbContext(DbContextOptions<AppDbContext> options, AuditContext audit, TimeProvider time)
    : IdentityUserContext<AppUser>(options)
{
    public DbSet<Province> Provinces => Set<Province>();
    public DbSet<Commune> Communes => Set<Commune>();
    public DbSet<CommuneMapping> CommuneMappings => Set<CommuneMapping>();
    public DbSet<Person> People => Set<Person>();
    public DbSet<Enrolment> Enrolments => Set<Enrolment>();
    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();
    public DbSet<Features.Rules.ProvinceRuleOverride> ProvinceRuleOverrides => Set<Features.Rules.ProvinceRuleOverride>();
    public DbSet<Features.Registry.Application> Applications => Set<Features.Registry.Application>();
    public DbSet<Features.Registry.ApplicationDocument> ApplicationDocuments => Set<Features.Registry.ApplicationDocument>();
    public DbSet<Features.Registry.OneTimePayment> OneTimePayments => Set<Features.Registry.OneTimePayment>();
    public DbSet<Features.Registry.ProvinceSetting> ProvinceSettings => Set<Features.Registry.ProvinceSetting>();
    public DbSet<Features.Registry.ChangeProposal> ChangeProposals => Set<Features.Registry.ChangeProposal>();
    public DbSet<Features.Registry.Decision> Decisions => Set<Features.Registry.Decision>();
    public DbSet<Features.Registry.Transfer> Transfers => Set<Features.Registry.Transfer>();
    public DbSet<Features.Registry.Import.ImportBatch> ImportBatches => Set<Features.Registry.Import.ImportBatch>();

    public DbSet<Features.Payment.Bank> Banks => Set<Features.Payment.Bank>();
    public DbSet<Features.Payment.Payer> Payers => Set<Features.Payment.Payer>();
    public DbSet<Features.Payment.PayerContract> PayerContracts => Set<Features.Payment.PayerContract>();
    public DbSet<Features.Payment.PayerContractCommune> PayerContractCommunes => Set<Features.Payment.PayerContractCommune>();
    public DbSet<Features.Payment.PaymentPoint> PaymentPoints => Set<Features.Payment.PaymentPoint>();
    public DbSet<Features.Payment.ProxyAuthorisation> ProxyAuthorisations => Set<Features.Payment.ProxyAuthorisation>();
    public DbSet<Features.Payment.PaymentInstruction> PaymentInstructions => Set<Features.Payment.PaymentInstruction>();
    public DbSet<Features.Payroll.PayrollRun> PayrollRuns => Set<Features.Payroll.PayrollRun>();
    public DbSet<Features.Payroll.PayrollConfirmation> PayrollConfirmations => Set<Features.Payroll.PayrollConfirmation>();
    public DbSet<Features.Payroll.LedgerWaiver> LedgerWaivers => Set<Features.Payroll.LedgerWaiver>();
    public DbSet<Features.Grievances.Grievance> Grievances => Set<Features.Grievances.Grievance>();
    public DbSet<Features.Grievances.GrievanceDocument> GrievanceDocuments => Set<Features.Grievances.GrievanceDocument>();

    public AuditContext Audit => audit;

    /// <summary>A province's name, or null when there is no province with that code (pages answer 404).</summary>
    public Task<string?> ProvinceNameAsync(string code, CancellationToken ct) =>
        Provinces.AsNoTracking().Where(p => p.Code == code).Select(p => (string?)p.Name).FirstOrDefaultAsync(ct);

    /// <summary>
    /// A transaction of its own, or a part of the caller's when one is already open (a decision that applies a
    /// change and records itself commits once): commit only ends the transaction this call began.
    /// </summary>
    public async Task<Transaction> TransactionAsync(CancellationToken ct) =>
        new(Database.CurrentTransaction is null ? await Database.BeginTransactionAsync(ct) : null);

    /// <summary>The Npgsql connection and transaction under the context's open transaction, for COPY and set-based SQL in it.</summary>
    public (NpgsqlConnection Connection, NpgsqlTransaction Transaction) Raw() =>
        ((NpgsqlConnection)Database.GetDbConnection(), (NpgsqlTransaction)(Database.CurrentTransaction ?? throw new InvalidOperationException("No open transaction.")).GetDbTransaction());

    /// <summary>
    /// One audit row for work done outside EF's change tracking (set-based SQL, a download, a print): its values as
    /// JSON, in the caller's transaction if one is open, else in one of its own.
    /// </summary>
    public async Task AppendAuditAsync(string action, string entity, string key, string? province, object values, string actor, string? reason, DateTimeOffset at, CancellationToken ct)
    {
        await using var tx = await TransactionAsync(ct);
        var (conn, ntx) = Raw();
        await AuditLog.AppendAsync(conn, ntx, [new AuditEntryDraft(action, entity, key, province, null, JsonSerializer.Serialize(values))], actor, reason, at, ct);
        await tx.CommitAsync(ct);
    }

    public sealed class Transaction(IDbContextTransaction? own) : IAsyncDisposable
    {
        public Task CommitAsync(CancellationToken ct) => own?.CommitAsync(ct) ?? Task.CompletedTask;

        public ValueTask DisposeAsync() => own?.DisposeAsync() ?? ValueTask.CompletedTask;
    }

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.Entity<AppUser>().ToTable("app_user");
        builder.Entity<IdentityUserClaim<string>>().ToTable("app_user_claim");
        builder.Entity<IdentityUserLogin<string>>().ToTable("app_user_login");
        builder.Entity<IdentityUserToken<string>>().ToTable("app_user_token");
        builder.Entity<Province>().HasKey(p => p.Code);
        builder.Entity<Commune>().HasKey(c => c.Code);
        builder.Entity<CommuneMapping>().HasKey(m => new { m.OldCommuneCode, m.NewCommuneCode });
        builder.Entity<Person>().Property(p => p.Sex).HasConversion<short>();
        builder.Entity<Person>().Property(p => p.Id).ValueGeneratedOnAdd();
        builder.Entity<Person>().Property(p => p.CreatedAt).ValueGeneratedOnAdd();
        builder.Entity<Person>().Property(p => p.SearchName).ValueGeneratedOnAddOrUpdate(); // kept by a trigger
        builder.Entity<Enrolment>().Property(p => p.Id).ValueGeneratedOnAdd();
        builder.Entity<Enrolment>().Property(p => p.CreatedAt).ValueGeneratedOnAdd();
        builder.Entity<Enrolment>().Property(p => p.Categories).HasColumnType("jsonb").HasConversion(CategoriesJson.Converter, CategoriesJson.Comparer);
        builder.Entity<Features.Registry.Application>().Property(p => p.Categories).HasColumnType("jsonb").HasConversion(CategoriesJson.Converter, CategoriesJson.Comparer);
        builder.Entity<AuditEntry>().ToTable("audit_log");
        builder.Entity<Features.Rules.ProvinceRuleOverride>().Property(p => p.Id).ValueGeneratedOnAdd();
        builder.Entity<Features.Registry.Application>().Property(p => p.CreatedAt).ValueGeneratedOnAdd();
        builder.Entity<Features.Registry.ApplicationDocument>().Property(p => p.UploadedAt).ValueGeneratedOnAdd();
        builder.Entity<Features.Registry.OneTimePayment>().Property(p => p.CreatedAt).ValueGeneratedOnAdd();
        builder.Entity<Features.Registry.ProvinceSetting>().HasKey(p => p.ProvinceCode);
        builder.Entity<Features.Registry.Import.ImportBatch>().Property(p => p.Report).HasColumnType("jsonb");
        builder.Entity<Features.Rules.ProvinceRuleOverride>().Property(p => p.CreatedAt).ValueGeneratedOnAdd();
        builder.Entity<Features.Registry.ChangeProposal>().Property(p => p.Request).HasColumnType("jsonb")
            .HasConversion(JsonColumn<Features.Registry.ChangeRequest>.Converter, JsonColumn<Features.Registry.ChangeRequest>.Comparer);
        builder.Entity<Features.Registry.Decision>().Property(p => p.CreatedAt).ValueGeneratedOnAdd();
        builder.Entity<Features.Registry.Decision>().Property(p => p.Lines).HasColumnType("jsonb")
            .HasConversion(JsonColumn<IReadOnlyList<Features.Registry.DecisionLine>>.Converter, JsonColumn<IReadOnlyList<Features.Registry.DecisionLine>>.Comparer);
        builder.Entity<Features.Payment.Bank>().HasKey(b => b.Bin);
        builder.Entity<Features.Payment.Bank>().Property(p => p.CreatedAt).ValueGeneratedOnAdd();
        builder.Entity<Features.Payment.Payer>().Property(p => p.CreatedAt).ValueGeneratedOnAdd();
        builder.Entity<Features.Payment.PayerContract>().Property(p => p.CreatedAt).ValueGeneratedOnAdd();
        builder.Entity<Features.Payment.PayerContractCommune>().HasKey(c => new { c.ContractId, c.CommuneCode });
        builder.Entity<Features.Payment.PayerContractCommune>().Ignore(c => c.ProvinceCode);
        builder.Entity<Features.Payment.PaymentPoint>().Property(p => p.CreatedAt).ValueGeneratedOnAdd();
        builder.Entity<Features.Payment.ProxyAuthorisation>().Property(p => p.CreatedAt).ValueGeneratedOnAdd();
        builder.Entity<Features.Payment.PaymentInstruction>().Property(p => p.CreatedAt).ValueGeneratedOnAdd();
        builder.Entity<Features.Payroll.PayrollRun>().Property(p => p.Id).ValueGeneratedOnAdd();
        builder.Entity<Features.Payroll.PayrollRun>().Ignore(p => p.State).Ignore(p => p.RunMonth);
        builder.Entity<Features.Payroll.PayrollConfirmation>().HasKey(c => new { c.RunId, c.CommuneCode });
        builder.Entity<Features.Payroll.PayrollConfirmation>().Ignore(c => c.ProvinceCode);
        builder.Entity<Features.Payroll.LedgerWaiver>().Property(p => p.Id).ValueGeneratedOnAdd();
        builder.Entity<Features.Registry.ProvinceSetting>().Ignore(p => p.Deadlines);
        builder.Entity<Features.Grievances.Grievance>().Property(p => p.Id).ValueGeneratedOnAdd();
        builder.Entity<Features.Grievances.Grievance>().Property(p => p.CreatedAt).ValueGeneratedOnAdd();
        builder.Entity<Features.Grievances.Grievance>().Ignore(p => p.State).Ignore(p => p.IsOpen);
        builder.Entity<Features.Grievances.GrievanceDocument>().Property(p => p.Id).ValueGeneratedOnAdd();
        builder.Entity<Features.Grievances.GrievanceDocument>().Property(p => p.UploadedAt).ValueGeneratedOnAdd();
        ApplySnakeCase(builder);
    }

    // EFCore.NamingConventions is not available here: map CLR names to the snake_case schema by hand.
    private static void ApplySnakeCase(ModelBuilder builder)
    {
        foreach (var entity in builder.Model.GetEntityTypes())
        {
            if (entity.GetTableName() is { } table && !table.Contains('_', StringComparison.Ordinal) && entity.ClrType.Namespace?.StartsWith("AnSinh", StringComparison.Ordinal) == true)
            {
                entity.SetTableName(SnakeCase(entity.ClrType.Name));
            }

            foreach (var property in entity.GetProperties())
            {
                property.SetColumnName(SnakeCase(property.Name));
            }
        }
    }

    public static string SnakeCase(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var sb = new StringBuilder(name.Length + 8);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsUpper(c) && i > 0 && (char.IsLower(name[i - 1]) || (i + 1 < name.Length && char.IsLower(name[i + 1]))))
            {
                sb.Append('_');
            }

            sb.Append(char.ToLowerInvariant(c));
        }

        return sb.ToString();
    }

    public override int SaveChanges(bool acceptAllChangesOnSuccess) =>
        SaveChangesAsync(acceptAllChangesOnSuccess).GetAwaiter().GetResult();

    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        ChangeTracker.DetectChanges();
        var pending = ChangeTracker.Entries()
            .Where(e => e.Entity is IAudited && e.State is EntityState.Added or EntityState.Modified or EntityState.Deleted)
            .Select(PendingAudit.Capture)
            .OfType<PendingAudit>()
            .ToList();
        if (pending.Count == 0)
        {
            return await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken).ConfigureAwait(false);
        }

        var ownTransaction = Database.CurrentTransaction is null
            ? await Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false)
            : null;
        try
        {
            var written = await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken).ConfigureAwait(false);
            var drafts = pending.Select(p => p.Complete()).ToList();
            var (conn, tx) = Raw();
            await AuditLog.AppendAsync(
                conn,
                tx,
                drafts, audit.Actor, audit.Reason, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
            if (ownTransaction is not null)
            {
                await ownTransaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            }

            return written;
        }
        finally
        {
            if (ownTransaction is not null)
            {
                await ownTransaction.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>What a change looked like before saving; completed after saving, when generated keys are known.</summary>
    private sealed class PendingAudit
    {
        // Secrets never go into the audit log.
        private static readonly HashSet<string> Hidden = new(StringComparer.Ordinal)
        {
            nameof(AppUser.PasswordHash), nameof(AppUser.SecurityStamp), nameof(AppUser.ConcurrencyStamp),
        };

        private readonly EntityEntry _entry;
        private readonly EntityState _state;
        private readonly string? _oldValues;
        private readonly IReadOnlyList<string> _changed;

        private PendingAudit(EntityEntry entry, EntityState state, string? oldValues, IReadOnlyList<string> changed)
        {
            _entry = entry;
            _state = state;
            _oldValues = oldValues;
            _changed = changed;
        }

        public static PendingAudit? Capture(EntityEntry entry)
        {
            // Uploaded files (every byte[] column): the audit keeps their name, size and SHA-256, not the bytes.
            var visible = entry.Properties.Where(p => !Hidden.Contains(p.Metadata.Name) && p.Metadata.ClrType != typeof(byte[])).ToList();
            switch (entry.State)
            {
                case EntityState.Added:
                    return new PendingAudit(entry, EntityState.Added, null, [.. visible.Select(p => p.Metadata.Name)]);
                case EntityState.Deleted:
                    return new PendingAudit(entry, EntityState.Deleted, ToJson(visible.Select(p => (p.Metadata.Name, p.OriginalValue))), []);
                default:
                    var changed = visible.Where(p => p.IsModified && !Equals(p.OriginalValue, p.CurrentValue)).ToList();
                    return changed.Count == 0
                        ? null
                        : new PendingAudit(entry, EntityState.Modified, ToJson(changed.Select(p => (p.Metadata.Name, p.OriginalValue))), [.. changed.Select(p => p.Metadata.Name)]);
            }
        }

        public AuditEntryDraft Complete()
        {
            var key = string.Join('/', _entry.Metadata.FindPrimaryKey()!.Properties.Select(p => Convert.ToString(_entry.Property(p.Name).CurrentValue, System.Globalization.CultureInfo.InvariantCulture)));
            var newValues = _state == EntityState.Deleted ? null : ToJson(_changed.Select(n => (n, _entry.Property(n).CurrentValue)));
            var action = _state switch { EntityState.Added => "insert", EntityState.Deleted => "delete", _ => "update" };
            return new AuditEntryDraft(action, _entry.Metadata.GetTableName()!, key, ((IAudited)_entry.Entity).AuditProvinceCode, _oldValues, newValues);
        }

        // Stored as text and HTML-encoded wherever it is shown, so Vietnamese need not be \u-escaped.
        private static readonly JsonSerializerOptions JsonOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.Create(System.Text.Unicode.UnicodeRanges.All) };

        private static string ToJson(IEnumerable<(string Name, object? Value)> values) =>
            JsonSerializer.Serialize(values.ToDictionary(v => SnakeCase(v.Name), v => v.Value), JsonOptions);
    }
}
