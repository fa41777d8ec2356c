using System.Globalization;
using AnSinh.Core.Payroll;

namespace AnSinh.Web.Features.Disbursement;

/// <summary>
/// The tables exchanged with payers. Their headings are the file format (Vietnamese, as the post office reads them)
/// and are matched without regard to case; each column also answers to a short English key, for payer systems.
/// The post office fills the last four columns of the list it received and sends it back as its results.
/// </summary>
public static class PayerTables
{
    public sealed record Column(string Key, string Heading);

    public static readonly IReadOnlyList<Column> PostColumns =
    [
        new("line", "Số dòng"), new("end_to_end_id", "Mã giao dịch"), new("commune", "Xã/phường"), new("point", "Điểm chi trả"), new("hamlet", "Thôn/tổ"),
        new("name", "Họ tên"), new("birth_year", "Năm sinh"), new("citizen_id", "Số định danh"), new("category", "Đối tượng"), new("coefficient", "Hệ số"),
        new("regular", "Mức hằng tháng"), new("back_pay", "Truy lĩnh"), new("carry_over", "Chưa nhận kỳ trước"), new("funeral", "Mai táng phí"),
        new("recovery", "Truy thu"), new("amount", "Tổng"), new("paid_to", "Người nhận theo danh sách"), new("proxy_citizen_id", "Số định danh người được ủy quyền"),
        new("outcome", "Kết quả"), new("date", "Ngày chi trả"), new("receiver", "Người nhận tiền"), new("note", "Ghi chú"),
    ];

    public static readonly IReadOnlyList<Column> BankColumns =
    [
        new("line", "Số dòng"), new("end_to_end_id", "Mã giao dịch"), new("bank_bin", "Mã ngân hàng (BIN)"), new("bank", "Ngân hàng"),
        new("account", "Số tài khoản"), new("holder", "Chủ tài khoản"), new("citizen_id", "Số định danh"), new("amount", "Số tiền"), new("remittance", "Nội dung"),
        new("status", "Trạng thái"), new("reason", "Mã lý do"), new("date", "Ngày"),
    ];

    /// <summary>What a heading means, by its key or its Vietnamese heading (any case); unknown headings map to nothing.</summary>
    public static Dictionary<string, int> Index(IReadOnlyList<string> headers, IReadOnlyList<Column> columns)
    {
        ArgumentNullException.ThrowIfNull(headers);
        ArgumentNullException.ThrowIfNull(columns);
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < headers.Count; i++)
        {
            var h = headers[i].Trim();
            var c = columns.FirstOrDefault(c => string.Equals(c.Key, h, StringComparison.OrdinalIgnoreCase) || string.Equals(c.Heading, h, StringComparison.OrdinalIgnoreCase));
            if (c is not null)
            {
                index.TryAdd(c.Key, i);
            }
        }

        return index;
    }

    public static string[] PostRow(FileLine l, string endToEnd) =>
    [
        N(l.LineNo), endToEnd, l.CommuneName, l.PointName ?? "", l.Hamlet ?? "", l.FullName, N(l.BirthYear), l.CitizenId, l.Category ?? "",
        l.CoefficientTenths is { } c ? (c / 10m).ToString("0.0", CultureInfo.InvariantCulture) : "", N(l.Regular), N(l.BackPay), N(l.CarryOver), N(l.Funeral),
        N(l.Recovery), N(l.Total), l.ReceiverText, l.ProxyCitizenId ?? "", "", "", "", "",
    ];

    public static string[] BankRow(FileLine l, string endToEnd, string remittance) =>
        [N(l.LineNo), endToEnd, l.BankBin ?? "", l.BankName ?? "", l.Account ?? "", l.Holder ?? "", l.CitizenId, N(l.Total), remittance, "", "", ""];

    private static string N(long v) => v.ToString(CultureInfo.InvariantCulture);

    /// <summary>The outcome words a post office may write, in Vietnamese or English.</summary>
    public static string? OutcomeOf(string? text) => text?.Trim().ToLowerInvariant() switch
    {
        null or "" => null,
        "đã chi" or "da chi" or "đã nhận" or Outcome.Paid => Outcome.Paid,
        "chưa chi" or "chua chi" or "không nhận" or Outcome.Unpaid => Outcome.Unpaid,
        "trả lại" or "tra lai" or Outcome.Returned => Outcome.Returned,
        var other => other,
    };

    /// <summary>Who took the money, in Vietnamese or English.</summary>
    public static string? ReceiverOf(string? text) => text?.Trim().ToLowerInvariant() switch
    {
        null or "" => null,
        "bản thân" or "ban than" or Receiver.Self => Receiver.Self,
        "ủy quyền" or "uỷ quyền" or "uy quyen" or Receiver.Proxy => Receiver.Proxy,
        "tại nhà" or "tai nha" or Receiver.Home => Receiver.Home,
        var other => other,
    };

    /// <summary>A date as a post office writes it: 2026-11-09 or 09/11/2026, returned as yyyy-MM-dd for the outcome command.</summary>
    public static string? DateOf(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var t = text.Trim();
        return DateOnly.TryParseExact(t, ["dd/MM/yyyy", "d/M/yyyy"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)
            ? d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
            : t;
    }
}
