using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Xml;
using System.Xml.Linq;
using System.Xml.Schema;
using AnSinh.Web.Features.Disbursement;
using AnSinh.Web.Security;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;

namespace AnSinh.Web.Tests.Payroll;

/// <summary>
/// A whole month through a post office and a bank, by the API: approved run → files → results (paid, by proxy, not
/// paid, a bank's AC04 rejection) → exceptions resolved → the next run carries the unpaid money and pays the rejected
/// account's money in cash → settlement to the đồng. Every beneficiary here is 5a aged 76: 1.5 × 540,000 = 810,000 a
/// month. The post office's fee is 0.55 %, the bank's 0.20 %.
/// </summary>
public sealed class DisbursementTests(PayrollFixture f) : IClassFixture<PayrollFixture>
{
    private const long Month = 810_000;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private static readonly string SchemaDir = Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "..", "src", "AnSinh.Web", "Data", "iso20022");

    private sealed record Setup(PayrollFixture.Place P, long Bank, long A, long B, long C, long D, long E, long RunId);

    /// <summary>Five people, a post office (A, B by proxy, C) and a bank (D, E), both under contract; November approved and sent.</summary>
    private async Task<Setup> MonthAsync(string province)
    {
        var p = await f.PlaceAsync(province);
        await ContractAsync(p, p.PayerId, "HĐ-BĐ-" + province, cash: true, 0.55m);
        var bankPayer = await p.ProvinceOfficer.PostAsJsonAsync($"/api/v1/provinces/{province}/payers", new { kind = "bank", name = "Agribank chi nhánh " + province, bankBin = "970405" }, Ct);
        bankPayer.StatusCode.ShouldBe(HttpStatusCode.Created, await bankPayer.Content.ReadAsStringAsync(Ct));
        var bank = (await bankPayer.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetInt64();
        await ContractAsync(p, bank, "HĐ-NH-" + province, cash: false, 0.20m);

        var a = await p.PersonAsync("Lò Văn An", "1950-02-01");
        var b = await p.PersonAsync("Lò Thị Bình", "1950-02-02");
        var c = await p.PersonAsync("Lò Văn Cường", "1950-02-03");
        var d = await p.PersonAsync("Lò Thị Dung", "1950-02-04");
        var e = await p.PersonAsync("Lò Văn Em", "1950-02-05");
        var proxy = await p.Officer.PostAsJsonAsync($"/api/v1/registry/people/{b}/proxies", new
        {
            fullName = "Lò Văn Bảo", citizenId = "019090001234", relationship = "con", reference = "UQ-15/2026", validFrom = "2026-01-01", validTo = "2026-12-31",
        }, Ct);
        proxy.StatusCode.ShouldBe(HttpStatusCode.Created, await proxy.Content.ReadAsStringAsync(Ct));
        var proxyId = (await proxy.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetInt64();
        await InstructAsync(p, b, new { method = "proxy", startMonth = "2026-11", reason = "Ốm, con nhận thay", paymentPointId = p.PointId, proxyId });
        await InstructAsync(p, d, new { method = "bank", startMonth = "2026-11", reason = "Có tài khoản", bankBin = "970436", accountNumber = "0011001234567", accountHolder = "LO THI DUNG" });
        await InstructAsync(p, e, new { method = "bank", startMonth = "2026-11", reason = "Có tài khoản", bankBin = "970415", accountNumber = "1020304050", accountHolder = "LO VAN EM" });
        foreach (var x in new[] { a, b, c, d, e })
        {
            await p.EnrolAsync(x, "5a", "2026-11");
        }

        var run = await p.PayAsync("2026-11", "2026-11-21");
        run.GetProperty("total").GetInt64().ShouldBe(5 * Month);
        return new Setup(p, bank, a, b, c, d, e, run.GetProperty("id").GetInt64());
    }

    private static async Task ContractAsync(PayrollFixture.Place p, long payer, string reference, bool cash, decimal fee)
    {
        var r = await p.ProvinceOfficer.PostAsJsonAsync($"/api/v1/provinces/{p.Province}/contracts", new
        {
            payerId = payer, reference, paysCash = cash, paysAccount = !cash, feePercent = fee, transferDay = 25, payFromDay = 7, payToDay = 15, resultsDay = 20,
            settlementDay = 25, validFrom = "2026-01-01", communes = new[] { p.Commune },
        }, Ct);
        r.StatusCode.ShouldBe(HttpStatusCode.Created, await r.Content.ReadAsStringAsync(Ct));
    }

    private static async Task InstructAsync(PayrollFixture.Place p, long person, object instruction)
    {
        var r = await p.Officer.PostAsJsonAsync($"/api/v1/registry/people/{person}/payment-instructions", instruction, Ct);
        r.StatusCode.ShouldBe(HttpStatusCode.Created, await r.Content.ReadAsStringAsync(Ct));
    }

    /// <summary>Queues the run's files and waits until the worker has built them all.</summary>
    private static async Task<JsonElement[]> FilesAsync(PayrollFixture.Place p, long runId)
    {
        var queued = await p.ProvinceOfficer.PostAsync($"{p.Runs}/{runId}/files", null, Ct);
        queued.StatusCode.ShouldBe(HttpStatusCode.Accepted, await queued.Content.ReadAsStringAsync(Ct));
        for (var i = 0; i < 300; i++)
        {
            var files = (await p.ProvinceOfficer.GetFromJsonAsync<JsonElement[]>($"{p.Runs}/{runId}/files", Ct))!;
            if (files.All(x => x.GetProperty("status").GetString() != "queued"))
            {
                return files;
            }

            await Task.Delay(100, Ct);
        }

        throw new TimeoutException("files still queued");
    }

    private static JsonElement FileOf(JsonElement[] files, long payer, string kind) =>
        files.Single(x => x.GetProperty("payerId").GetInt64() == payer && x.GetProperty("kind").GetString() == kind);

    private static async Task<byte[]> DownloadAsync(HttpClient client, long payer, JsonElement file)
    {
        var r = await client.GetAsync($"/api/v1/payers/{payer}/files/{file.GetProperty("id").GetInt64()}", Ct);
        r.StatusCode.ShouldBe(HttpStatusCode.OK, await r.Content.ReadAsStringAsync(Ct));
        var bytes = await r.Content.ReadAsByteArrayAsync(Ct);
        // The hash the database keeps, sent with the file, is the hash of what arrived.
        r.Headers.GetValues("X-Content-SHA256").Single().ShouldBe(Convert.ToHexStringLower(SHA256.HashData(bytes)));
        return bytes;
    }

    private static async Task<JsonElement> UploadAsync(HttpClient client, long payer, long runId, string name, byte[] content, bool dryRun, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var form = new MultipartFormDataContent { { new ByteArrayContent(content), "file", name } };
        var r = await client.PostAsync($"/api/v1/payers/{payer}/runs/{runId}/results?dryRun={(dryRun ? "true" : "false")}", form, Ct);
        r.StatusCode.ShouldBe(expected, await r.Content.ReadAsStringAsync(Ct));
        return await r.Content.ReadFromJsonAsync<JsonElement>(Ct);
    }

    /// <summary>The post office's list with its result columns filled: by line number, (outcome, date, receiver).</summary>
    private static byte[] FillPostResults(byte[] list, Func<int, (string Outcome, string Date, string Receiver)> result, Func<int, long, long>? amount = null)
    {
        var lines = Encoding.UTF8.GetString(list).TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        var header = lines[0].Split(',');
        int Col(string h) => Array.IndexOf(header, h);
        var sb = new StringBuilder(lines[0] + "\n");
        foreach (var row in lines.Skip(1))
        {
            var cells = row.Split(',');
            var no = int.Parse(cells[Col("Số dòng")], CultureInfo.InvariantCulture);
            var (o, d, rcv) = result(no);
            cells[Col("Kết quả")] = o;
            cells[Col("Ngày chi trả")] = d;
            cells[Col("Người nhận tiền")] = rcv;
            if (amount is not null)
            {
                cells[Col("Tổng")] = amount(no, long.Parse(cells[Col("Tổng")], CultureInfo.InvariantCulture)).ToString(CultureInfo.InvariantCulture);
            }

            sb.Append(string.Join(',', cells)).Append('\n');
        }

        return Encoding.UTF8.GetBytes(sb.ToString());
    }

    private static byte[] Pain002(string originalId, int count, long sum, params (string EndToEnd, string Status, string? Reason)[] txs)
    {
        var sb = new StringBuilder($"""
            <?xml version="1.0" encoding="UTF-8"?>
            <Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.002.001.10"><CstmrPmtStsRpt>
            <GrpHdr><MsgId>BANK-{originalId}</MsgId><CreDtTm>2026-11-09T16:00:00+07:00</CreDtTm></GrpHdr>
            <OrgnlGrpInfAndSts><OrgnlMsgId>{originalId}</OrgnlMsgId><OrgnlMsgNmId>pain.001.001.09</OrgnlMsgNmId><OrgnlNbOfTxs>{count}</OrgnlNbOfTxs><OrgnlCtrlSum>{sum}</OrgnlCtrlSum><GrpSts>PART</GrpSts></OrgnlGrpInfAndSts>
            <OrgnlPmtInfAndSts><OrgnlPmtInfId>{originalId}</OrgnlPmtInfId>
            """);
        foreach (var (e2e, status, reason) in txs)
        {
            sb.Append($"<TxInfAndSts><OrgnlEndToEndId>{e2e}</OrgnlEndToEndId><TxSts>{status}</TxSts>");
            if (reason is not null)
            {
                sb.Append($"<StsRsnInf><Rsn><Cd>{reason}</Cd></Rsn><AddtlInf>Tai khoan da dong</AddtlInf></StsRsnInf>");
            }

            sb.Append("</TxInfAndSts>");
        }

        sb.Append("</OrgnlPmtInfAndSts></CstmrPmtStsRpt></Document>");
        return Encoding.UTF8.GetBytes(sb.ToString());
    }

    [Fact]
    public async Task AWholeMonth_PostOfficeAndBank_FromApprovedRunToSettlementAndTheNextRun()
    {
        var s = await MonthAsync("08");
        var p = s.P;
        var lineA = await p.LineNoAsync(s.RunId, s.A);
        var lineB = await p.LineNoAsync(s.RunId, s.B);
        var lineC = await p.LineNoAsync(s.RunId, s.C);
        var lineD = await p.LineNoAsync(s.RunId, s.D);
        var lineE = await p.LineNoAsync(s.RunId, s.E);

        // Files: the post office gets its list as xlsx and CSV, the bank a CSV and a pain.001; counts, totals and hashes recorded.
        var files = await FilesAsync(p, s.RunId);
        files.Select(x => $"{x.GetProperty("payerId").GetInt64()}:{x.GetProperty("kind").GetString()}").Order().ShouldBe(
            new[] { $"{p.PayerId}:cash_csv", $"{p.PayerId}:cash_xlsx", $"{s.Bank}:bank_csv", $"{s.Bank}:pain001" }.Order());
        files.ShouldAllBe(x => x.GetProperty("status").GetString() == "ready");
        var pain001 = FileOf(files, s.Bank, "pain001");
        pain001.GetProperty("lineCount").GetInt32().ShouldBe(2);
        pain001.GetProperty("controlTotal").GetInt64().ShouldBe(2 * Month);
        FileOf(files, p.PayerId, "cash_csv").GetProperty("controlTotal").GetInt64().ShouldBe(3 * Month);

        // The pain.001 validates against the ISO schema, read here from the files in the tree, and downloads byte for byte the same.
        var xml = await DownloadAsync(p.ProvinceOfficer, s.Bank, pain001);
        Convert.ToHexStringLower(SHA256.HashData(xml)).ShouldBe(pain001.GetProperty("sha256").GetString());
        (await DownloadAsync(p.ProvinceOfficer, s.Bank, pain001)).ShouldBe(xml);
        ValidateAgainstSchema(xml, "pain.001.001.09.xsd");
        var doc = XDocument.Load(new MemoryStream(xml));
        XNamespace ns = "urn:iso:std:iso:20022:tech:xsd:pain.001.001.09";
        doc.Descendants(ns + "CtrlSum").First().Value.ShouldBe("1620000");
        var txs = doc.Descendants(ns + "CdtTrfTxInf").ToList();
        txs.Select(t => t.Descendants(ns + "MmbId").Single().Value).ShouldBe(["970436", "970415"]);
        txs.Select(t => t.Element(ns + "Amt")!.Element(ns + "InstdAmt")!.Attribute("Ccy")!.Value).ShouldAllBe(c => c == "VND");
        var e2eD = txs[0].Descendants(ns + "EndToEndId").Single().Value;
        var e2eE = txs[1].Descendants(ns + "EndToEndId").Single().Value;
        e2eD.ShouldBe($"AS08-202611-{lineD:000000}");

        // B's letter turns out to have ended on 5/11, before the payment day (recorded late by the commune).
        await f.App.ExecAsync($"UPDATE proxy_authorisation SET valid_to = '2026-11-05' WHERE person_id = {s.B}");

        // Post office: A paid in person, B to the proxy, C did not come. A dry run first, then the commit.
        var list = await DownloadAsync(p.ProvinceOfficer, p.PayerId, FileOf(files, p.PayerId, "cash_csv"));
        Encoding.UTF8.GetString(list).ShouldContain("Ủy quyền: Lò Văn Bảo (giấy số UQ-15/2026)");
        (string, string, string) Post(int no) => no == lineA ? ("đã chi", "10/11/2026", "bản thân") : no == lineB ? ("đã chi", "10/11/2026", "ủy quyền") : ("chưa chi", "", "");
        var results = FillPostResults(list, Post);

        // Tampered: A's amount edited. Refused, row and field named, nothing written.
        var tampered = await UploadAsync(p.ProvinceOfficer, p.PayerId, s.RunId, "ket-qua.csv", FillPostResults(list, Post, (no, a) => no == lineA ? a + 100_000 : a), dryRun: false);
        tampered.GetProperty("committed").GetBoolean().ShouldBeFalse();
        var problem = tampered.GetProperty("problems").EnumerateArray().ShouldHaveSingleItem();
        problem.GetProperty("field").GetString().ShouldBe("amount");
        problem.GetProperty("message").GetString()!.ShouldContain("910.000");
        // The post office's file sent as the bank's: every line another payer's.
        var other = await UploadAsync(p.ProvinceOfficer, s.Bank, s.RunId, "ket-qua.csv", results, dryRun: true);
        other.GetProperty("problems").EnumerateArray().Select(x => x.GetProperty("field").GetString()).ShouldBe(["line", "line", "line"]);
        (await f.App.ScalarAsync<long>($"SELECT count(*) FROM payroll_outcome WHERE run_id = {s.RunId}")).ShouldBe(0);

        var dry = await UploadAsync(p.ProvinceOfficer, p.PayerId, s.RunId, "ket-qua.csv", results, dryRun: true);
        (dry.GetProperty("recorded").GetInt32(), dry.GetProperty("committed").GetBoolean()).ShouldBe((3, false));
        var committed = await UploadAsync(p.ProvinceOfficer, p.PayerId, s.RunId, "ket-qua.csv", results, dryRun: false);
        (committed.GetProperty("recorded").GetInt32(), committed.GetProperty("committed").GetBoolean()).ShouldBe((3, true));
        // The same file again changes nothing; a different outcome for A is a conflict.
        var again = await UploadAsync(p.ProvinceOfficer, p.PayerId, s.RunId, "ket-qua.csv", results, dryRun: false);
        (again.GetProperty("recorded").GetInt32(), again.GetProperty("unchanged").GetInt32(), again.GetProperty("replay").GetBoolean()).ShouldBe((0, 3, true));
        var conflict = await UploadAsync(p.ProvinceOfficer, p.PayerId, s.RunId, "ket-qua-2.csv",
            FillPostResults(list, no => no == lineA ? ("chưa chi", "", "") : Post(no)), dryRun: false);
        conflict.GetProperty("problems").EnumerateArray().ShouldHaveSingleItem().GetProperty("field").GetString().ShouldBe("outcome");

        // Bank: a tampered control sum is refused; then D rejected (AC04, closed account), E settled.
        var badSum = await UploadAsync(p.ProvinceOfficer, s.Bank, s.RunId, "pain002.xml",
            Pain002(pain001.GetProperty("reference").GetString()!, 2, 1_620_001, (e2eD, "RJCT", "AC04"), (e2eE, "ACSC", null)), dryRun: false);
        badSum.GetProperty("problems").EnumerateArray().ShouldHaveSingleItem().GetProperty("field").GetString().ShouldBe("OrgnlCtrlSum");
        var bankResult = await UploadAsync(p.ProvinceOfficer, s.Bank, s.RunId, "pain002.xml",
            Pain002(pain001.GetProperty("reference").GetString()!, 2, 1_620_000, (e2eD, "RJCT", "AC04"), (e2eE, "ACSC", null)), dryRun: false);
        bankResult.GetProperty("recorded").GetInt32().ShouldBe(2);
        (await f.App.ScalarAsync<string>($"SELECT reason_code || ' ' || outcome FROM payroll_outcome WHERE run_id = {s.RunId} AND line_no = {lineD}")).ShouldBe("AC04 returned");

        // Money transferred: 3 × 810,000 to the post office, 2 × 810,000 to the bank. The post office's comes in two
        // parts: after the first, 2,000,000 against 2,430,000 needed is an exception; the second makes it good, and the
        // exception resolves itself.
        async Task TransferAsync(long payer, long amount)
        {
            var t = await p.ProvinceOfficer.PostAsJsonAsync($"{p.Runs}/{s.RunId}/transfers", new { payerId = payer, amount, transferredOn = "2026-11-05", reference = $"UNC-{payer}-{amount}" }, Ct);
            t.StatusCode.ShouldBe(HttpStatusCode.NoContent, await t.Content.ReadAsStringAsync(Ct));
        }

        await TransferAsync(p.PayerId, 2_000_000);
        (await f.App.ScalarAsync<string>($"SELECT args ->> 'expected' FROM payroll_exception WHERE run_id = {s.RunId} AND kind = 'transfer_mismatch' AND resolved_at IS NULL"))
            .ShouldBe("2430000");
        await TransferAsync(p.PayerId, 430_000);
        await TransferAsync(s.Bank, 2 * Month);
        (await f.App.ScalarAsync<string>($"SELECT resolved_by || ' ' || action FROM payroll_exception WHERE run_id = {s.RunId} AND kind = 'transfer_mismatch'")).ShouldBe("system confirm");

        // Reconciliation: every line has an outcome, but two exceptions are open, so the run is not closed.
        var recon = await p.ProvinceOfficer.GetFromJsonAsync<JsonElement>($"{p.Runs}/{s.RunId}/reconciliation", Ct);
        var open = recon.GetProperty("exceptions").EnumerateArray().Where(x => x.GetProperty("resolvedAt").ValueKind == JsonValueKind.Null).ToList();
        open.Select(x => $"{x.GetProperty("kind").GetString()}:{x.GetProperty("lineNo").GetInt32()}").Order().ShouldBe(new[] { $"bank_rejected:{lineD}", $"proxy_expired:{lineB}" }.Order());
        (await p.ProvinceOfficer.GetFromJsonAsync<JsonElement>($"{p.Runs}/{s.RunId}", Ct)).GetProperty("status").GetString().ShouldBe("sent");

        // D's money goes out again in cash; writing off B's payment is the approver's, so the officer confirms it after checking.
        long Exception(string kind) => open.Single(x => x.GetProperty("kind").GetString() == kind).GetProperty("id").GetInt64();
        var resolve = $"/api/v1/payroll/{p.Province}/exceptions";
        var writeOff = await p.ProvinceOfficer.PostAsJsonAsync($"{resolve}/{Exception("proxy_expired")}/resolve", new { action = "write_off", reason = "Không thu hồi được" }, Ct);
        writeOff.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        var wrongAction = await p.ProvinceOfficer.PostAsJsonAsync($"{resolve}/{Exception("proxy_expired")}/resolve", new { action = "reissue_cash", reason = "Thử sai" }, Ct);
        wrongAction.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await p.ProvinceOfficer.PostAsJsonAsync($"{resolve}/{Exception("bank_rejected")}/resolve", new { action = "reissue_cash", reason = "Tài khoản đã đóng, chi tiền mặt" }, Ct))
            .StatusCode.ShouldBe(HttpStatusCode.OK);
        (await p.ProvinceOfficer.PostAsJsonAsync($"{resolve}/{Exception("proxy_expired")}/resolve", new { action = "confirm", reason = "Đã xác minh: giấy ủy quyền mới ký 01/11" }, Ct))
            .StatusCode.ShouldBe(HttpStatusCode.OK);
        (await p.ProvinceOfficer.GetFromJsonAsync<JsonElement>($"{p.Runs}/{s.RunId}", Ct)).GetProperty("status").GetString().ShouldBe("closed");

        // Settlement. Post office: had 2,430,000; paid 1,620,000 (A, B); holds 810,000 (C) for December; balance 0;
        // fee 0.55 % of 1,620,000 = 8,910. Bank: had 1,620,000; paid 810,000 (E); returned 810,000 (D); fee 0.20 % of 810,000 = 1,620.
        var post = await p.ProvinceOfficer.GetFromJsonAsync<JsonElement>($"{p.Runs}/{s.RunId}/settlements/{p.PayerId}", Ct);
        var pf = post.GetProperty("figures");
        (pf.GetProperty("transferred").GetInt64(), pf.GetProperty("paid").GetInt64(), pf.GetProperty("held").GetInt64(), pf.GetProperty("returned").GetInt64(),
            pf.GetProperty("fee").GetInt64(), pf.GetProperty("balance").GetInt64()).ShouldBe((2_430_000L, 1_620_000L, 810_000L, 0L, 8_910L, 0L));
        var bf = (await p.ProvinceOfficer.GetFromJsonAsync<JsonElement>($"{p.Runs}/{s.RunId}/settlements/{s.Bank}", Ct)).GetProperty("figures");
        (bf.GetProperty("transferred").GetInt64(), bf.GetProperty("paid").GetInt64(), bf.GetProperty("held").GetInt64(), bf.GetProperty("returned").GetInt64(),
            bf.GetProperty("fee").GetInt64(), bf.GetProperty("balance").GetInt64()).ShouldBe((1_620_000L, 810_000L, 0L, 810_000L, 1_620L, 0L));

        // December: C's unpaid November is carried, D's returned November too, now in cash at the point of the post office.
        var december = await p.PayAsync("2026-12", "2026-11-21");
        (await p.LineAsync(december.GetProperty("id").GetInt64(), s.C)).ShouldBe("2026-11:carry_over:810000 2026-12:regular:810000");
        (await p.LineAsync(december.GetProperty("id").GetInt64(), s.D)).ShouldBe("2026-11:carry_over:810000 2026-12:regular:810000");
        var decD = await p.LineNoAsync(december.GetProperty("id").GetInt64(), s.D);
        (await f.App.ScalarAsync<string>($"SELECT channel || ' ' || payer_id FROM payroll_line WHERE run_id = {december.GetProperty("id").GetInt64()} AND line_no = {decD}"))
            .ShouldBe($"cash_point {p.PayerId}");
        // The money request nets what the post office still holds: 4 lines × 810,000 + 2 × 810,000 carried = 4,860,000 − 810,000 held.
        var money = await p.ProvinceOfficer.GetFromJsonAsync<JsonElement>($"{p.Runs}/{december.GetProperty("id").GetInt64()}/money-request", Ct);
        var postTransfer = money.GetProperty("transfers").EnumerateArray().Single(x => x.GetProperty("payerId").GetInt64() == p.PayerId);
        (postTransfer.GetProperty("runTotal").GetInt64(), postTransfer.GetProperty("held").GetInt64(), postTransfer.GetProperty("toTransfer").GetInt64())
            .ShouldBe((4_860_000L, 810_000L, 4_050_000L));
    }

    [Fact]
    public async Task Files_NeverFromAnUnapprovedRun_AndMalformedResultsAreRefused()
    {
        var p = await f.PlaceAsync("11");
        var x = await p.PersonAsync("Mã Văn Tư", "1950-02-01");
        await p.EnrolAsync(x, "5a", "2026-11");
        var draft = await p.ComputeAsync("2026-11", "2026-11-21");
        var refused = await p.ProvinceOfficer.PostAsync($"{p.Runs}/{draft.GetProperty("id").GetInt64()}/files", null, Ct);
        refused.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await refused.Content.ReadAsStringAsync(Ct)).ShouldContain("đã duyệt");
        (await f.App.ScalarAsync<long>("SELECT count(*) FROM payer_file WHERE province_code = '11'")).ShouldBe(0);

        var run = await p.ApproveAsync(draft);
        var id = run.GetProperty("id").GetInt64();
        // A file that failed to build (a full disk, say) is queued again when files are requested, and then built.
        await f.App.ExecAsync($"""
            INSERT INTO payer_file (run_id, province_code, payer_id, kind, reference, status, failure, requested_by, requested_at)
            VALUES ({id}, '11', {p.PayerId}, 'cash_csv', 'AS11-202611-P{p.PayerId}-CASH_CSV', 'failed', 'disk full', 'test', now())
            """);
        var rebuilt = await FilesAsync(p, id);
        rebuilt.Select(x => $"{x.GetProperty("kind").GetString()}:{x.GetProperty("status").GetString()}").Order().ShouldBe(["cash_csv:ready", "cash_xlsx:ready"]);
        FileOf(rebuilt, p.PayerId, "cash_csv").GetProperty("failure").ValueKind.ShouldBe(JsonValueKind.Null);
        // Not XML that the schema accepts: the line and column are named.
        var malformed = await UploadAsync(p.ProvinceOfficer, p.PayerId, id, "x.xml", Encoding.UTF8.GetBytes("<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:pain.002.001.10\"><Nope/></Document>"), dryRun: false);
        var problem = malformed.GetProperty("problems").EnumerateArray().ShouldHaveSingleItem();
        (problem.GetProperty("field").GetString(), problem.GetProperty("message").GetString()!.Contains("ISO 20022", StringComparison.Ordinal)).ShouldBe(("file", true));
        // A table without the result columns.
        var headless = await UploadAsync(p.ProvinceOfficer, p.PayerId, id, "x.csv", Encoding.UTF8.GetBytes("a,b\n1,2\n"), dryRun: false);
        headless.GetProperty("problems").EnumerateArray().ShouldHaveSingleItem().GetProperty("message").GetString()!.ShouldContain("Số dòng");
        // An external entity is never resolved.
        var xxe = await UploadAsync(p.ProvinceOfficer, p.PayerId, id, "x.xml",
            Encoding.UTF8.GetBytes("<?xml version=\"1.0\"?><!DOCTYPE d [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><Document>&e;</Document>"), dryRun: false);
        xxe.GetProperty("committed").GetBoolean().ShouldBeFalse();
        (await f.App.ScalarAsync<long>($"SELECT count(*) FROM payroll_outcome WHERE run_id = {id}")).ShouldBe(0);
    }

    [Fact]
    public async Task PayerAccess_AClerkAndATokenSeeOnlyTheirPayer()
    {
        var s = await MonthAsync("12");
        var p = s.P;
        var files = await FilesAsync(p, s.RunId);

        // A clerk without a payer, or with another province's, is refused when the account is made.
        await Should.ThrowAsync<InvalidOperationException>(() => f.App.CreateUserAsync("p12-none", Roles.PayerClerk, "12"));
        await Should.ThrowAsync<InvalidOperationException>(() => f.App.CreateUserAsync("p12-officer", Roles.ProvinceOfficer, "12", payerId: p.PayerId));
        await f.App.CreateUserAsync("p12-buudien", Roles.PayerClerk, "12", payerId: p.PayerId);
        var clerk = await f.App.SignedInAsync("p12-buudien");
        (await clerk.GetFromJsonAsync<JsonElement[]>($"/api/v1/payers/{p.PayerId}/runs", Ct))!.Single().GetProperty("lines").GetInt32().ShouldBe(3);
        (await DownloadAsync(clerk, p.PayerId, FileOf(files, p.PayerId, "cash_xlsx"))).Length.ShouldBeGreaterThan(1000);
        // Another payer's run, files and file: not found, whatever the id.
        (await clerk.GetAsync($"/api/v1/payers/{s.Bank}/runs", Ct)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await clerk.GetAsync($"/api/v1/payers/{p.PayerId}/files/{FileOf(files, s.Bank, "pain001").GetProperty("id").GetInt64()}", Ct)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await clerk.GetAsync($"/api/v1/payers/{s.Bank}/files/{FileOf(files, s.Bank, "pain001").GetProperty("id").GetInt64()}", Ct)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        // The clerk sees nothing of the registry or the province's payroll.
        (await clerk.GetAsync($"{p.Runs}/{s.RunId}", Ct)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);

        // A token for the bank, made by an admin, shown once, stored hashed.
        var admin = await f.App.SignedInAsync("admin", AnSinh.Web.Tests.Support.AppFixture.AdminPassword);
        var created = await admin.PostAsJsonAsync("/api/v1/admin/api-tokens", new { payerId = s.Bank, name = "Agribank host-to-host", days = 30 }, Ct);
        created.StatusCode.ShouldBe(HttpStatusCode.Created, await created.Content.ReadAsStringAsync(Ct));
        var body = await created.Content.ReadFromJsonAsync<JsonElement>(Ct);
        var secret = body.GetProperty("secret").GetString()!;
        (await f.App.ScalarAsync<long>($"SELECT count(*) FROM api_token WHERE secret_sha256 = '{ApiTokenAuthentication.Hash(secret)}'")).ShouldBe(1);
        (await f.App.ScalarAsync<long>($"SELECT count(*) FROM api_token WHERE secret_sha256 LIKE '%{secret[7..20]}%' OR prefix = '{secret}'")).ShouldBe(0);
        (await admin.GetStringAsync("/api/v1/admin/api-tokens", Ct)).ShouldNotContain(secret);

        var system = f.App.RawClient();
        system.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        var bankFile = await DownloadAsync(system, s.Bank, FileOf(files, s.Bank, "pain001"));
        bankFile.Length.ShouldBeGreaterThan(500);
        (await f.App.ScalarAsync<long>($"SELECT count(*) FROM audit_log WHERE entity = 'payer_file' AND action = 'download' AND actor LIKE 'token:%'")).ShouldBe(1);
        (await system.GetAsync($"/api/v1/payers/{p.PayerId}/runs", Ct)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        // Nowhere else: the token opens only the payer endpoints.
        (await system.GetAsync($"{p.Runs}/{s.RunId}", Ct)).StatusCode.ShouldBeOneOf(HttpStatusCode.Unauthorized, HttpStatusCode.Forbidden, HttpStatusCode.Redirect);
        (await system.GetAsync("/api/v1/admin/api-tokens", Ct)).StatusCode.ShouldBeOneOf(HttpStatusCode.Unauthorized, HttpStatusCode.Forbidden, HttpStatusCode.Redirect);

        // A clerk moved to another role leaves the payer (the database allows a payer to clerks only).
        await using (var scope = f.App.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<AppUser>>();
            var clerkUser = await users.FindByNameAsync("p12-buudien");
            var errors = await AnSinh.Web.Features.Admin.Users.UserCommands.UpdateAsync(users, scope.ServiceProvider.GetRequiredService<AnSinh.Web.Database.AppDbContext>(),
                new AnSinh.Web.Features.Admin.Users.UpdateUserRequest(clerkUser!.Id, clerkUser.FullName, Roles.Inspector, "12", null, false, null, "Chuyển công tác", "admin-id"), Ct);
            errors.ShouldBeEmpty();
        }

        (await f.App.ScalarAsync<string>("SELECT role || ':' || coalesce(payer_id::text, 'none') FROM app_user WHERE user_name = 'p12-buudien'")).ShouldBe("inspector:none");

        // Revoked or expired: refused.
        var revoke = await admin.PostAsync($"/api/v1/admin/api-tokens/{body.GetProperty("token").GetProperty("id").GetInt64()}/revoke", null, Ct);
        revoke.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await system.GetAsync($"/api/v1/payers/{s.Bank}/runs", Ct)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Exceptions_PaidAfterDeathAndResultsMissing_ResolvedByTheirActions_ThenTheRunCloses()
    {
        var p = await f.PlaceAsync("14");
        await ContractAsync(p, p.PayerId, "HĐ-BĐ-14", cash: true, 0.55m);
        var a = await p.PersonAsync("Sầm Văn Ất", "1950-02-01");
        var b = await p.PersonAsync("Sầm Thị Bé", "1950-02-02");
        await p.EnrolAsync(a, "5a", "2026-11");
        await p.EnrolAsync(b, "5a", "2026-11");
        var run = (await p.PayAsync("2026-11", "2026-11-21")).GetProperty("id").GetInt64();
        var lineA = await p.LineNoAsync(run, a);
        var lineB = await p.LineNoAsync(run, b);
        // A's death on 5/11 is recorded after the list went out; the post office reports A paid on 10/11 and nothing for B.
        await f.App.ExecAsync($"UPDATE person SET death_date = '2026-11-05' WHERE id = {a}");
        var csv = $"Số dòng,Tổng,Kết quả,Ngày chi trả,Người nhận tiền\n{lineA},{Month},đã chi,10/11/2026,bản thân\n";
        (await UploadAsync(p.ProvinceOfficer, p.PayerId, run, "ket-qua.csv", Encoding.UTF8.GetBytes(csv), dryRun: false)).GetProperty("recorded").GetInt32().ShouldBe(1);

        // The contract's results day (the 20th) has passed on the 21st: B's missing result is an exception too.
        var recon = await p.ProvinceOfficer.GetFromJsonAsync<JsonElement>($"{p.Runs}/{run}/reconciliation", Ct);
        var open = recon.GetProperty("exceptions").EnumerateArray().ToDictionary(x => x.GetProperty("kind").GetString()!, x => x.GetProperty("id").GetInt64());
        open.Keys.Order().ShouldBe(["paid_after_death", "results_missing"]);

        var resolve = $"/api/v1/payroll/{p.Province}/exceptions";
        (await p.ProvinceOfficer.PostAsJsonAsync($"{resolve}/{open["results_missing"]}/resolve", new { action = "carry", reason = "Bưu điện xác nhận chưa chi" }, Ct))
            .StatusCode.ShouldBe(HttpStatusCode.OK);
        (await f.App.ScalarAsync<string>($"SELECT outcome FROM payroll_outcome WHERE run_id = {run} AND line_no = {lineB}")).ShouldBe("unpaid");
        // Writing the money off is the approver's, and needs a reason.
        (await p.ProvinceOfficer.PostAsJsonAsync($"{resolve}/{open["paid_after_death"]}/resolve", new { action = "write_off", reason = "Gia đình đã dùng lo mai táng" }, Ct))
            .StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await p.Approver.PostAsJsonAsync($"{resolve}/{open["paid_after_death"]}/resolve", new { action = "write_off", reason = "x" }, Ct))
            .StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await p.Approver.PostAsJsonAsync($"{resolve}/{open["paid_after_death"]}/resolve", new { action = "write_off", reason = "Gia đình đã dùng lo mai táng" }, Ct))
            .StatusCode.ShouldBe(HttpStatusCode.OK);
        (await p.ProvinceOfficer.GetFromJsonAsync<JsonElement>($"{p.Runs}/{run}", Ct)).GetProperty("status").GetString().ShouldBe("closed");
        // Resolved once: a second resolution is refused.
        (await p.Approver.PostAsJsonAsync($"{resolve}/{open["paid_after_death"]}/resolve", new { action = "write_off", reason = "Lần hai" }, Ct))
            .StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await f.App.ScalarAsync<long>($"SELECT count(*) FROM audit_log WHERE entity = 'payroll_exception' AND action = 'resolve' AND province_code = '14'")).ShouldBe(2);
    }

    [Fact]
    public void Pain002_TheSharedSample_ReadsItsRejection()
    {
        using var stream = File.OpenRead(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "..", "src", "AnSinh.Web", "Data", "iso20022", "sample-pain002.xml"));
        var (report, error) = Iso20022.ReadPain002(stream, 1_000_000, 10);
        error.ShouldBeNull();
        report!.OriginalMessageId.ShouldBe("ANSINH-2026-07-001");
        var tx = report.Transactions.ShouldHaveSingleItem();
        (tx.EndToEndId, tx.Status, tx.Reason).ShouldBe(("DT0001-202607", "RJCT", "AC04"));
    }

    [Fact]
    public void SignatureList_SheetsCountThePrintedRows_AndLeaveRoomForTheSignatures()
    {
        FileLine L(int no, string hamlet, bool proxy = false) => new(no, "01840", "Xã", "cash_point", 1, "Điểm", hamlet, "Tên", 1950, "019150000000", "5a", 15,
            810_000, 0, 0, 0, 0, 810_000, null, null, null, null, proxy ? "Người nhận" : null, proxy ? "019090000000" : null, null);
        // 20 lines over 4 hamlets, one by proxy: 20 lines + headings + 1 = rows; 16 to a sheet, 9 on the last.
        var lines = Enumerable.Range(1, 20).Select(i => L(i, "Thôn " + ((i - 1) / 5), proxy: i == 3)).ToList();
        var sheets = AnSinh.Web.Features.Disbursement.SignatureListModel.Cut(lines, 16, 9);
        sheets.SelectMany(x => x).Select(x => x.LineNo).ShouldBe(Enumerable.Range(1, 20));
        // Sheet 1: heading, 1, 2, 3 (×2), 4, 5, heading, 6–10, heading, 11, 12 = 16 rows; the rest: heading, 13–15,
        // heading, 16–20 = 10 rows, one too many for the last sheet, so 13 goes on a sheet of its own.
        sheets.Select(x => x.Count).ShouldBe([12, 1, 7]);
        AnSinh.Web.Features.Disbursement.SignatureListModel.Cut([], 16, 9).ShouldBeEmpty();
    }

    [Fact]
    public void Fee_HalfUpToTheDong()
    {
        new AnSinh.Core.Payment.Settlement(0, 0, 0, 1_234_567, 0, 0, 0, 55).Fee.ShouldBe(6_790); // 6,790.1185
        new AnSinh.Core.Payment.Settlement(0, 0, 0, 10_000, 0, 0, 0, 5).Fee.ShouldBe(5); // 5.0
        new AnSinh.Core.Payment.Settlement(0, 0, 0, 1_000, 0, 0, 0, 5).Fee.ShouldBe(1); // 0.5 → 1
        new AnSinh.Core.Payment.Settlement(0, 0, 0, 999, 0, 0, 0, 5).Fee.ShouldBe(0); // 0.4995 → 0
    }

    private static void ValidateAgainstSchema(byte[] xml, string xsd)
    {
        var set = new XmlSchemaSet();
        set.Add(null, Path.Combine(SchemaDir, xsd));
        var errors = new List<string>();
        var settings = new XmlReaderSettings { ValidationType = ValidationType.Schema, Schemas = set };
        settings.ValidationEventHandler += (_, e) => errors.Add(e.Message);
        using var reader = XmlReader.Create(new MemoryStream(xml), settings);
        while (reader.Read())
        {
        }

        errors.ShouldBeEmpty();
    }
}
