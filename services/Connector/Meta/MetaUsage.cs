using System.Text.Json;

namespace GrowthOs.Connector.Meta;

/// <summary>What Meta's usage headers said last of an ad account: its highest percentage and the wait it asked for.</summary>
public sealed record MetaUsage(double Percent, TimeSpan RegainAccessIn)
{
    public static readonly MetaUsage None = new(0, TimeSpan.Zero);

    /// <summary>
    /// Reads <c>X-Business-Use-Case-Usage</c> (per ad account: <c>call_count</c>, <c>total_cputime</c>,
    /// <c>total_time</c> in percent, <c>estimated_time_to_regain_access</c> in minutes), <c>X-Ad-Account-Usage</c>
    /// (<c>acc_id_util_pct</c>), <c>X-App-Usage</c> and the Insights API's own <c>X-FB-Ads-Insights-Throttle</c>
    /// (<c>app_id_util_pct</c>, <c>acc_id_util_pct</c>); a header that is absent or not JSON counts as nothing.
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
            using (adAccount)
            {
                var used = Number(adAccount.RootElement, "acc_id_util_pct");
                percent = Math.Max(percent, used);
                // At the account's limit, reset_time_duration (seconds) is how long until it is lifted.
                if (used >= 100) regainMinutes = Math.Max(regainMinutes, Number(adAccount.RootElement, "reset_time_duration") / 60);
            }
        if (Header(response, "X-App-Usage") is { RootElement.ValueKind: JsonValueKind.Object } app)
            using (app) percent = Math.Max(percent, Math.Max(Number(app.RootElement, "call_count"),
                Math.Max(Number(app.RootElement, "total_cputime"), Number(app.RootElement, "total_time"))));
        if (Header(response, "X-FB-Ads-Insights-Throttle") is { RootElement.ValueKind: JsonValueKind.Object } insights)
            using (insights)
                percent = Math.Max(percent, Math.Max(Number(insights.RootElement, "app_id_util_pct"), Number(insights.RootElement, "acc_id_util_pct")));
        return new MetaUsage(percent, TimeSpan.FromMinutes(regainMinutes));
    }

    private static JsonDocument? Header(HttpResponseMessage response, string name)
    {
        if (!response.Headers.TryGetValues(name, out var values)) return null;
        try { return JsonDocument.Parse(values.First()); }
        catch (JsonException) { return null; }
    }

    /// <summary>A figure Meta may write as a number or as a string of one.</summary>
    private static double Number(JsonElement element, string name) =>
        !element.TryGetProperty(name, out var value) ? 0
        : value.ValueKind == JsonValueKind.Number ? value.GetDouble()
        : value.ValueKind == JsonValueKind.String
          && double.TryParse(value.GetString(), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var parsed)
            ? parsed
            : 0;
}
