using AnSinh.Core.Registry;
using AnSinh.Core.Rules;
using AnSinh.Web.Database;
using AnSinh.Web.Features.People;
using AnSinh.Web.Features.Rules;
using AnSinh.Web.Security;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace AnSinh.Web.Features.Registry;

/// <summary>A change to a person's enrolment in one programme, effective from a month.</summary>
public sealed record ChangeRequest(
    string Kind,
    string? EffectiveMonth,
    string Reason,
    IReadOnlyList<CategoryFact>? Categories = null,
    string? CommuneCode = null,
    DateOnly? DeathDate = null,
    bool BackPay = false);

/// <summary>
/// Changes close the open period and open the next so that no month is paid twice or lost: category or
/// severity (from the month the condition is met), move (old commune pays through the month before), death
/// (stop after the month of death, funeral support), suspension and resumption, stop.
/// </summary>
public sealed partial class EnrolmentCommands(AppDbContext db, RulesCatalog rules, TimeProvider time)
{
    public static readonly string[] Kinds = ["category", "move", "death", "suspend", "resume", "stop"];

    /// <summary>The changes that need a decision by the province's decider (Circular 02/2021 Art. 2): proposed first, applied when approved. A death and a move within the officer's area are recorded directly.</summary>
    public static readonly string[] DecidedKinds = ["category", "suspend", "resume", "stop"];

    private DateOnly Today => time.VietnamToday();

    /// <param name="commit">False checks the change as it would be applied now, and saves nothing (a proposal is checked so).</param>
    /// <param name="decision">The number and date of the decision that makes the change; the new period carries them.</param>
    public async Task<RegistryError?> ApplyAsync(UserScope scope, long personId, string programme, ChangeRequest r, string actor, CancellationToken ct,
        bool commit = true, (string Number, DateOnly Date)? decision = null)
    {
        ArgumentNullException.ThrowIfNull(r);
        var person = await db.People.WhereInScope(scope).FirstOrDefaultAsync(p => p.Id == personId, ct);
        if (person is null)
        {
            return RegistryError.NotFound("person");
        }

        if (!Kinds.Contains(r.Kind))
        {
            return RegistryError.Invalid("Kind", Hosting.Texts.Get("Registry.Err.Kind", string.Join(", ", Kinds)));
        }

        var problems = new List<(string, string)>();
        var reason = RegistryBounds.Text(r.Reason, "Reason", RegistryBounds.MaxReasonLength, problems, required: true);
        if (problems.Count > 0)
        {
            return RegistryError.Invalid(problems);
        }

        r = r with { Reason = reason! };

        if (r.Kind == "death")
        {
            return await DeathAsync(person, r, actor, ct);
        }

        if (CheckEffective(r.EffectiveMonth, Today) is { } monthError)
        {
            return monthError;
        }

        var effective = YearMonth.Parse(r.EffectiveMonth!);
        if (r.Kind == "move")
        {
            return !commit ? null : await MoveAsync(scope, person, effective, r, actor, ct);
        }

        var open = await db.Enrolments.FirstOrDefaultAsync(e => e.PersonId == personId && e.Programme == programme && e.EndMonth == null && e.SupersededAt == null, ct);
        if (open is null)
        {
            return RegistryError.Conflict(Hosting.Texts.Get("Registry.Err.NoOpenPeriod"));
        }

        // Each kind of change is its own slice (Changes/*.cs): it plans how the open period closes and what opens next.
        var period = new EnrolmentPeriod(open.Id, YearMonth.From(open.StartMonth), null, open.Status == EnrolmentStatus.Active);
        var (change, next, error) = r.Kind switch
        {
            "suspend" => PlanSuspend(open, period, effective, r, actor),
            "resume" => PlanResume(open, period, effective, r, actor),
            "stop" => PlanStop(period, effective),
            _ => await PlanCategoryAsync(person, programme, open, period, effective, r, actor, ct),
        };
        if (error is not null)
        {
            return error;
        }

        if (!commit)
        {
            return null;
        }

        if (next is not null && decision is { } d)
        {
            (next.DecisionNumber, next.DecisionDate) = (d.Number, d.Date);
        }

        return await ApplyChangeAsync(open, change!, next, r.Reason, ct);
    }

    /// <summary>What a change does to the open period and what opens next, or why it cannot be made.</summary>
    private readonly record struct Plan(PeriodChange? Change, Enrolment? Next, RegistryError? Error)
    {
        public static implicit operator Plan(RegistryError error) => new(null, null, error);

        /// <summary>The timeline's answer: its refusal worded as a conflict, or the change with what opens next.</summary>
        public static Plan Of((PeriodChange? Change, Core.Reason? Refusal) timeline, Enrolment? next) =>
            timeline.Refusal is { } refusal ? RegistryError.Conflict(Hosting.Texts.Of(refusal)) : new Plan(timeline.Change, next, null);
    }

    /// <summary>A change takes effect from a month between the first the rules know and next month.</summary>
    public static RegistryError? CheckEffective(string? month, DateOnly today)
    {
        if (!YearMonth.TryParse(month, out var effective))
        {
            return RegistryError.Invalid("EffectiveMonth", Hosting.Texts.Get("Registry.Err.EffectiveMonthFormat"));
        }

        if (effective > YearMonth.From(today).AddMonths(1))
        {
            return RegistryError.Invalid("EffectiveMonth", Hosting.Texts.Get("Registry.Err.EffectiveMonthLate"));
        }

        return effective < RegistryBounds.FirstMonth
            ? RegistryError.Invalid("EffectiveMonth", Hosting.Texts.Get("Registry.Err.EffectiveMonthEarly", Display.Month(RegistryBounds.FirstMonth)))
            : null;
    }

    /// <summary>
    /// Closes every open period of the person the month before <paramref name="effective"/> and opens it again in
    /// <paramref name="commune"/> from that month, in one transaction (the caller's if one is open). Used by a move
    /// within the officer's area and by the receiving place completing a transfer (with its decision).
    /// </summary>
    public async Task<RegistryError?> RelocateAsync(Person person, Places.Commune commune, YearMonth effective, string reason, string actor,
        (string Number, DateOnly Date)? decision, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(person);
        ArgumentNullException.ThrowIfNull(commune);
        var open = await db.Enrolments.Where(e => e.PersonId == person.Id && e.EndMonth == null && e.SupersededAt == null).ToListAsync(ct);
        if (open.Count == 0)
        {
            return RegistryError.Conflict(Hosting.Texts.Get("Registry.Err.NothingOpen"));
        }

        await using var tx = await db.TransactionAsync(ct);
        db.Audit.Reason = reason;
        var next = new List<Enrolment>();
        foreach (var e in open)
        {
            var (change, refusal) = EnrolmentTimeline.ChangeFrom(new EnrolmentPeriod(e.Id, YearMonth.From(e.StartMonth), null, e.Status == EnrolmentStatus.Active), effective);
            if (refusal is not null)
            {
                return RegistryError.Conflict(Hosting.Texts.Of(refusal));
            }

            Close(e, change!, reason);
            if (change!.OpenFrom is not null)
            {
                var n = e.NextPeriod(effective.FirstDay, e.Status, reason, actor);
                n.ProvinceCode = commune.ProvinceCode;
                n.CommuneCode = commune.Code;
                if (decision is { } d)
                {
                    (n.DecisionNumber, n.DecisionDate) = (d.Number, d.Date);
                }

                next.Add(n);
            }
        }

        person.ProvinceCode = commune.ProvinceCode;
        person.CommuneCode = commune.Code;
        await db.SaveChangesAsync(ct);
        db.Enrolments.AddRange(next);
        await db.SaveChangesAsync(ct);
        await Payment.PaymentInstructions.EndForMoveAsync(db, person.Id, effective, time.GetUtcNow(), ct);
        await tx.CommitAsync(ct);
        return null;
    }

    private async Task<RegistryError?> ApplyChangeAsync(Enrolment open, PeriodChange change, Enrolment? next, string reason, CancellationToken ct)
    {
        // Close first, then open: the database refuses two open or overlapping periods at any moment.
        await using var tx = await db.TransactionAsync(ct);
        db.Audit.Reason = reason;
        Close(open, change, reason);
        await db.SaveChangesAsync(ct);
        if (change.OpenFrom is not null && next is not null)
        {
            db.Enrolments.Add(next);
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException e) when (e.InnerException is PostgresException { SqlState: PostgresErrorCodes.ExclusionViolation or PostgresErrorCodes.UniqueViolation })
            {
                return RegistryError.Conflict(Hosting.Texts.Get("Registry.Err.Overlap"));
            }
        }

        await tx.CommitAsync(ct);
        return null;
    }

    private void Close(Enrolment e, PeriodChange change, string reason)
    {
        if (change.SupersedeOpen)
        {
            e.SupersededAt = time.GetUtcNow();
        }
        else if (change.CloseAfter is { } last)
        {
            e.EndMonth = last.FirstDay;
        }

        e.ChangeReason = e.ChangeReason is null ? reason : $"{e.ChangeReason}; {reason}";
    }
}
