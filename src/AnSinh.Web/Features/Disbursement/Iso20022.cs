using System.Globalization;
using AnSinh.Core.Time;
using System.Xml;
using System.Xml.Schema;

namespace AnSinh.Web.Features.Disbursement;

/// <summary>
/// ISO 20022 bank messages: pain.001.001.09 out (one payment per line, VND in whole đồng, the creditor's bank by its
/// NAPAS BIN), pain.002.001.10 back. Both are checked against the Registration Authority's schemas, embedded
/// unchanged (Data/iso20022), and both are streamed: a province's file never sits in memory as a document.
/// </summary>
public static class Iso20022
{
    public const string Pain001Ns = "urn:iso:std:iso:20022:tech:xsd:pain.001.001.09";
    public const string Pain002Ns = "urn:iso:std:iso:20022:tech:xsd:pain.002.001.10";

    private static readonly Lazy<XmlSchemaSet> Pain001Schema = new(() => Load("pain.001.001.09.xsd"));
    private static readonly Lazy<XmlSchemaSet> Pain002Schema = new(() => Load("pain.002.001.10.xsd"));

    private static XmlSchemaSet Load(string name)
    {
        using var stream = typeof(Iso20022).Assembly.GetManifestResourceStream("AnSinh.Data." + name)
            ?? throw new InvalidOperationException($"Schema {name} is not embedded.");
        var set = new XmlSchemaSet { XmlResolver = null };
        using var reader = XmlReader.Create(stream, new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null });
        set.Add(null, reader);
        set.Compile();
        return set;
    }

    /// <summary>Settings that refuse DTDs and external entities, cap the document's size and validate against a schema.</summary>
    public static XmlReaderSettings Validating(bool pain001, long maxCharacters) => new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        MaxCharactersInDocument = maxCharacters,
        ValidationType = ValidationType.Schema,
        Schemas = pain001 ? Pain001Schema.Value : Pain002Schema.Value,
        ValidationFlags = XmlSchemaValidationFlags.ReportValidationWarnings,
        IgnoreWhitespace = true,
        IgnoreComments = true,
    };

    /// <summary>Reads a whole stream through the schema; the first error, with its line and column, or null.</summary>
    public static string? Validate(Stream stream, bool pain001, long maxCharacters)
    {
        try
        {
            using var reader = XmlReader.Create(stream, Validating(pain001, maxCharacters));
            while (reader.Read())
            {
            }

            return null;
        }
        catch (XmlSchemaValidationException e)
        {
            return $"{e.LineNumber}:{e.LinePosition} {e.Message}";
        }
        catch (XmlException e)
        {
            return $"{e.LineNumber}:{e.LinePosition} {e.Message}";
        }
    }

    /// <summary>The message's header and its payment information block.</summary>
    public sealed record Pain001Header(string MessageId, DateTimeOffset Created, int Count, long ControlSum, string Initiator,
        DateOnly Execution, string DebtorName, string DebtorAccount, string? DebtorBic, string? DebtorBin);

    /// <summary>One payment: its end-to-end id, the amount, the creditor's bank, name, citizen ID and account, and the remittance text.</summary>
    public sealed record Pain001Payment(string EndToEndId, long Amount, string CreditorBin, string CreditorName, string CitizenId, string Account, string Remittance);

    public static async Task WritePain001Async(Stream output, Pain001Header h, IAsyncEnumerable<Pain001Payment> payments, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(h);
        ArgumentNullException.ThrowIfNull(payments);
        var settings = new XmlWriterSettings { Async = true, Encoding = new System.Text.UTF8Encoding(false), Indent = true, IndentChars = " " };
        await using var w = XmlWriter.Create(output, settings);
        await w.WriteStartDocumentAsync();
        await w.WriteStartElementAsync(null, "Document", Pain001Ns);
        await w.WriteStartElementAsync(null, "CstmrCdtTrfInitn", Pain001Ns);
        await w.WriteStartElementAsync(null, "GrpHdr", Pain001Ns);
        await Leaf(w, "MsgId", h.MessageId);
        await Leaf(w, "CreDtTm", h.Created.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture));
        await Leaf(w, "NbOfTxs", h.Count.ToString(CultureInfo.InvariantCulture));
        await Leaf(w, "CtrlSum", h.ControlSum.ToString(CultureInfo.InvariantCulture));
        await w.WriteStartElementAsync(null, "InitgPty", Pain001Ns);
        await Leaf(w, "Nm", Max(h.Initiator, 140));
        await w.WriteEndElementAsync();
        await w.WriteEndElementAsync();

        await w.WriteStartElementAsync(null, "PmtInf", Pain001Ns);
        await Leaf(w, "PmtInfId", h.MessageId);
        await Leaf(w, "PmtMtd", "TRF");
        await Leaf(w, "NbOfTxs", h.Count.ToString(CultureInfo.InvariantCulture));
        await Leaf(w, "CtrlSum", h.ControlSum.ToString(CultureInfo.InvariantCulture));
        await w.WriteStartElementAsync(null, "ReqdExctnDt", Pain001Ns);
        await Leaf(w, "Dt", h.Execution.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        await w.WriteEndElementAsync();
        await w.WriteStartElementAsync(null, "Dbtr", Pain001Ns);
        await Leaf(w, "Nm", Max(h.DebtorName, 140));
        await w.WriteEndElementAsync();
        await w.WriteStartElementAsync(null, "DbtrAcct", Pain001Ns);
        await OtherId(w, Max(h.DebtorAccount, 34));
        await Leaf(w, "Ccy", "VND");
        await w.WriteEndElementAsync();
        await w.WriteStartElementAsync(null, "DbtrAgt", Pain001Ns);
        await Agent(w, h.DebtorBic, h.DebtorBin);
        await w.WriteEndElementAsync();

        await foreach (var p in payments.WithCancellation(ct))
        {
            await w.WriteStartElementAsync(null, "CdtTrfTxInf", Pain001Ns);
            await w.WriteStartElementAsync(null, "PmtId", Pain001Ns);
            await Leaf(w, "EndToEndId", p.EndToEndId);
            await w.WriteEndElementAsync();
            await w.WriteStartElementAsync(null, "Amt", Pain001Ns);
            await w.WriteStartElementAsync(null, "InstdAmt", Pain001Ns);
            await w.WriteAttributeStringAsync(null, "Ccy", null, "VND");
            await w.WriteStringAsync(p.Amount.ToString(CultureInfo.InvariantCulture));
            await w.WriteEndElementAsync();
            await w.WriteEndElementAsync();
            await w.WriteStartElementAsync(null, "CdtrAgt", Pain001Ns);
            await Agent(w, null, p.CreditorBin);
            await w.WriteEndElementAsync();
            await w.WriteStartElementAsync(null, "Cdtr", Pain001Ns);
            await Leaf(w, "Nm", Max(p.CreditorName, 140));
            await w.WriteStartElementAsync(null, "Id", Pain001Ns);
            await w.WriteStartElementAsync(null, "PrvtId", Pain001Ns);
            await w.WriteStartElementAsync(null, "Othr", Pain001Ns);
            await Leaf(w, "Id", p.CitizenId);
            await w.WriteStartElementAsync(null, "SchmeNm", Pain001Ns);
            await Leaf(w, "Cd", "NIDN");
            await w.WriteEndElementAsync();
            await w.WriteEndElementAsync();
            await w.WriteEndElementAsync();
            await w.WriteEndElementAsync();
            await w.WriteEndElementAsync();
            await w.WriteStartElementAsync(null, "CdtrAcct", Pain001Ns);
            await OtherId(w, p.Account);
            await w.WriteEndElementAsync();
            await w.WriteStartElementAsync(null, "RmtInf", Pain001Ns);
            await Leaf(w, "Ustrd", Max(p.Remittance, 140));
            await w.WriteEndElementAsync();
            await w.WriteEndElementAsync();
        }

        await w.WriteEndElementAsync();
        await w.WriteEndElementAsync();
        await w.WriteEndElementAsync();
        await w.WriteEndDocumentAsync();
        await w.FlushAsync();
    }

    private static Task Leaf(XmlWriter w, string name, string value) => w.WriteElementStringAsync(null, name, Pain001Ns, value);

    private static async Task OtherId(XmlWriter w, string id)
    {
        await w.WriteStartElementAsync(null, "Id", Pain001Ns);
        await w.WriteStartElementAsync(null, "Othr", Pain001Ns);
        await Leaf(w, "Id", id);
        await w.WriteEndElementAsync();
        await w.WriteEndElementAsync();
    }

    /// <summary>A bank by its BIC where known, else by its NAPAS BIN as a clearing-system member.</summary>
    private static async Task Agent(XmlWriter w, string? bic, string? bin)
    {
        await w.WriteStartElementAsync(null, "FinInstnId", Pain001Ns);
        if (bic is not null)
        {
            await Leaf(w, "BICFI", bic);
        }

        if (bin is not null)
        {
            await w.WriteStartElementAsync(null, "ClrSysMmbId", Pain001Ns);
            await w.WriteStartElementAsync(null, "ClrSysId", Pain001Ns);
            await Leaf(w, "Prtry", "NAPAS");
            await w.WriteEndElementAsync();
            await Leaf(w, "MmbId", bin);
            await w.WriteEndElementAsync();
        }

        await w.WriteEndElementAsync();
    }

    private static string Max(string s, int length) => s.Length <= length ? s : s[..length];

    /// <summary>What a status report says: the message it answers, its own totals where given, and each transaction.</summary>
    public sealed record Pain002(string MessageId, DateTimeOffset Created, string? OriginalMessageId, int? OriginalCount, long? OriginalControlSum,
        string? GroupStatus, IReadOnlyList<Pain002Transaction> Transactions);

    /// <summary>One transaction's status: its end-to-end id, status, reason, the day the bank accepted it, and the amount where repeated.</summary>
    public sealed record Pain002Transaction(int Position, string EndToEndId, string Status, string? Reason, string? Detail, DateOnly? Accepted, long? Amount);

    /// <summary>Reads a pain.002.001.10 through the schema. Any schema or XML error is returned with its line; nothing half-read is returned.</summary>
    public static (Pain002? Report, string? Error) ReadPain002(Stream stream, long maxCharacters, int maxTransactions)
    {
        string? msgId = null, orgMsgId = null, grpSts = null;
        DateTimeOffset created = default;
        int? orgCount = null;
        long? orgSum = null;
        var txs = new List<Pain002Transaction>();
        try
        {
            using var r = XmlReader.Create(stream, Validating(false, maxCharacters));
            var path = new List<string>();
            string? e2e = null, sts = null, rsn = null, info = null;
            DateOnly? accepted = null;
            long? amount = null;
            while (r.Read())
            {
                if (r.NodeType == XmlNodeType.Element)
                {
                    var empty = r.IsEmptyElement;
                    path.Add(r.LocalName);
                    if (r.LocalName == "TxInfAndSts")
                    {
                        (e2e, sts, rsn, info, accepted, amount) = (null, null, null, null, null, null);
                    }

                    if (empty)
                    {
                        path.RemoveAt(path.Count - 1);
                    }
                }
                else if (r.NodeType == XmlNodeType.Text)
                {
                    var v = r.Value.Trim();
                    var name = path[^1];
                    var parent = path.Count > 1 ? path[^2] : "";
                    var inTx = path.Contains("TxInfAndSts");
                    switch (name)
                    {
                        case "MsgId" when parent == "GrpHdr": msgId = v; break;
                        case "CreDtTm" when parent == "GrpHdr": created = DateTimeOffset.Parse(v, CultureInfo.InvariantCulture); break;
                        case "OrgnlMsgId" when parent == "OrgnlGrpInfAndSts": orgMsgId = v; break;
                        case "OrgnlNbOfTxs" when parent == "OrgnlGrpInfAndSts": orgCount = int.Parse(v, CultureInfo.InvariantCulture); break;
                        case "OrgnlCtrlSum" when parent == "OrgnlGrpInfAndSts": orgSum = ParseAmount(v); break;
                        case "GrpSts" when parent == "OrgnlGrpInfAndSts": grpSts = v; break;
                        case "OrgnlEndToEndId" when inTx: e2e = v; break;
                        case "TxSts" when inTx: sts = v; break;
                        case "Cd" when inTx && parent == "Rsn": rsn = v; break;
                        case "AddtlInf" when inTx: info ??= v; break;
                        case "AccptncDtTm" when inTx: accepted = DateTimeOffset.Parse(v, CultureInfo.InvariantCulture).VietnamDate(); break;
                        case "InstdAmt" when inTx: amount = ParseAmount(v); break;
                    }
                }
                else if (r.NodeType == XmlNodeType.EndElement)
                {
                    if (r.LocalName == "TxInfAndSts")
                    {
                        if (txs.Count >= maxTransactions)
                        {
                            return (null, $"> {maxTransactions}");
                        }

                        txs.Add(new Pain002Transaction(txs.Count + 1, e2e ?? "", sts ?? "", rsn, info, accepted, amount));
                    }

                    path.RemoveAt(path.Count - 1);
                }
            }
        }
        catch (Exception e) when (e is XmlException or XmlSchemaValidationException or FormatException or OverflowException)
        {
            return (null, e is XmlException x ? $"{x.LineNumber}:{x.LinePosition} {x.Message}" : e is XmlSchemaValidationException s ? $"{s.LineNumber}:{s.LinePosition} {s.Message}" : e.Message);
        }

        return (new Pain002(msgId ?? "", created, orgMsgId, orgCount, orgSum, grpSts, txs), null);
    }

    /// <summary>A VND amount: whole đồng; "500000" or "500000.00" but never a fraction of a đồng.</summary>
    private static long ParseAmount(string v)
    {
        var d = decimal.Parse(v, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);
        return d == decimal.Truncate(d) ? checked((long)d) : throw new FormatException($"{v}: not whole đồng");
    }
}
