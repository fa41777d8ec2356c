using System.Globalization;
using AnSinh.Core.People;
using AnSinh.Core.Rules;
using AnSinh.Core.Time;
using AnSinh.Web.Security;

namespace AnSinh.Web.Features.Registry.Import;

public sealed record ImportProblem(int Row, string Field, string Message);

/// <summary>A row that passed every check, ready to write.</summary>
public sealed record ImportRow(int Row, string CitizenId, string FullName, DateOnly BirthDate, Sex Sex, string ProvinceCode, string CommuneCode,
    string? Hamlet, string? Phone, IReadOnlyList<CategoryFact> Categories, DateOnly StartMonth, string? DecisionNumber, DateOnly? DecisionDate, string? OverrideReason);

/// <summary>The places and facts the checks need, loaded once per file.</summary>
public sealed record ImportContext(
    IReadOnlyDictionary<string, (string Province, string Name)> Communes,
    IReadOnlyDictionary<string, IReadOnlyList<(string Code, string Name)>> OldToNew,
    IReadOnlyDictionary<(string OldProvince, string FoldedName), IReadOnlyList<string>> OldByName,
    IReadOnlySet<string> ExistingCitizenIds,
    UserScope Scope,
    EntitlementEvaluator Evaluator,
    DateOnly Today);

/// <summary>Checks every row of a legacy list and reports every problem with its row and column, in Vietnamese.</summary>
public static class ImportValidator
{
    private static readonly string[] DateFormats = ["dd/MM/yyyy", "d/M/yyyy", "yyyy-MM-dd", "dd-MM-yyyy", "d-M-yyyy"];

    public static (List<ImportRow> Valid, List<ImportProblem> Problems) Validate(RawSheet sheet, ImportContext ctx)
    {
        ArgumentNullException.ThrowIfNull(sheet);
        ArgumentNullException.ThrowIfNull(ctx);
        var problems = new List<ImportProblem>();
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < sheet.Headers.Count; i++)
        {
            index.TryAdd(sheet.Headers[i], i);
        }

        var missing = ImportTemplate.Columns.Where(c => c.Required && !index.ContainsKey(c.Header)).Select(c => c.Header).ToList();
        if (!index.ContainsKey("ma_xa") && !index.ContainsKey("ma_xa_cu") && !index.ContainsKey("ten_xa_cu"))
        {
            missing.Add("ma_xa (hoặc ma_xa_cu / ten_xa_cu)");
        }

        if (missing.Count > 0)
        {
            problems.Add(new ImportProblem(1, string.Join(", ", missing), "Thiếu cột bắt buộc: dùng tệp mẫu (tải ở trang nhập danh sách)."));
            return ([], problems);
        }

        var valid = new List<ImportRow>(sheet.Rows.Count);
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (row, cells) in sheet.Rows)
        {
            string Cell(string header) => index.TryGetValue(header, out var i) && i < cells.Length ? cells[i].Trim() : "";
            var before = problems.Count;
            void Problem(string field, string message) => problems.Add(new ImportProblem(row, field, message));

            var name = Cell("ho_ten");
            if (name.Length == 0)
            {
                Problem("ho_ten", "Thiếu họ tên.");
            }

            var birth = ParseDate(Cell("ngay_sinh"));
            if (birth is null || birth > ctx.Today || birth.Value.Year < 1900)
            {
                Problem("ngay_sinh", $"Ngày sinh '{Cell("ngay_sinh")}' không hợp lệ (dd/mm/yyyy).");
            }

            Sex? sex = NameFold.Fold(Cell("gioi_tinh")) switch
            {
                "nam" or "male" or "m" => Sex.Male,
                "nu" or "female" or "f" => Sex.Female,
                _ => null,
            };
            if (sex is null)
            {
                Problem("gioi_tinh", $"Giới tính '{Cell("gioi_tinh")}': ghi Nam hoặc Nữ.");
            }

            var id = Cell("so_dinh_danh");
            var reason = Cell("xac_nhan_dinh_danh");
            var idProblem = birth is null || sex is null ? CitizenId.CheckStructure(id) : CitizenId.Check(id, birth.Value.Year, sex.Value);
            if (idProblem == CitizenIdProblem.NotTwelveDigits || (idProblem is not null && reason.Length == 0))
            {
                Problem("so_dinh_danh", $"'{id}': {PersonCommands.CitizenIdMessage(idProblem!.Value)}{(idProblem == CitizenIdProblem.NotTwelveDigits ? "" : " Nếu thẻ đúng như vậy, ghi lý do ở cột xac_nhan_dinh_danh.")}");
            }
            else if (seen.TryGetValue(id, out var firstRow))
            {
                Problem("so_dinh_danh", $"Trùng số định danh với dòng {firstRow}: một người chỉ một dòng.");
            }
            else if (ctx.ExistingCitizenIds.Contains(id))
            {
                Problem("so_dinh_danh", $"Số định danh {id} đã có trong hệ thống: không nhập lại (nếu cần, làm thủ tục chuyển đến hoặc điều chỉnh).");
            }

            seen.TryAdd(id, row);
            var commune = ResolveCommune(Cell("ma_xa"), Cell("ma_xa_cu"), Cell("ten_xa_cu"), Cell("ma_tinh_cu"), ctx, Problem);
            if (commune is not null && !ctx.Scope.Covers(ctx.Communes[commune].Province, commune))
            {
                Problem("ma_xa", $"{ctx.Communes[commune].Name} ngoài địa bàn của bạn.");
                commune = null;
            }

            // Every category of the person (Art. 6.2), separated by commas or semicolons: "4, 6".
            var codes = Cell("nhom").ToLowerInvariant().Split([',', ';', '+'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            string? severity = NameFold.Fold(Cell("muc_do")).Replace(' ', '_') switch
            {
                "" => null,
                "nang" or "severe" => "severe",
                "dac_biet_nang" or "especially_severe" => "especially_severe",
                _ => "?",
            };
            if (severity == "?")
            {
                Problem("muc_do", $"Mức độ khuyết tật '{Cell("muc_do")}': ghi \"nặng\" hoặc \"đặc biệt nặng\".");
                severity = null;
            }

            int? children = null;
            if (Cell("so_con").Length > 0)
            {
                if (int.TryParse(Cell("so_con"), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is > 0 and <= CategoryList.MaxChildren)
                {
                    children = n;
                }
                else
                {
                    Problem("so_con", $"Số con '{Cell("so_con")}' phải là số từ 1 đến {CategoryList.MaxChildren}.");
                }
            }

            var categories = CategoryList.Normalise([.. codes.Select(c => new CategoryFact(c, c == CategoryCodes.Disability ? severity : null, c == CategoryCodes.SingleParent ? children : null))]);
            foreach (var why in CategoryList.Check(Programme.SocialAssistance, categories))
            {
                // The column the officer must correct, not the internal field name.
                var column = why.Code switch
                {
                    "categories.severity_required" => "muc_do",
                    "categories.children_required" => "so_con",
                    _ => "nhom",
                };
                Problem(column, Hosting.Texts.Of(why));
            }

            var start = ParseMonth(Cell("thang_bat_dau"));
            if (start is null || start > YearMonth.From(ctx.Today).AddMonths(1) || start < RegistryBounds.FirstMonth)
            {
                Problem("thang_bat_dau", $"Tháng bắt đầu '{Cell("thang_bat_dau")}' không hợp lệ (mm/yyyy, từ {Display.Month(RegistryBounds.FirstMonth)} đến tháng sau).");
            }

            DateOnly? decisionDate = null;
            if (Cell("ngay_quyet_dinh").Length > 0 && (decisionDate = ParseDate(Cell("ngay_quyet_dinh"))) is null)
            {
                Problem("ngay_quyet_dinh", $"Ngày quyết định '{Cell("ngay_quyet_dinh")}' không hợp lệ.");
            }

            // The rules decide whether the facts fit the category: when the payment started, and now.
            if (problems.Count == before && commune is not null)
            {
                var province = ctx.Communes[commune].Province;
                var atStart = ctx.Evaluator.Evaluate(new CaseFacts(start!.Value, province, birth!.Value, categories));
                var now = ctx.Evaluator.Evaluate(new CaseFacts(YearMonth.From(ctx.Today), province, birth.Value, categories));
                if (atStart.IsError)
                {
                    Problem("nhom", $"Tại tháng bắt đầu {Display.Month(start.Value)}: {Hosting.Texts.Of(atStart.Error!)}");
                }
                else if (now.IsError)
                {
                    Problem("nhom", $"Không còn đủ điều kiện ở tháng này: {Hosting.Texts.Of(now.Error!)}");
                }
            }

            if (problems.Count == before)
            {
                valid.Add(new ImportRow(row, id, name, birth!.Value, sex!.Value, ctx.Communes[commune!].Province, commune!, NullIfEmpty(Cell("thon")), NullIfEmpty(Cell("dien_thoai")),
                    categories, start!.Value.FirstDay, NullIfEmpty(Cell("so_quyet_dinh")), decisionDate, idProblem is null ? null : reason));
            }
        }

        return (valid, problems);
    }

    /// <summary>New code, or an old code or old name through the 2025 mapping; a split old commune is never guessed.</summary>
    private static string? ResolveCommune(string code, string oldCode, string oldName, string oldProvince, ImportContext ctx, Action<string, string> problem)
    {
        List<string> oldCodes = [];
        if (oldCode.Length > 0)
        {
            oldCodes.Add(oldCode.PadLeft(5, '0'));
        }
        else if (oldName.Length > 0)
        {
            if (!ctx.OldByName.TryGetValue((oldProvince.PadLeft(2, '0'), FoldPlace(oldName)), out var byName))
            {
                problem("ten_xa_cu", $"Không tìm thấy xã cũ '{oldName}' trong tỉnh cũ mã '{oldProvince}'.");
                return null;
            }

            oldCodes.AddRange(byName);
        }

        if (oldCodes.Count == 0)
        {
            if (code.Length == 0)
            {
                problem("ma_xa", "Thiếu mã xã (ma_xa, hoặc ma_xa_cu / ten_xa_cu).");
                return null;
            }

            code = code.PadLeft(5, '0');
            if (!ctx.Communes.ContainsKey(code))
            {
                problem("ma_xa", $"Không có xã/phường mã '{code}' trong danh mục từ 1/7/2025 (mã cũ: ghi vào cột ma_xa_cu).");
                return null;
            }

            return code;
        }

        var targets = oldCodes.SelectMany(c => ctx.OldToNew.TryGetValue(c, out var t) ? t : []).DistinctBy(t => t.Code).ToList();
        if (targets.Count == 0)
        {
            problem("ma_xa_cu", $"Không có xã cũ mã '{oldCodes[0]}' trong bảng chuyển đổi năm 2025.");
            return null;
        }

        if (targets.Count == 1)
        {
            if (code.Length > 0 && code.PadLeft(5, '0') != targets[0].Code)
            {
                problem("ma_xa", $"Xã cũ đã nhập vào {targets[0].Name} ({targets[0].Code}), không phải mã '{code}'.");
                return null;
            }

            return targets[0].Code;
        }

        // The old commune was split: a person must say which new commune this beneficiary lives in.
        var chosen = code.PadLeft(5, '0');
        if (code.Length > 0 && targets.Any(t => t.Code == chosen))
        {
            return chosen;
        }

        problem("ma_xa", $"Xã cũ đã chia cho nhiều xã mới: {string.Join("; ", targets.Select(t => $"{t.Name} ({t.Code})"))}. Ghi mã xã mới nơi người này ở vào cột ma_xa.");
        return null;
    }

    public static string FoldPlace(string name)
    {
        var f = NameFold.Fold(name);
        foreach (var prefix in new[] { "xa ", "phuong ", "thi tran ", "dac khu " })
        {
            if (f.StartsWith(prefix, StringComparison.Ordinal))
            {
                return f[prefix.Length..];
            }
        }

        return f;
    }

    private static string? NullIfEmpty(string s) => s.Length == 0 ? null : s;

    public static DateOnly? ParseDate(string text)
    {
        if (DateOnly.TryParseExact(text, DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
        {
            return d;
        }

        // Excel stores dates as serial numbers when the cell is formatted as a date.
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var serial) && serial is > 1 and < 100_000
            ? DateOnly.FromDateTime(DateTime.FromOADate(serial))
            : null;
    }

    public static YearMonth? ParseMonth(string text)
    {
        if (YearMonth.TryParse(text, out var m))
        {
            return m;
        }

        var parts = text.Split('/', '-', '.');
        if (parts.Length == 2 && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var month) && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var year)
            && month is >= 1 and <= 12 && year is >= 1990 and <= 2100)
        {
            return new YearMonth(year, month);
        }

        return ParseDate(text) is { } d ? YearMonth.From(d) : null;
    }
}
