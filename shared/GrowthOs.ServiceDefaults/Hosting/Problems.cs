using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace GrowthOs.ServiceDefaults.Hosting;

public static class Problems
{
    /// <summary>400 with a problem body whose <c>parameter</c> names the bad query parameter or body field.</summary>
    public static ProblemHttpResult InvalidParameter(string parameter, string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: $"Invalid parameter '{parameter}'", detail: detail,
            extensions: new Dictionary<string, object?> { ["parameter"] = parameter });

    /// <summary>403 with a problem body saying what the caller may not reach.</summary>
    public static ProblemHttpResult Forbidden(string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden", detail: detail);
}
