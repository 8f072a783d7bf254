using System.Globalization;
using System.Text.Json;
using GrowthOs.Transform.Loading;

namespace GrowthOs.Transform.Marketing;

/// <summary>An e-mail's figures of one day, in its account's currency.</summary>
public sealed record EmailMessageDay(string Kind, string MessageId, DateOnly Day, long Recipients, long Delivered, long Opens, long Clicks, long Unsubscribes,
    long Bounces, decimal Conversions, long RevenueMinor);

/// <summary>An e-mail with its flow or campaign and whether Klaviyo sends it as transactional.</summary>
public sealed record EmailMessage(string Kind, string MessageId, string ParentId, string? ParentName, string? MessageName, bool Transactional);

/// <summary>
/// Reads the pages of a Klaviyo fetch, each by what it answers (the manifest's endpoint and request), and puts them
/// together: the account (its id, zone and currency), the flows' names, each send action's transactional flag and its
/// message, the campaigns with their send times and messages, then the reports' rows. A flow e-mail's day is the
/// series' own (Klaviyo counts in the account's zone); a campaign e-mail's is the day it was sent, in the account's zone.
/// Counts must be whole numbers and the value an amount of the account's currency; a row that is not is left out with
/// its reason, and the rest is kept.
/// </summary>
public sealed class EmailPageParser
{
    private readonly Dictionary<string, string> _flows = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (string Flow, bool Transactional)> _actions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (string Action, string? Name)> _flowMessages = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (string? Name, DateTimeOffset? SentAt)> _campaigns = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _campaignMessages = new(StringComparer.Ordinal);
    private readonly List<(string Flow, string Message, DateOnly Day, JsonElement Statistics, int Index)> _flowDays = [];
    private readonly List<(string Campaign, string Message, JsonElement Statistics)> _campaignTotals = [];
    private readonly List<JsonDocument> _documents = [];

    public string? AccountId { get; private set; }
    public string? TimeZone { get; private set; }
    public string? CurrencyCode { get; private set; }
    public List<string> Rejected { get; } = [];

    /// <summary>Reads one page: <paramref name="endpoint"/> and <paramref name="request"/> as the manifest names them.</summary>
    public void Read(string endpoint, string request, string body)
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
        _documents.Add(document);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("data", out var data))
            throw new MalformedPageException(root.ValueKind == JsonValueKind.Object && root.TryGetProperty("errors", out var errors)
                ? $"The page is Klaviyo's error, not {endpoint}: {errors.GetRawText()}"
                : $"The page has no data: it is not a {endpoint} answer.");
        switch (endpoint)
        {
            case "accounts":
                if (data.ValueKind == JsonValueKind.Array && data.GetArrayLength() > 0)
                {
                    AccountId = Text(data[0], "id");
                    var attributes = data[0].TryGetProperty("attributes", out var a) ? a : default;
                    TimeZone = Text(attributes, "timezone");
                    CurrencyCode = Text(attributes, "preferred_currency");
                }
                break;
            case "flows":
                foreach (var flow in Items(data))
                    if (Text(flow, "id") is { } id) _flows[id] = Text(Attributes(flow), "name") ?? id;
                break;
            case "flow-actions":
                var flowId = Segment(request, "flows") ?? throw new MalformedPageException($"The flow-actions request '{request}' names no flow.");
                foreach (var action in Items(data))
                {
                    var attributes = Attributes(action);
                    if (Text(action, "id") is not { } id || Text(attributes, "action_type") != "SEND_EMAIL") continue;
                    var transactional = attributes.TryGetProperty("send_options", out var send) && send.ValueKind == JsonValueKind.Object
                        && send.TryGetProperty("is_transactional", out var flag) && flag.ValueKind == JsonValueKind.True;
                    _actions[id] = (flowId, transactional);
                }
                break;
            case "flow-messages":
                var actionId = Segment(request, "flow-actions")
                               ?? throw new MalformedPageException($"The flow-messages request '{request}' names no flow action.");
                foreach (var message in Items(data))
                    if (Text(message, "id") is { } id) _flowMessages[id] = (actionId, Text(Attributes(message), "name"));
                break;
            case "campaigns":
                foreach (var campaign in Items(data))
                {
                    if (Text(campaign, "id") is not { } id) continue;
                    var attributes = Attributes(campaign);
                    DateTimeOffset? sent = Text(attributes, "send_time") is { } time
                                           && DateTimeOffset.TryParse(time, CultureInfo.InvariantCulture, DateTimeStyles.None, out var at) ? at : null;
                    _campaigns[id] = (Text(attributes, "name"), sent);
                    if (campaign.TryGetProperty("relationships", out var relationships)
                        && relationships.TryGetProperty("campaign-messages", out var messages) && messages.TryGetProperty("data", out var list))
                        foreach (var message in Items(list))
                            if (Text(message, "id") is { } messageId) _campaignMessages[messageId] = id;
                }
                break;
            case "flow-series-report":
                var series = Attributes(data);
                var days = series.TryGetProperty("date_times", out var times) && times.ValueKind == JsonValueKind.Array
                    ? times.EnumerateArray().Select(t => t.GetString() is { Length: >= 10 } text
                        && DateOnly.TryParseExact(text[..10], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
                            ? day
                            : throw new MalformedPageException($"date_times holds '{t}', not a date.")).ToList()
                    : throw new MalformedPageException("The flow series report has no date_times.");
                foreach (var (result, index) in Results(series).Select((r, i) => (r, i)))
                {
                    var groupings = result.TryGetProperty("groupings", out var g) ? g : default;
                    if (Text(groupings, "send_channel") is { } channel && channel != "email") continue;
                    if (Text(groupings, "flow_id") is not { } flow || Text(groupings, "flow_message_id") is not { } message
                        || !result.TryGetProperty("statistics", out var statistics))
                    {
                        Rejected.Add($"results[{index}]: a flow result needs its flow_id, flow_message_id and statistics");
                        continue;
                    }
                    for (var i = 0; i < days.Count; i++) _flowDays.Add((flow, message, days[i], statistics, i));
                }
                break;
            case "campaign-values-report":
                foreach (var (result, index) in Results(Attributes(data)).Select((r, i) => (r, i)))
                {
                    var groupings = result.TryGetProperty("groupings", out var g) ? g : default;
                    if (Text(groupings, "send_channel") is { } channel && channel != "email") continue;
                    if (Text(groupings, "campaign_id") is not { } campaign || Text(groupings, "campaign_message_id") is not { } message
                        || !result.TryGetProperty("statistics", out var statistics))
                    {
                        Rejected.Add($"results[{index}]: a campaign result needs its campaign_id, campaign_message_id and statistics");
                        continue;
                    }
                    _campaignTotals.Add((campaign, message, statistics));
                }
                break;
        }
    }

    /// <summary>Every e-mail the pages name, with its flow or campaign.</summary>
    public IEnumerable<EmailMessage> Messages()
    {
        foreach (var (id, (action, name)) in _flowMessages)
        {
            var (flow, transactional) = _actions.GetValueOrDefault(action);
            if (flow is null) continue;
            yield return new EmailMessage("flow", id, flow, _flows.GetValueOrDefault(flow), name, transactional);
        }
        foreach (var (message, campaign) in _campaignMessages)
            yield return new EmailMessage("campaign", message, campaign, _campaigns.GetValueOrDefault(campaign).Name, null, false);
        // A reported e-mail the listings did not name still counts, under its flow or campaign id.
        foreach (var (flow, message, _, _, _) in _flowDays.DistinctBy(d => d.Message).Where(d => !_flowMessages.ContainsKey(d.Message)))
            yield return new EmailMessage("flow", message, flow, _flows.GetValueOrDefault(flow), null, false);
    }

    /// <summary>The days' figures: a flow e-mail's each day it sent or earned anything, a campaign e-mail's on its sending day.</summary>
    public IEnumerable<EmailMessageDay> Days()
    {
        var currency = CurrencyCode ?? throw new MalformedPageException("The fetch has no account page with the account's preferred_currency.");
        foreach (var (flow, message, day, statistics, i) in _flowDays)
            if (Row("flow", message, day, statistics, i, currency, $"{flow}/{message} on {day:yyyy-MM-dd}") is { } row
                && (row.Recipients != 0 || row.RevenueMinor != 0 || row.Opens != 0 || row.Clicks != 0))
                yield return row;
        var zone = TimeZone is not null && TimeZoneInfo.TryFindSystemTimeZoneById(TimeZone, out var found) ? found : TimeZoneInfo.Utc;
        foreach (var (campaign, message, statistics) in _campaignTotals)
        {
            if (_campaigns.GetValueOrDefault(campaign).SentAt is not { } sent)
            {
                Rejected.Add($"campaign {campaign}: its send_time is not among the account's campaigns, so its day is not known");
                continue;
            }
            var day = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(sent, zone).DateTime);
            if (Row("campaign", message, day, statistics, null, currency, $"campaign {campaign}") is { } row) yield return row;
        }
    }

    private EmailMessageDay? Row(string kind, string message, DateOnly day, JsonElement statistics, int? index, string currency, string what)
    {
        try
        {
            JsonElement Value(string name)
            {
                if (!statistics.TryGetProperty(name, out var value)) throw new FormatException($"{name} is missing");
                if (index is { } i) value = value.ValueKind == JsonValueKind.Array && i < value.GetArrayLength() ? value[i] : throw new FormatException(
                    $"{name} has no value for day {i + 1}");
                return value.ValueKind == JsonValueKind.Number ? value : throw new FormatException($"{name} is {value.GetRawText()}, not a number");
            }
            long Count(string name) => Value(name).TryGetDecimal(out var number) && number == decimal.Truncate(number) && number >= 0
                ? (long)number
                : throw new FormatException($"{name} is {Value(name).GetRawText()}, not a count");
            var value = Value("conversion_value").GetRawText();
            if (!Money.TryToMinorUnits(value, currency, out var revenue)) throw new FormatException($"conversion_value {value} is not an amount in {currency}");
            var conversions = statistics.TryGetProperty("conversions", out _) ? Value("conversions").GetDecimal() : 0;
            return new EmailMessageDay(kind, message, day, Count("recipients"), Count("delivered"), Count("opens_unique"), Count("clicks_unique"),
                Count("unsubscribes"), Count("bounced"), conversions, revenue);
        }
        catch (FormatException exception)
        {
            Rejected.Add($"{what}: {exception.Message}");
            return null;
        }
    }

    private static IEnumerable<JsonElement> Items(JsonElement data) => data.ValueKind == JsonValueKind.Array ? data.EnumerateArray() : [];

    private static JsonElement Attributes(JsonElement item) =>
        item.ValueKind == JsonValueKind.Object && item.TryGetProperty("attributes", out var attributes) ? attributes : default;

    private static IEnumerable<JsonElement> Results(JsonElement attributes) =>
        attributes.ValueKind == JsonValueKind.Object && attributes.TryGetProperty("results", out var results) && results.ValueKind == JsonValueKind.Array
            ? results.EnumerateArray()
            : throw new MalformedPageException("The report has no results.");

    private static string? Text(JsonElement element, string property) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    /// <summary>The path segment after <paramref name="collection"/> in a request such as <c>GET /api/flows/ABC/flow-actions</c>.</summary>
    private static string? Segment(string request, string collection)
    {
        var path = request.Split(' ').FirstOrDefault(p => p.StartsWith('/')) ?? "";
        var parts = path.Split('?')[0].Split('/', StringSplitOptions.RemoveEmptyEntries);
        var at = Array.IndexOf(parts, collection);
        return at >= 0 && at + 1 < parts.Length ? Uri.UnescapeDataString(parts[at + 1]) : null;
    }
}
