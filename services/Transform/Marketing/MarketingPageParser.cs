using System.Globalization;
using System.Text.Json;
using GrowthOs.Contracts.Marketing;
using GrowthOs.Transform.Loading;

namespace GrowthOs.Transform.Marketing;

/// <summary>
/// Reads the archived answer pages of the marketing sources, exactly: Meta's numbers are strings (spend a decimal in the
/// account's currency, parsed digit by digit to minor units); Google's int64 values are strings (cost in micros,
/// divided to minor units in integer arithmetic, half away from zero) and its doubles numbers (read as decimals from
/// their JSON text); GA4's every value is a string (currency summed in floating point by GA4 and written as a double,
/// rounded half away from zero to the minor unit). A row that cannot be read, or is dated more than a day ahead, is left
/// out with its reason; the rest of the page is kept.
/// </summary>
public static class MarketingPageParser
{
    /// <param name="knownCurrency">The account's currency as known from earlier loads, for rows (or a GA4 report) that leave theirs out; null: such
    /// rows are left out.</param>
    public static ParsedPage Parse(string source, string account, string body, IReadOnlyList<string> metaPurchaseActionTypes, DateOnly latestDay,
        string? knownCurrency = null)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException exception)
        {
            throw new MalformedPageException($"The page is not JSON: {exception.Message}");
        }
        using (document)
        {
            var page = new ParsedPage();
            switch (source)
            {
                case MarketingSources.Meta: Meta(document.RootElement, account, metaPurchaseActionTypes, latestDay, knownCurrency, page); break;
                case MarketingSources.GoogleAds: GoogleAds(document.RootElement, account, latestDay, knownCurrency, page); break;
                case MarketingSources.Ga4: Ga4(document.RootElement, account, latestDay, knownCurrency, page); break;
                default: throw new MalformedPageException($"No marketing source '{source}'.");
            }
            return page;
        }
    }

    /// <summary>Meta's insights page: <c>data</c> of campaign days, numbers as strings, purchases from <c>actions</c>/<c>action_values</c>.</summary>
    private static void Meta(JsonElement root, string account, IReadOnlyList<string> purchaseTypes, DateOnly latestDay, string? knownCurrency, ParsedPage page)
    {
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Array)
            throw new MalformedPageException(root.ValueKind == JsonValueKind.Object && root.TryGetProperty("error", out var error)
                ? $"The page is Meta's error, not insights: {error.GetRawText()}"
                : "The page has no data array: it is not an insights answer.");
        var index = 0;
        foreach (var row in data.EnumerateArray())
        {
            index++;
            try
            {
                var currency = Text(row, "account_currency") ?? knownCurrency ?? throw Bad("account_currency is missing");
                var day = Day(Text(row, "date_start"), "yyyy-MM-dd", "date_start", latestDay);
                if (Text(row, "date_stop") is { } stop && stop != Text(row, "date_start"))
                    throw Bad($"the row spans {Text(row, "date_start")} to {stop}, not one day (time_increment=1)");
                var spend = Text(row, "spend") ?? "0";
                if (!Money.TryToMinorUnits(spend, currency, out var spendMinor)) throw Bad($"spend '{spend}' is not an amount in {currency}");
                var (purchases, type) = Action(row, "actions", purchaseTypes);
                var (value, _) = Action(row, "action_values", type is null ? purchaseTypes : [type]);
                var campaignAccount = Text(row, "account_id") is { } id ? $"act_{id}" : account;
                page.Campaigns.Add(new AdCampaignDay(campaignAccount, Text(row, "campaign_id") ?? throw Bad("campaign_id is missing"), day,
                    Text(row, "campaign_name") ?? "", currency, spendMinor, Count(Text(row, "impressions"), "impressions"),
                    Count(Text(row, "clicks"), "clicks"), purchases ?? 0, Minor(value ?? 0, currency)));
                page.Accounts.Add(new ReportedAccount(campaignAccount, currency, null));
            }
            catch (FormatException exception)
            {
                page.Rejected.Add($"data[{index - 1}]: {exception.Message}");
            }
        }
    }

    /// <summary>The first purchase type a row reports (Meta reports overlapping ones, never to be summed), and its value.</summary>
    private static (decimal? Value, string? Type) Action(JsonElement row, string property, IReadOnlyList<string> types)
    {
        if (!row.TryGetProperty(property, out var actions) || actions.ValueKind != JsonValueKind.Array) return (null, null);
        foreach (var type in types)
            foreach (var action in actions.EnumerateArray())
                if (Text(action, "action_type") == type)
                    return (Number(Text(action, "value"), $"{property} {type}"), type);
        return (null, null);
    }

    /// <summary>Google Ads' searchStream answer: an array of batches, each with <c>results</c> in proto3 JSON.</summary>
    private static void GoogleAds(JsonElement root, string account, DateOnly latestDay, string? knownCurrency, ParsedPage page)
    {
        if (root.ValueKind != JsonValueKind.Array)
            throw new MalformedPageException(root.ValueKind == JsonValueKind.Object && root.TryGetProperty("error", out var error)
                ? $"The page is Google's error, not a searchStream answer: {error.GetRawText()}"
                : "The page is not an array of batches: it is not a searchStream answer.");
        var batchIndex = 0;
        foreach (var batch in root.EnumerateArray())
        {
            if (batch.ValueKind == JsonValueKind.Object && batch.TryGetProperty("error", out var error))
                throw new MalformedPageException($"Batch {batchIndex} is Google's error: {error.GetRawText()}");
            if (batch.ValueKind == JsonValueKind.Object && batch.TryGetProperty("results", out var results) && results.ValueKind == JsonValueKind.Array)
            {
                var index = 0;
                foreach (var row in results.EnumerateArray())
                {
                    try
                    {
                        var customer = row.TryGetProperty("customer", out var c) ? c : default;
                        var currency = Text(customer, "currencyCode") ?? knownCurrency ?? throw Bad("customer.currencyCode is missing");
                        var customerAccount = Text(customer, "resourceName") ?? account;
                        var campaign = row.TryGetProperty("campaign", out var k) ? k : throw Bad("campaign is missing");
                        var metrics = row.TryGetProperty("metrics", out var m) ? m : default;
                        var day = Day(row.TryGetProperty("segments", out var segments) ? Text(segments, "date") : null, "yyyy-MM-dd", "segments.date",
                            latestDay);
                        var micros = Count(Text(metrics, "costMicros"), "costMicros");
                        page.Campaigns.Add(new AdCampaignDay(customerAccount, Text(campaign, "id") ?? throw Bad("campaign.id is missing"), day,
                            Text(campaign, "name") ?? "", currency, MicrosToMinor(micros, currency),
                            Count(Text(metrics, "impressions"), "impressions"), Count(Text(metrics, "clicks"), "clicks"),
                            JsonNumber(metrics, "conversions"), Minor(JsonNumber(metrics, "conversionsValue"), currency)));
                        page.Accounts.Add(new ReportedAccount(customerAccount, currency, Text(customer, "timeZone")));
                    }
                    catch (FormatException exception)
                    {
                        page.Rejected.Add($"[{batchIndex}].results[{index}]: {exception.Message}");
                    }
                    index++;
                }
            }
            batchIndex++;
        }
    }

    /// <summary>GA4's runReport answer: values placed by the headers' names, never by position alone; no rows when empty.</summary>
    private static void Ga4(JsonElement root, string account, DateOnly latestDay, string? knownCurrency, ParsedPage page)
    {
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("dimensionHeaders", out var dimensionHeaders)
                                                   || !root.TryGetProperty("metricHeaders", out var metricHeaders))
            throw new MalformedPageException(root.ValueKind == JsonValueKind.Object && root.TryGetProperty("error", out var error)
                ? $"The page is Google's error, not a report: {error.GetRawText()}"
                : "The page has no dimensionHeaders and metricHeaders: it is not a runReport answer.");
        if (!root.TryGetProperty("rows", out var rows)) return;
        var currency = (root.TryGetProperty("metadata", out var metadata) ? Text(metadata, "currencyCode") : null) ?? knownCurrency;
        if (currency is null) throw new MalformedPageException("The report has rows but no metadata.currencyCode, and the property's currency is not known.");
        var timeZone = Text(metadata, "timeZone");
        var dimensions = dimensionHeaders.EnumerateArray().Select(h => Text(h, "name")).ToList();
        var metrics = metricHeaders.EnumerateArray().Select(h => Text(h, "name")).ToList();
        int Dimension(string name) => dimensions.IndexOf(name) is var i and >= 0 ? i : throw new MalformedPageException($"The report has no {name} dimension.");
        int Metric(params string[] names) => names.Select(n => metrics.IndexOf(n)).FirstOrDefault(i => i >= 0, -1);
        var (date, channel) = (Dimension("date"), Dimension("sessionDefaultChannelGroup"));
        var (sessions, users, keyEvents, revenue) =
            (Metric("sessions"), Metric("totalUsers"), Metric("keyEvents", "conversions"), Metric("purchaseRevenue", "totalRevenue"));
        page.Accounts.Add(new ReportedAccount(account, currency, timeZone));
        var index = 0;
        foreach (var row in rows.EnumerateArray())
        {
            try
            {
                var dimensionValues = row.GetProperty("dimensionValues");
                var metricValues = row.GetProperty("metricValues");
                string? Value(JsonElement values, int i) =>
                    i < 0 ? null : i < values.GetArrayLength() ? Text(values[i], "value") : throw Bad("a value is missing");
                page.Traffic.Add(new TrafficChannelDay(account, Day(Value(dimensionValues, date), "yyyyMMdd", "date", latestDay),
                    Value(dimensionValues, channel) ?? throw Bad("sessionDefaultChannelGroup is missing"), currency,
                    Count(Value(metricValues, sessions), "sessions"), Count(Value(metricValues, users), "totalUsers"),
                    Number(Value(metricValues, keyEvents), "keyEvents"), Minor(Number(Value(metricValues, revenue), "purchaseRevenue"), currency)));
            }
            catch (Exception exception) when (exception is FormatException or KeyNotFoundException or InvalidOperationException)
            {
                page.Rejected.Add($"rows[{index}]: {exception.Message}");
            }
            index++;
        }
    }

    /// <summary>A decimal amount to minor units of <paramref name="currency"/>, half away from zero: decimal arithmetic, never binary floating point.</summary>
    public static long Minor(decimal amount, string currency)
    {
        var exponent = Money.Exponent(currency);
        var scaled = Math.Round(amount * Pow10(exponent), 0, MidpointRounding.AwayFromZero);
        return scaled is > long.MaxValue or < long.MinValue ? throw Bad($"the amount {amount} is out of range") : (long)scaled;
    }

    /// <summary>Google's micros (a millionth of the currency's unit) to minor units, half away from zero, in integer arithmetic.</summary>
    public static long MicrosToMinor(long micros, string currency)
    {
        var divisor = (long)Pow10(6 - Money.Exponent(currency));
        var quotient = Math.DivRem(micros, divisor, out var remainder);
        if (Math.Abs(remainder) * 2 >= divisor) quotient += Math.Sign(micros);
        return quotient;
    }

    private static decimal Pow10(int exponent)
    {
        var value = 1m;
        for (var i = 0; i < exponent; i++) value *= 10;
        return value;
    }

    private static DateOnly Day(string? text, string format, string field, DateOnly latestDay)
    {
        if (!DateOnly.TryParseExact(text, format, CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
            throw Bad($"{field} '{text}' is not a {format} date");
        return day > latestDay ? throw Bad($"{field} {day:yyyy-MM-dd} is more than a day in the future") : day;
    }

    private static long Count(string? text, string field)
    {
        if (text is null) return 0;
        return long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw Bad($"{field} '{text}' is not a whole number");
    }

    private static decimal Number(string? text, string field)
    {
        if (text is null) return 0;
        return decimal.TryParse(
                text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw Bad($"{field} '{text}' is not a number");
    }

    /// <summary>A proto3 double: a JSON number read from its text as a decimal, or a string ("NaN", "Infinity" are refused).</summary>
    private static decimal JsonNumber(JsonElement element, string property)
    {
        if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(property, out var value)) return 0;
        return value.ValueKind switch
        {
            JsonValueKind.Number => Number(value.GetRawText(), property),
            JsonValueKind.String => Number(value.GetString(), property),
            _ => throw Bad($"{property} is {value.ValueKind}, not a number"),
        };
    }

    private static string? Text(JsonElement element, string property) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    private static FormatException Bad(string reason) => new(reason);
}
