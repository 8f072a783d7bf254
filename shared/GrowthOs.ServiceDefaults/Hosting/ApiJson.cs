using System.Text.Json;

namespace GrowthOs.ServiceDefaults.Hosting;

/// <summary>How the services' HTTP APIs and the documents they archive write JSON: snake_case names, web defaults.</summary>
public static class ApiJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };
}
