namespace AnSinh.Core.Registry;

/// <summary>Who decides applications and changes in a province (a province setting).</summary>
public enum DecidingLevel
{
    /// <summary>The commune chairman or vice-chairman (Chủ tịch / Phó Chủ tịch UBND xã): the default since 1/7/2025.</summary>
    Commune,

    /// <summary>A province approver, where the province keeps decisions at its level.</summary>
    Province,
}

/// <summary>What the person asking to decide is: the two approver kinds, or anyone else.</summary>
public enum DeciderKind
{
    CommuneApprover,
    ProvinceApprover,
    Other,
}

/// <summary>
/// Who may sign a decision (Decree 147/2025): the decider the province has chosen, and never someone who took part
/// in preparing the case (received or checked the application, proposed the change): four eyes, whatever the role.
/// </summary>
public static class Deciders
{
    public static Reason? MayDecide(DecidingLevel level, DeciderKind who, bool tookPart) =>
        tookPart ? new Reason("decide.took_part", "")
        : who == DeciderKind.Other ? new Reason("decide.not_approver", "")
        : level == DecidingLevel.Commune && who != DeciderKind.CommuneApprover ? new Reason("decide.commune_decides", "")
        : level == DecidingLevel.Province && who != DeciderKind.ProvinceApprover ? new Reason("decide.province_decides", "")
        : null;

    public static DecidingLevel ParseLevel(string code) => code == "province" ? DecidingLevel.Province : DecidingLevel.Commune;

    public static string Code(DecidingLevel level) => level == DecidingLevel.Province ? "province" : "commune";
}
