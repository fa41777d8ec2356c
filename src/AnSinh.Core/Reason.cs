namespace AnSinh.Core;

/// <summary>
/// Why Core refused or noted something, without words: a stable code, the field it concerns (a request field
/// name, or "" for the whole request) and its parameters. The edge turns it into Vietnamese or English from
/// its resources ("Reason.{Code}", formatted with the arguments), so Core never speaks a language.
/// </summary>
public sealed record Reason(string Code, string Field, params object[] Args)
{
    public override string ToString() => Args.Length == 0 ? $"{Field}:{Code}" : $"{Field}:{Code}({string.Join(", ", Args)})";
}
