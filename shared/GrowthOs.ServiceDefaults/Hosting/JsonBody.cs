using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace GrowthOs.ServiceDefaults.Hosting;

/// <summary>
/// Reads a request's JSON body. A body that is not JSON is a 400 naming <c>body</c>; a field of the wrong type or
/// format (a number for a string, a date that is not YYYY-MM-DD) is a 400 naming that field, as a bad query parameter
/// is. The problem says what the body should be, never echoes the value.
/// </summary>
public static partial class JsonBody
{
    public static async Task<(T? Value, ProblemHttpResult? Problem)> Read<T>(HttpRequest http, string shape, JsonSerializerOptions? options = null)
        where T : class
    {
        try
        {
            var value = options is null
                ? await http.ReadFromJsonAsync<T>(http.HttpContext.RequestAborted)
                : await http.ReadFromJsonAsync<T>(options, http.HttpContext.RequestAborted);
            return (value, null);
        }
        catch (JsonException exception)
        {
            var field = FieldOf(exception.Path);
            return (null, field is null
                ? Problems.InvalidParameter("body", $"The body is not valid JSON; it must be {shape}.")
                : Problems.InvalidParameter(field, $"{field} has the wrong type or format; the body must be {shape}."));
        }
        catch (InvalidOperationException)
        {
            // Not sent as JSON (another content type).
            return (null, Problems.InvalidParameter("body", $"The body must be JSON (application/json): {shape}."));
        }
    }

    /// <summary>The top-level field a JSON path such as <c>$.entities[0]</c> or <c>$['run_id']</c> names; null for the root.</summary>
    public static string? FieldOf(string? path) =>
        path is null
            ? null
            : TopField().Match(path) is { Success: true } match
                ? match.Groups["dotted"].Success ? match.Groups["dotted"].Value : match.Groups["quoted"].Value
                : null;

    [GeneratedRegex(@"^\$(?:\.(?<dotted>[^.\[]+)|\['(?<quoted>[^']+)'\])")]
    private static partial Regex TopField();
}
