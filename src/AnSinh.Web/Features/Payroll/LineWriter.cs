using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using AnSinh.Core.Payroll;
using AnSinh.Web.Database;
using Npgsql;
using NpgsqlTypes;

namespace AnSinh.Web.Features.Payroll;

/// <summary>
/// Buffers a chunk's lines and writes them by binary COPY; hashes every line and item in the order written, so
/// the same inputs give the same content hash.
/// </summary>
internal sealed class LineWriter(long runId)
{
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly List<(int LineNo, long PersonId, string Province, string Commune, SettledLine Line, RunComputer.Route? Route)> _lines = [];
    private readonly List<(long PersonId, string Province, string Commune, Debt Debt)> _debts = [];
    private readonly List<(long PersonId, string Commune, OwedProblem Problem)> _problems = [];

    public int Lines { get; private set; }
    public int Items { get; private set; }
    public long Total { get; private set; }
    public int Unrouted { get; private set; }

    public void Add(long personId, string province, string commune, SettledLine line, RunComputer.Route? route, List<OwedProblem> problems)
    {
        foreach (var p in problems)
        {
            _problems.Add((personId, commune, p));
        }

        foreach (var d in line.Debts)
        {
            _debts.Add((personId, province, commune, d));
        }

        if (line.IsEmpty)
        {
            return;
        }

        Lines++;
        Items += line.Items.Count;
        Total = checked(Total + line.Total.Value);
        if (route?.PayerId is null)
        {
            Unrouted++;
        }

        _lines.Add((Lines, personId, province, commune, line, route));
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"{Lines}|{personId}|{commune}|{route?.InstructionId}|{route?.Method}|{route?.PayerId}|{line.Total.Value}\n");
        foreach (var i in line.Items)
        {
            sb.Append(CultureInfo.InvariantCulture, $" {i.Programme}|{i.Month}|{i.Kind}|{i.Amount.Value}|{i.Owed.Amount.Value}|{i.Owed.Coefficient.Tenths}|{i.Owed.Base.Value}|{i.Owed.Category}|{i.ReasonCode}\n");
        }

        _hash.AppendData(Encoding.UTF8.GetBytes(sb.ToString()));
    }

    public string FinishHash() => Convert.ToHexStringLower(_hash.GetHashAndReset());

    public async Task FlushAsync(NpgsqlConnection conn, CancellationToken ct)
    {
        if (_lines.Count > 0)
        {
            await using (var w = await conn.BeginBinaryImportAsync("""
                COPY payroll_line (run_id, line_no, person_id, province_code, commune_code, category, channel, instruction_id, payment_point_id, payer_id,
                                   regular, back_pay, carry_over, funeral, recovery, total) FROM STDIN (FORMAT BINARY)
                """, ct))
            {
                foreach (var (lineNo, personId, province, commune, line, route) in _lines)
                {
                    await w.StartRowAsync(ct);
                    await w.WriteAsync(runId, NpgsqlDbType.Bigint, ct);
                    await w.WriteAsync(lineNo, NpgsqlDbType.Integer, ct);
                    await w.WriteAsync(personId, NpgsqlDbType.Bigint, ct);
                    await w.WriteAsync(province, NpgsqlDbType.Text, ct);
                    await w.WriteAsync(commune, NpgsqlDbType.Text, ct);
                    await w.WriteNullableAsync((line.Items.FirstOrDefault(i => i.Kind == ItemKind.Regular) ?? line.Items[0]).Owed.Category, NpgsqlDbType.Text, ct);
                    await w.WriteNullableAsync(route?.Method, NpgsqlDbType.Text, ct);
                    await w.WriteNullableAsync(route?.InstructionId, NpgsqlDbType.Bigint, ct);
                    await w.WriteNullableAsync(route?.PointId, NpgsqlDbType.Bigint, ct);
                    await w.WriteNullableAsync(route?.PayerId, NpgsqlDbType.Bigint, ct);
                    foreach (var kind in ItemKind.All)
                    {
                        await w.WriteAsync(Sum(line, kind), NpgsqlDbType.Bigint, ct);
                    }

                    await w.WriteAsync(line.Total.Value, NpgsqlDbType.Bigint, ct);
                }

                await w.CompleteAsync(ct);
            }

            await using (var w = await conn.BeginBinaryImportAsync("""
                COPY payroll_item (run_id, line_no, person_id, programme, month, kind, amount, owed, coefficient, base, category, reference, reason)
                FROM STDIN (FORMAT BINARY)
                """, ct))
            {
                foreach (var (lineNo, personId, _, _, line, _) in _lines)
                {
                    foreach (var i in line.Items)
                    {
                        await w.StartRowAsync(ct);
                        await w.WriteAsync(runId, NpgsqlDbType.Bigint, ct);
                        await w.WriteAsync(lineNo, NpgsqlDbType.Integer, ct);
                        await w.WriteAsync(personId, NpgsqlDbType.Bigint, ct);
                        await w.WriteAsync(i.Programme, NpgsqlDbType.Text, ct);
                        await w.WriteAsync(i.Month.FirstDay, NpgsqlDbType.Date, ct);
                        await w.WriteAsync(i.Kind, NpgsqlDbType.Text, ct);
                        await w.WriteAsync(i.Amount.Value, NpgsqlDbType.Bigint, ct);
                        await w.WriteAsync(i.Owed.Amount.Value, NpgsqlDbType.Bigint, ct);
                        await w.WriteAsync(i.Owed.Coefficient.Tenths, NpgsqlDbType.Integer, ct);
                        await w.WriteAsync(i.Owed.Base.Value, NpgsqlDbType.Bigint, ct);
                        await w.WriteNullableAsync(i.Owed.Category, NpgsqlDbType.Text, ct);
                        await w.WriteNullableAsync(i.Owed.Reference, NpgsqlDbType.Text, ct);
                        await w.WriteAsync(i.ReasonCode, NpgsqlDbType.Text, ct);
                    }
                }

                await w.CompleteAsync(ct);
            }
        }

        if (_debts.Count > 0)
        {
            await using var w = await conn.BeginBinaryImportAsync(
                "COPY payroll_debt (run_id, person_id, province_code, commune_code, programme, month, amount, reason) FROM STDIN (FORMAT BINARY)", ct);
            foreach (var (personId, province, commune, d) in _debts)
            {
                await w.WriteRowAsync(ct, runId, personId, province, commune, d.Programme, d.Month.FirstDay, d.Amount.Value, d.ReasonCode);
            }

            await w.CompleteAsync(ct);
        }

        if (_problems.Count > 0)
        {
            await using var w = await conn.BeginBinaryImportAsync(
                "COPY payroll_problem (run_id, person_id, commune_code, programme, month, reason, args) FROM STDIN (FORMAT BINARY)", ct);
            foreach (var (personId, commune, p) in _problems)
            {
                await w.StartRowAsync(ct);
                await w.WriteAsync(runId, NpgsqlDbType.Bigint, ct);
                await w.WriteAsync(personId, NpgsqlDbType.Bigint, ct);
                await w.WriteAsync(commune, NpgsqlDbType.Text, ct);
                await w.WriteAsync(p.Programme, NpgsqlDbType.Text, ct);
                await w.WriteAsync(p.Month.FirstDay, NpgsqlDbType.Date, ct);
                await w.WriteAsync(p.Reason.Code, NpgsqlDbType.Text, ct);
                await w.WriteAsync(ReasonArgs.ToJson(p.Reason.Args), NpgsqlDbType.Jsonb, ct);
            }

            await w.CompleteAsync(ct);
        }

        _lines.Clear();
        _debts.Clear();
        _problems.Clear();
    }

    private static long Sum(SettledLine line, string kind)
    {
        var total = 0L;
        foreach (var i in line.Items)
        {
            if (i.Kind == kind)
            {
                total = checked(total + i.Amount.Value);
            }
        }

        return total;
    }
}
