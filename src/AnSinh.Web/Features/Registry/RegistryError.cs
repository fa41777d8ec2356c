using Microsoft.AspNetCore.Http.HttpResults;

namespace AnSinh.Web.Features.Registry;

/// <summary>Why a registry command did not happen: 404 (not in the user's scope), 403 (not theirs to decide), 409 (conflicts with the registry) or 422 (the request).</summary>
public sealed record RegistryError(int Status, IReadOnlyList<(string Field, string Message)> Problems)
{
    /// <param name="what">What was looked for: "person", "application", "proposal", "decision", "transfer" or "import".</param>
    public static RegistryError NotFound(string what) =>
        new(StatusCodes.Status404NotFound, [("", Hosting.Texts.Get("Problem.NotFoundInScope", Hosting.Texts.Get("What." + what)))]);

    /// <summary>The user may see the record but not do this to it (not the decider, or the one who prepared it).</summary>
    public static RegistryError Forbidden(string message) => new(StatusCodes.Status403Forbidden, [("", message)]);

    public static RegistryError Conflict(string message) => new(StatusCodes.Status409Conflict, [("", message)]);

    public static RegistryError Invalid(string field, string message) => new(StatusCodes.Status422UnprocessableEntity, [(field, message)]);

    public static RegistryError Invalid(IReadOnlyList<(string Field, string Message)> problems) => new(StatusCodes.Status422UnprocessableEntity, problems);

    /// <summary>Core's reasons, in the user's language.</summary>
    public static RegistryError Invalid(IEnumerable<Core.Reason> reasons) =>
        new(StatusCodes.Status422UnprocessableEntity, [.. reasons.Select(r => (r.Field, Hosting.Texts.Of(r)))]);

    public string Message => string.Join(" ", Problems.Select(p => p.Message));

    /// <summary>Shows the problems on a page: each beside its field, all in the page's validation summary.</summary>
    public void AddTo(Microsoft.AspNetCore.Mvc.ModelBinding.ModelStateDictionary modelState)
    {
        ArgumentNullException.ThrowIfNull(modelState);
        foreach (var (field, message) in Problems)
        {
            modelState.AddModelError(field, message);
        }
    }

    /// <summary>RFC 7807: field problems as a 422 validation problem, the rest with the message as detail.</summary>
    public ProblemHttpResult ToProblem()
    {
        if (Status == StatusCodes.Status422UnprocessableEntity)
        {
            return TypedResults.Problem(new HttpValidationProblemDetails(Problems.GroupBy(p => p.Field).ToDictionary(g => g.Key, g => g.Select(p => p.Message).ToArray()))
            {
                Status = Status, Title = Hosting.Texts.Get("Problem.Invalid"),
            });
        }

        return TypedResults.Problem(detail: Message, statusCode: Status, title: Status switch
        {
            StatusCodes.Status404NotFound => Hosting.Texts.Get("Problem.NotFound"),
            StatusCodes.Status403Forbidden => Hosting.Texts.Get("Problem.Forbidden"),
            _ => Hosting.Texts.Get("Problem.Conflict"),
        });
    }

    /// <summary>The problem typed beside the endpoint's success result, so that OpenAPI documents every response.</summary>
    public Results<T, ProblemHttpResult> ToTyped<T>()
        where T : IResult => ToProblem();

}
