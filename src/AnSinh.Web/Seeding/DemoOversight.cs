using System.Globalization;
using AnSinh.Core.Time;
using AnSinh.Web.Database;
using AnSinh.Web.Features.Grievances;
using AnSinh.Web.Features.Oversight;
using AnSinh.Web.Security;
using Microsoft.EntityFrameworkCore;

namespace AnSinh.Web.Seeding;

/// <summary>
/// Oversight for the demo province, made through the same commands the offices use: a citizen's online complaint
/// answered by the commune officer, a petition taken by phone and waiting, a complaint received by post long enough ago
/// to be overdue and escalated, and an inspection plan drawn by the inspector with one visit whose finding (a referral)
/// the province officer has acted on, and one waiting.
/// </summary>
public static class DemoOversight
{
    public sealed record Result(int Grievances, int Sampled, int Findings);

    public static async Task<Result> SeedAsync(IServiceProvider services, string province, CancellationToken ct)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var grievances = scope.ServiceProvider.GetRequiredService<GrievanceCommands>();
        var inspections = scope.ServiceProvider.GetRequiredService<Inspections>();
        var time = scope.ServiceProvider.GetRequiredService<TimeProvider>();
        var data = scope.ServiceProvider.GetRequiredService<DatabaseConnection>().DataSource;
        var today = time.VietnamToday();
        // The months of payroll were just written: without statistics the planner picks nested loops over them, and
        // the risk flags behind the draw take minutes at 50,000 people instead of half a second (autovacuum analyses
        // within a minute in a real office; the seed does not wait).
        await db.Database.ExecuteSqlRawAsync("ANALYZE", ct);
        var officer = await db.Users.AsNoTracking().Where(u => u.ProvinceCode == province && u.Role == Roles.CommuneOfficer).OrderBy(u => u.UserName).FirstAsync(ct);
        var commune = officer.CommuneCode!;
        var people = await db.Enrolments.AsNoTracking().Where(e => e.CommuneCode == commune && e.SupersededAt == null && e.Status == "active" && e.EndMonth == null)
            .OrderBy(e => e.PersonId).Select(e => e.PersonId).Distinct().Take(3).ToListAsync(ct);
        var provinceScope = new UserScope(ScopeLevel.Province, province, null);
        var communeScope = new UserScope(ScopeLevel.Commune, province, commune);
        var provinceOfficer = $"canbo.tinh{province}";

        var (online, e1) = await grievances.FileAsync(null, new GrievanceRequest(province, null, "complaint", "online", "not_paid", "Nguyễn Văn Hỏi", "0912000111", null,
            "Tháng trước tôi đến điểm chi trả nhưng không có tên trong danh sách.", PersonId: people[0]), "public", ct);
        Check(e1);
        Check(await grievances.AcceptAsync(communeScope, online!.Id, officer.UserName!, officer.UserName!, ct));
        Check(await grievances.AnswerAsync(communeScope, online.Id, new GrievanceAnswer(
            "Tên của ông có trong danh sách tháng này tại điểm chi trả của xã.\nSố tiền tháng trước chưa nhận được chuyển sang tháng này.", "back_pay", "Bảng chi trả tháng này"),
            officer.UserName!, ct));
        var (_, e2) = await grievances.FileAsync(communeScope, new GrievanceRequest(province, commune, "petition", "phone", "payment_point", "Lê Thị Gọi", "0987000222", null,
            "Đề nghị bố trí điểm chi trả gần thôn hơn cho người già."), officer.UserName!, ct);
        Check(e2);
        var (late, e3) = await grievances.FileAsync(provinceScope, new GrievanceRequest(province, commune, "complaint", "post", "amount", "Trần Văn Thư", null, "Thôn 2",
            "Mức trợ cấp của mẹ tôi chưa được điều chỉnh khi bà tròn 80 tuổi.", today.AddDays(-GrievanceCommands.MaxBackdateDays), people.Count > 1 ? people[1] : null), provinceOfficer, ct);
        Check(e3);
        Check(await grievances.AcceptAsync(provinceScope, late!.Id, provinceOfficer, provinceOfficer, ct));
        var (_, e6) = await grievances.AttachAsync(provinceScope, late.Id, "letter", "don-khieu-nai-tran-van-thu.pdf",
            SamplePdf("Don khieu nai cua ong Tran Van Thu (ban quet mau cua du lieu demo)"), provinceOfficer, ct);
        Check(e6);
        await GrievanceCommands.EscalateDueAsync(data, time, ct);

        var inspector = $"thanhtra.tinh{province}";
        var (plan, e4) = await inspections.DrawAsync(province, $"Kiểm tra đối tượng quý {(today.Month + 2) / 3}/{today.Year}", 20261122, 3, inspector, ct);
        Check(e4);
        var sample = await inspections.SampleAsync(plan!.Value, provinceScope, ct);
        var findings = 0;
        foreach (var (s, i) in sample.Take(3).Select((s, i) => (s, i)))
        {
            var finding = i < 2;
            var (_, e5) = await inspections.RecordVisitAsync(province, plan.Value, new VisitRequest(s.PersonId, today.AddDays(-i - 1), finding ? "finding" : "confirmed",
                finding ? "Đến nhà, gặp con gái; đối tượng đang ở với con trai tại tỉnh khác." : "Gặp trực tiếp, đúng hồ sơ.",
                finding ? "referral" : null, null, finding ? "Xác minh nơi cư trú thực tế với tỉnh nơi đối tượng đang ở." : null), inspector, ct);
            Check(e5);
            findings += finding ? 1 : 0;
        }

        var first = (await inspections.FindingsAsync(province, provinceScope, plan, ct)).OrderBy(f => f.Id).FirstOrDefault();
        if (first is not null)
        {
            Check(await inspections.ActAsync(provinceScope, province, first.Id, null, "Sở Y tế tỉnh nơi đối tượng đang cư trú", provinceOfficer, ct));
        }

        return new Result(3, sample.Count, findings);
    }

    /// <summary>A one-page A4 PDF with a line of text (ASCII, in a standard font): the demo's stand-in for a scanned letter.</summary>
    private static byte[] SamplePdf(string line)
    {
        var text = $"BT /F1 14 Tf 72 770 Td ({line.Replace("\\", "", StringComparison.Ordinal).Replace("(", "", StringComparison.Ordinal).Replace(")", "", StringComparison.Ordinal)}) Tj ET";
        string[] objects =
        [
            "<< /Type /Catalog /Pages 2 0 R >>",
            "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
            $"<< /Length {text.Length} >>\nstream\n{text}\nendstream",
            "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        ];
        var pdf = new System.Text.StringBuilder("%PDF-1.4\n");
        var offsets = new List<int>();
        for (var i = 0; i < objects.Length; i++)
        {
            offsets.Add(pdf.Length);
            pdf.Append(CultureInfo.InvariantCulture, $"{i + 1} 0 obj\n{objects[i]}\nendobj\n");
        }

        var xref = pdf.Length;
        pdf.Append(CultureInfo.InvariantCulture, $"xref\n0 {objects.Length + 1}\n0000000000 65535 f \n");
        foreach (var o in offsets)
        {
            pdf.Append(CultureInfo.InvariantCulture, $"{o:D10} 00000 n \n");
        }

        pdf.Append(CultureInfo.InvariantCulture, $"trailer\n<< /Size {objects.Length + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n");
        return System.Text.Encoding.ASCII.GetBytes(pdf.ToString());
    }

    private static void Check(Features.Registry.RegistryError? error)
    {
        if (error is not null)
        {
            throw new InvalidOperationException($"Demo oversight: {error.Message}");
        }
    }
}
