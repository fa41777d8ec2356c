using AnSinh.Web.Database;
using AnSinh.Web.Features.Registry;
using AnSinh.Web.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace AnSinh.Web.Features.Payment;

public sealed record AddBankRequest(string Bin, string ShortName, string NameVi, string? Swift);

public sealed record AddPayerRequest(string Kind, string Name, string? BankBin);

public sealed record AddContractRequest(long PayerId, string Reference, bool PaysCash, bool PaysAccount, decimal FeePercent, short TransferDay, short PayFromDay, short PayToDay,
    short ResultsDay, short SettlementDay, DateOnly ValidFrom, DateOnly? ValidTo, IReadOnlyList<string> Communes);

public sealed record AddPointRequest(string CommuneCode, long? PayerId, string Name, string? Address, short FirstDay, short LastDay);

public sealed record AddProxyRequest(string FullName, string CitizenId, string Relationship, DateOnly? BirthDate, string? Phone, string? Address, string? Reference, DateOnly ValidFrom, DateOnly ValidTo);

public sealed record Created(long Id);

/// <summary>
/// /api/v1 payment routing. Payers, contracts and points belong to a province and are set up by its officers
/// (<see cref="Policies.PaymentSetup"/>); a person's instructions and proxies are registry writes in their area.
/// </summary>
public static class PaymentApi
{
    public static void Map(IEndpointRouteBuilder v1)
    {
        var g = v1.MapGroup("").WithTags("Payment routing");
        g.MapGet("/banks", async (AppDbContext db, CancellationToken ct) => TypedResults.Ok(await db.Banks.AsNoTracking().OrderBy(b => b.ShortName).ToListAsync(ct)))
            .RequireAuthorization(Policies.SignedIn);
        g.MapPost("/banks", AddBank).RequireAuthorization(Policies.Admin);
        g.MapGet("/provinces/{provinceCode}/payers", async (string provinceCode, AppDbContext db, CancellationToken ct) =>
            TypedResults.Ok(await db.Payers.AsNoTracking().Where(p => p.ProvinceCode == provinceCode).OrderBy(p => p.Name).ToListAsync(ct))).RequireAuthorization(Policies.PlaceData);
        g.MapPost("/provinces/{provinceCode}/payers", AddPayer).RequireAuthorization(Policies.PaymentSetup);
        g.MapPost("/provinces/{provinceCode}/contracts", AddContract).RequireAuthorization(Policies.PaymentSetup);
        g.MapGet("/provinces/{provinceCode}/payment-points", async (string provinceCode, AppDbContext db, HttpContext http, CancellationToken ct) =>
            TypedResults.Ok(await db.PaymentPoints.AsNoTracking().WhereInScope(UserScope.From(http.User)).Where(p => p.ProvinceCode == provinceCode).OrderBy(p => p.CommuneCode).ThenBy(p => p.Name).ToListAsync(ct)))
            .RequireAuthorization(Policies.PlaceData);
        g.MapPost("/provinces/{provinceCode}/payment-points", AddPoint).RequireAuthorization(Policies.PaymentSetup);
        g.MapGet("/provinces/{provinceCode}/unrouted", Unrouted).RequireAuthorization(Policies.PlaceData);
        g.MapGet("/provinces/{provinceCode}/cashless", Cashless).RequireAuthorization(Policies.PlaceData);
        g.MapGet("/registry/people/{personId:long}/payment-instructions", Instructions).RequireAuthorization(Policies.PlaceData);
        g.MapPost("/registry/people/{personId:long}/payment-instructions", SetInstruction).RequireAuthorization(Policies.RegistryWrite);
        g.MapPost("/registry/people/{personId:long}/proxies", AddProxy).RequireAuthorization(Policies.RegistryWrite);
    }

    private static string Actor(HttpContext http) => http.User.Identity?.Name ?? "?";

    public static async Task<Results<Created<AddBankRequest>, ProblemHttpResult>> AddBank(AddBankRequest r, AppDbContext db, HttpContext http, CancellationToken ct)
    {
        var (bin, error) = await PaymentSetup.AddBankAsync(db, r, Actor(http), ct);
        return error is null ? TypedResults.Created($"/api/v1/banks/{bin}", r with { Bin = bin! }) : error.ToTyped<Created<AddBankRequest>>();
    }

    public static async Task<Results<Created<Created>, ProblemHttpResult>> AddPayer(string provinceCode, AddPayerRequest r, AppDbContext db, HttpContext http, CancellationToken ct)
    {
        var (id, error) = await PaymentSetup.AddPayerAsync(db, provinceCode, r, Actor(http), ct);
        return error is null ? TypedResults.Created($"/api/v1/provinces/{provinceCode}/payers/{id}", new Created(id)) : error.ToTyped<Created<Created>>();
    }

    public static async Task<Results<Created<Created>, ProblemHttpResult>> AddContract(string provinceCode, AddContractRequest r, AppDbContext db, HttpContext http, CancellationToken ct)
    {
        var (id, error) = await PaymentSetup.AddContractAsync(db, provinceCode, r, Actor(http), ct);
        return error is null ? TypedResults.Created($"/api/v1/provinces/{provinceCode}/contracts/{id}", new Created(id)) : error.ToTyped<Created<Created>>();
    }

    public static async Task<Results<Created<Created>, ProblemHttpResult>> AddPoint(string provinceCode, AddPointRequest r, AppDbContext db, HttpContext http, CancellationToken ct)
    {
        var (id, error) = await PaymentSetup.AddPointAsync(db, UserScope.From(http.User), provinceCode, r, Actor(http), ct);
        return error is null ? TypedResults.Created($"/api/v1/provinces/{provinceCode}/payment-points/{id}", new Created(id)) : error.ToTyped<Created<Created>>();
    }

    public static async Task<Results<Ok<IReadOnlyList<UnroutedRow>>, ValidationProblem>> Unrouted(string provinceCode, string? month, AppDbContext db, HttpContext http, TimeProvider time, CancellationToken ct)
    {
        if (!MonthOrNext(month, time, out var m))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["month"] = [Hosting.Texts.Get("Payment.Err.MonthFormat")] });
        }

        return TypedResults.Ok(await PaymentRouting.UnroutedAsync(db, provinceCode, UserScope.From(http.User).CommuneCode, null, m, 1000, ct));
    }

    public static async Task<Results<Ok<IReadOnlyList<CashlessRow>>, ValidationProblem>> Cashless(string provinceCode, string? month, AppDbContext db, HttpContext http, TimeProvider time, CancellationToken ct)
    {
        if (!MonthOrNext(month, time, out var m))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["month"] = [Hosting.Texts.Get("Payment.Err.MonthFormat")] });
        }

        return TypedResults.Ok(await PaymentRouting.CashlessAsync(db, provinceCode, UserScope.From(http.User).CommuneCode, m, ct));
    }

    /// <summary>The month asked for, or by default next month: the one whose list goes to the payer before the 25th.</summary>
    public static bool MonthOrNext(string? month, TimeProvider time, out YearMonth m)
    {
        ArgumentNullException.ThrowIfNull(time);
        if (month is null)
        {
            m = time.VietnamMonth().AddMonths(1);
            return true;
        }

        return YearMonth.TryParse(month, out m) && m >= RegistryBounds.FirstMonth && m <= time.VietnamMonth().AddMonths(12);
    }

    public static async Task<Results<Ok<IReadOnlyList<InstructionView>>, ProblemHttpResult>> Instructions(long personId, AppDbContext db, HttpContext http, CancellationToken ct)
    {
        if (!await db.People.AsNoTracking().WhereInScope(UserScope.From(http.User)).AnyAsync(p => p.Id == personId, ct))
        {
            return RegistryError.NotFound("person").ToProblem();
        }

        return TypedResults.Ok(await PaymentInstructions.ForPersonAsync(db, personId, ct));
    }

    public static async Task<Results<Created<Created>, ProblemHttpResult>> SetInstruction(long personId, SetInstructionRequest r, AppDbContext db, HttpContext http, TimeProvider time, CancellationToken ct)
    {
        var (instruction, error) = await PaymentInstructions.SetAsync(db, UserScope.From(http.User), personId, r, Actor(http), time, ct);
        return error is null ? TypedResults.Created($"/api/v1/registry/people/{personId}/payment-instructions", new Created(instruction!.Id)) : error.ToTyped<Created<Created>>();
    }

    public static async Task<Results<Created<Created>, ProblemHttpResult>> AddProxy(long personId, AddProxyRequest r, AppDbContext db, HttpContext http, TimeProvider time, CancellationToken ct)
    {
        var (id, error) = await PaymentSetup.AddProxyAsync(db, UserScope.From(http.User), personId, r, Actor(http), time.VietnamToday(), ct);
        return error is null ? TypedResults.Created($"/api/v1/registry/people/{personId}/proxies/{id}", new Created(id)) : error.ToTyped<Created<Created>>();
    }
}
