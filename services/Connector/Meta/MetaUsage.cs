using System.Text.Json;

namespace GrowthOs.Connector.Meta;

/// <summary>What Meta's usage headers said last of an ad account: its highest percentage and the wait it asked for.</summary>
public sealed record MetaUsage(double Percent, TimeSpan RegainAccessIn)
{
    public static readonly MetaUsage None = new(0, TimeSpan.Zero);

    /// <summary>
    /// Reads <c>X-Business-Use-Case-Usage</c> (per ad account: <c>call_count</c>, <c>total_cputime</c>,
    /// <c>total_time</c> in percent, <c>estimated_time_to_regain_access</c> in minutes), <c>X-Ad-Account-Usage</c>
    /// (<c>acc_id_util_pct</c>) and <c>X-App-Usage</c>; a header that is absent or not JSON counts as nothing.
    /// </summary>
    public static MetaUsage From(HttpResponseMessage response, string adAccountId)
    {
        double percent = 0, regainMinutes = 0;
        if (Header(response, "X-Business-Use-Case-Usage") is { RootElement.ValueKind: JsonValueKind.Object } business)
            using (business)
                foreach (var account in business.RootElement.EnumerateObject())
                {
                    if (account.Name != adAccountId || account.Value.ValueKind != JsonValueKind.Array) continue;
                    foreach (var entry in account.Value.EnumerateArray())
                    {
                        percent = Math.Max(percent,
                            Math.Max(Number(entry, "call_count"), Math.Max(Number(entry, "total_cputime"), Number(entry, "total_time"))));
                        regainMinutes = Math.Max(regainMinutes, Number(entry, "estimated_time_to_regain_access"));
                    }
                }
        if (Header(response, "X-Ad-Account-Usage") is { RootElement.ValueKind: JsonValueKind.Object } adAccount)
            using (adAccount) percent = Math.Max(percent, Number(adAccount.RootElement, "acc_id_util_pct"));
        if (Header(response, "X-App-Usage") is { RootElement.ValueKind: JsonValueKind.Object } app)
            using (app) percent = Math.Max(percent, Math.Max(Number(app.RootElement, "call_count"),
                Math.Max(Number(app.RootElement, "total_cputime"), Number(app.RootElement, "total_time"))));
        return new MetaUsage(percent, TimeSpan.FromMinutes(regainMinutes));
    }

    private static JsonDocument? Header(HttpResponseMessage response, string name)
    {
        if (!response.Headers.TryGetValues(name, out var values)) return null;
        try { return JsonDocument.Parse(values.First()); }
        catch (JsonException) { return null; }
    }

    private static double Number(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetDouble() : 0;
}
