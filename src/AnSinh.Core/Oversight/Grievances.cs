using System.Security.Cryptography;
using AnSinh.Core.Registry;

namespace AnSinh.Core.Oversight;

public enum GrievanceStatus
{
    Received,
    Accepted,
    Answered,
    Withdrawn,
}

public enum GrievanceAction
{
    /// <summary>An officer takes it on (thụ lý), assigning it to someone or themselves.</summary>
    Accept,

    /// <summary>Handed to another officer; the deadline does not move.</summary>
    Reassign,

    /// <summary>The written answer, with the action it led to.</summary>
    Answer,

    /// <summary>The filer withdraws it (recorded by an officer).</summary>
    Withdraw,

    /// <summary>The person it is about is named (by their card) while it is open, so the answer can link their decision.</summary>
    LinkPerson,
}

/// <summary>
/// A grievance moves from received to accepted (thụ lý, with the officer who answers it) to answered, or is withdrawn
/// before an answer. An answered or withdrawn grievance is final: a new one is filed if the citizen is not satisfied
/// (the second-level complaint goes to the province).
/// </summary>
public static class GrievanceWorkflow
{
    public static readonly IReadOnlyList<string> Kinds = ["complaint", "denunciation", "petition"];
    public static readonly IReadOnlyList<string> Channels = ["in_person", "phone", "post", "online"];
    public static readonly IReadOnlyList<string> Topics = ["not_paid", "amount", "eligibility", "decision", "payment_point", "proxy", "conduct", "other"];

    /// <summary>What the answer led to: nothing, or a change in the registry or the ledger (named so a report can count them).</summary>
    public static readonly IReadOnlyList<string> ActionKinds = ["none", "correction", "back_pay", "suspension_lifted", "suspension", "recovery", "referral"];

    public static (GrievanceStatus? Next, Reason? Refusal) Apply(GrievanceStatus current, GrievanceAction action) => (current, action) switch
    {
        (GrievanceStatus.Answered or GrievanceStatus.Withdrawn, _) => (null, new Reason("grievance.final", "", Code(current))),
        (GrievanceStatus.Received, GrievanceAction.Accept) => (GrievanceStatus.Accepted, null),
        (GrievanceStatus.Accepted, GrievanceAction.Reassign) => (GrievanceStatus.Accepted, null),
        (GrievanceStatus.Accepted, GrievanceAction.Answer) => (GrievanceStatus.Answered, null),
        (_, GrievanceAction.LinkPerson) => (current, null),
        (_, GrievanceAction.Withdraw) => (GrievanceStatus.Withdrawn, null),
        _ => (null, new Reason("grievance.order", "", Code(current))),
    };

    public static bool IsOpen(GrievanceStatus s) => s is GrievanceStatus.Received or GrievanceStatus.Accepted;

    public static string Code(GrievanceStatus s) => s.ToString().ToLowerInvariant();

    public static GrievanceStatus Parse(string code) => Enum.Parse<GrievanceStatus>(code, ignoreCase: true);

    /// <summary>
    /// A tracking code a citizen can read out on the phone: 12 characters from 31 that cannot be confused (no 0/O, 1/I/L),
    /// about 59 bits, so codes cannot be guessed; grouped in fours.
    /// </summary>
    public static string NewCode()
    {
        const string alphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";
        Span<char> c = stackalloc char[14];
        var k = 0;
        for (var i = 0; i < 12; i++)
        {
            if (i is 4 or 8)
            {
                c[k++] = '-';
            }

            c[k++] = alphabet[RandomNumberGenerator.GetInt32(alphabet.Length)];
        }

        return new string(c);
    }
}

/// <summary>A province's deadlines in working days, and where each default comes from.</summary>
public sealed record GrievanceDeadlines(int AcceptDays, int ComplaintDays, int DenunciationDays, int PetitionDays)
{
    /// <summary>
    /// Defaults (confidence M: the figures are the laws'; that they count working days follows Circular 07/2013/TT-TTCP
    /// and is how offices apply them): accept (thụ lý) within 10 days of receipt (Law on Complaints 2011 Art. 27); a
    /// first complaint answered within 30 days (Art. 28); a denunciation within 30 days (Law on Denunciations 2018
    /// Art. 30); a petition (kiến nghị, phản ánh) within 15 days (our choice, L: no law sets one for this programme).
    /// </summary>
    public static readonly GrievanceDeadlines Default = new(10, 30, 30, 15);

    public int DaysFor(string kind) => kind switch
    {
        "complaint" => ComplaintDays,
        "denunciation" => DenunciationDays,
        "petition" => PetitionDays,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown grievance kind."),
    };

    /// <summary>
    /// When it must be accepted and when answered, both counted in working days from the day it was received (the law
    /// counts the answer from acceptance; counting from receipt gives the citizen a date when they file, never a later one).
    /// </summary>
    public (DateOnly AcceptBy, DateOnly AnswerBy) For(string kind, DateOnly received, WorkingDays days)
    {
        ArgumentNullException.ThrowIfNull(days);
        return (days.Add(received, AcceptDays), days.Add(received, DaysFor(kind)));
    }
}
