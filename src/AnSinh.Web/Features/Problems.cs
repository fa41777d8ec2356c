using Microsoft.AspNetCore.Http.HttpResults;

namespace AnSinh.Web.Features;

/// <summary>RFC 7807 answers with a title and detail a commune officer understands (Vietnamese).</summary>
public static class Problems
{
    public static ProblemHttpResult NotFound(string title, string detail) =>
        TypedResults.Problem(title: title, detail: detail, statusCode: StatusCodes.Status404NotFound);
}
