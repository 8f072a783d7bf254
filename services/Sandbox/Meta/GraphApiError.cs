using System.Text;
using System.Text.Json.Nodes;

namespace GrowthOs.Sandbox.Meta;

/// <summary>
/// A refusal in the Graph API's error envelope, with the HTTP status Meta answers it with. Members Meta leaves out (a subcode, the
/// transient flag, and for the captured "Please reduce the amount of data" everything but message and code) are left out, never null.
/// </summary>
public sealed class GraphApiError(int status, int code, string message, int? subcode = null, bool? transient = null, string? type = "OAuthException",
    (string Title, string Message)? user = null)
    : Exception(message)
{
    public IResult ToResult()
    {
        var error = new JsonObject { ["message"] = Message };
        if (type is not null) error["type"] = type;
        error["code"] = code;
        if (subcode is not null) error["error_subcode"] = subcode;
        if (transient is not null) error["is_transient"] = transient;
        if (user is { } shown) (error["error_user_title"], error["error_user_msg"]) = (shown.Title, shown.Message);
        if (type is not null)
            error["fbtrace_id"] =
                Convert.ToBase64String(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes($"{code}:{subcode}:{Message}")))[..11];
        return Results.Json(new JsonObject { ["error"] = error }, statusCode: status);
    }

    /// <summary>
    /// Meta's answer to reading a report's insights before it is done, as captured (facebook/facebook-python-business-sdk pull request #149):
    /// code 2601, subcode 1815107, transient.
    /// </summary>
    public static GraphApiError ReportNotReady() => new(400, 2601, "Error accessing adreport job.", 1815107, transient: true,
        user: ("Loading Async Ads Report Failed",
            "Sorry, the report cannot be loaded successfully. "
            + "Please check if your job status is completed instead of failed or running before fetching the data."));

    /// <summary>
    /// Meta's answer to a question too large, as captured (facebook/facebook-python-business-sdk issue #470): HTTP 500, message and code 1 alone.
    /// </summary>
    public static GraphApiError ReduceData() => new(500, 1, "Please reduce the amount of data you're asking for, then retry your request", type: null);
}
