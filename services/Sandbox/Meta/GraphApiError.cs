using System.Text;
using System.Text.Json.Nodes;

namespace GrowthOs.Sandbox.Meta;

/// <summary>A refusal in the Graph API's error envelope, with the HTTP status Meta answers it with.</summary>
public sealed class GraphApiError(int status, int code, string message, int? subcode = null, bool? transient = null, string type = "OAuthException")
    : Exception(message)
{
    public IResult ToResult() => Results.Json(new JsonObject
    {
        ["error"] = new JsonObject
        {
            ["message"] = Message,
            ["type"] = type,
            ["code"] = code,
            ["error_subcode"] = subcode,
            ["is_transient"] = transient,
            ["fbtrace_id"] = Convert.ToBase64String(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes($"{code}:{subcode}:{Message}")))[..11],
        },
    }, statusCode: status);
}
