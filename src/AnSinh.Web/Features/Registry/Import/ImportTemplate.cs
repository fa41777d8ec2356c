using System.Globalization;
using System.Text;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace AnSinh.Web.Features.Registry.Import;

/// <summary>One column of the legacy-import template: its header (as offices type it), whether it is required, and what goes in it.</summary>
public sealed record TemplateColumn(string Header, bool Required, string Help, string Example);

/// <summary>The documented template for importing beneficiary lists kept in spreadsheets before AnSinh.</summary>
public static class ImportTemplate
{
    public static readonly IReadOnlyList<TemplateColumn> Columns =
    [
        new("so_dinh_danh", true, "Số định danh cá nhân, 12 chữ số", "019150123456"),
        new("ho_ten", true, "Họ và tên", "Nguyễn Thị Hoa"),
        new("ngay_sinh", true, "Ngày sinh: dd/mm/yyyy hoặc yyyy-mm-dd", "15/03/1950"),
        new("gioi_tinh", true, "Nam hoặc Nữ", "Nữ"),
        new("ma_xa", false, "Mã xã/phường từ 1/7/2025 (5 chữ số)", "01840"),
        new("ma_xa_cu", false, "Mã xã/phường trước 1/7/2025 (nếu danh sách còn dùng mã cũ)", ""),
        new("ten_xa_cu", false, "Tên xã/phường cũ (khi không có mã)", ""),
        new("ma_tinh_cu", false, "Mã tỉnh cũ (2 chữ số) đi kèm tên xã cũ", ""),
        new("thon", false, "Thôn, tổ dân phố, địa chỉ", "Tổ 3"),
        new("dien_thoai", false, "Số điện thoại", ""),
        new("nhom", true, "Nhóm đối tượng: 1, 2, 3, 4, 5a, 5b, 5c, 5d, 6, 7, 8; người thuộc nhiều nhóm ghi tất cả, cách nhau dấu phẩy (ví dụ 4, 6)", "5a"),
        new("muc_do", false, "Nhóm 6: nặng hoặc đặc biệt nặng (có dấu hoặc không)", ""),
        new("so_con", false, "Nhóm 4: số con đang nuôi", ""),
        new("thang_bat_dau", true, "Tháng bắt đầu hưởng: mm/yyyy hoặc yyyy-mm", "07/2021"),
        new("so_quyet_dinh", false, "Số quyết định hưởng", "125/QĐ-UBND"),
        new("ngay_quyet_dinh", false, "Ngày quyết định", "20/06/2021"),
        new("xac_nhan_dinh_danh", false, "Lý do xác nhận khi số định danh không khớp năm sinh/giới tính", ""),
    ];

    public static byte[] Csv()
    {
        var sb = new StringBuilder();
        sb.AppendLine(string.Join(',', Columns.Select(c => c.Header)));
        sb.AppendLine(string.Join(',', Columns.Select(c => c.Example)));
        return [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(sb.ToString())];
    }

    /// <summary>An .xlsx with the headers, one example row, and a second sheet explaining each column.</summary>
    public static async Task<byte[]> XlsxAsync(CancellationToken ct)
    {
        using var ms = new MemoryStream();
        await XlsxWriter.WriteAsync(ms,
        [
            ("DanhSach", XlsxWriter.Rows([Columns.Select(c => c.Header).ToArray(), Columns.Select(c => c.Example).ToArray()])),
            ("HuongDan", XlsxWriter.Rows([["cot", "bat_buoc", "huong_dan"], .. Columns.Select(c => new[] { c.Header, c.Required ? "có" : "không", c.Help })])),
        ], ct);
        return ms.ToArray();
    }

    public static string ColumnName(int index) => XlsxWriter.ColumnName(index);
}
